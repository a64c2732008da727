/*
 * `triode bench --gpu --find-max`: the largest number of instances per model whose p99 block latency stays inside
 * the real-time budget. Doubling from --instances brackets it (halving when --instances already misses), then
 * bisection narrows the bracket to 1 % of the answer. Every probe is a full measurement (new batch, warm-up,
 * --seconds of timed blocks) and is kept as a record; the measurement at --instances serves as the first one. A
 * probe that runs out of memory counts as a miss. The search stops early, keeping the best answer so far, when
 * its time limit is reached.
 */
#include "bench_gpu.h"

#include "bench_load.h"
#include "cli.h"

#include <string.h>

/* Batch size limit of the API, and 1 GiB per host buffer (instances × block floats). */
static long
instance_cap(const BenchGpu* b, long block)
{
  long long cap = 1LL << 24;
  long long by_memory = (1LL << 28) / block;
  cap = by_memory < cap ? by_memory : cap;
  cap /= b->num_models;
  return cap > 1 ? (long)cap : 1;
}

/* One probe, recorded; *fits tells whether its p99 is inside the budget. */
static int
probe(BenchGpu* b, long block, long per_model, BenchGpuSearch* s, bool* fits)
{
  BenchGpuRecord record;
  int rc = bench_gpu_measure(b, block, per_model, BENCH_GPU_PROBE, &record);
  if (rc != CLI_OK)
    return rc;
  s->probes++;
  *fits = !record.out_of_memory && record.fits;
  return bench_gpu_add_record(b, &record) ? CLI_OK : CLI_INTERNAL;
}

/* True (and noted) when the search has used its time: no new probe starts. */
static bool
out_of_time(const BenchGpu* b, BenchGpuSearch* s, double t0)
{
  s->time_limit_hit = bench_now() - t0 >= b->options.search_limit;
  return s->time_limit_hit;
}

int
bench_gpu_search(BenchGpu* b, long block, const BenchGpuRecord* first, BenchGpuSearch* s)
{
  memset(s, 0, sizeof *s);
  s->block = block;
  const double t0 = bench_now();
  const long cap = instance_cap(b, block);
  long lo = 0, hi = 0; /* the largest count known to fit, the smallest known to miss (0: none yet) */
  long n = b->options.instances < cap ? b->options.instances : cap;
  bool fits = false;
  int rc = CLI_OK;
  /* Bracket: double while probes fit, or halve while they miss, until one of each is known. */
  while (!(lo > 0 && hi > 0) && !out_of_time(b, s, t0)) {
    if (first && first->per_model == n) { /* the measurement at --instances is the first probe */
      fits = !first->out_of_memory && first->fits;
      s->probes++;
    } else if ((rc = probe(b, block, n, s, &fits)) != CLI_OK)
      break;
    first = NULL;
    if (fits) {
      lo = n;
      if (n >= cap) {
        s->capped = true;
        break;
      }
      n = n > cap / 2 ? cap : 2 * n;
    } else {
      hi = n;
      if (n == 1)
        break; /* not even one instance per model fits */
      n /= 2;
    }
  }
  /* Bisect down to 1 % of the answer. */
  while (rc == CLI_OK && lo > 0 && hi > 0 && hi - lo > (lo / 100 > 1 ? lo / 100 : 1) && !out_of_time(b, s, t0)) {
    n = lo + (hi - lo) / 2;
    if ((rc = probe(b, block, n, s, &fits)) == CLI_OK) {
      lo = fits ? n : lo;
      hi = fits ? hi : n;
    }
  }
  s->max_per_model = lo;
  s->seconds = bench_now() - t0;
  return rc;
}
