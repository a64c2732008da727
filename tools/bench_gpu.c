/*
 * Measuring loop of `triode bench --gpu`. A batch is built for each measurement (creation and prewarm are timed
 * apart), fed the bench signal (each instance at its own offset, so instances do not all see the same samples),
 * run for some untimed warm-up blocks, then for --seconds of audio with every triode_batch_process() call timed
 * on its own: a real-time host cares about the slowest calls, not the average.
 */
#include "bench_gpu.h"

#include "bench_load.h"
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <triode/batch.h>

enum { INSTANCE_OFFSET = 997 }; /* frames between the signal positions of consecutive instances */

static void
show_progress(const BenchGpu* b, long block, long per_model)
{
  if (!b->show_progress)
    return;
  fprintf(stderr, "\r\033[Ktriode: bench --gpu: block %ld, %ld instance%s per model", block, per_model,
          per_model == 1 ? "" : "s");
  fflush(stderr);
}

/* Instance i's next `block` input frames: the signal from position + i * INSTANCE_OFFSET, wrapping around. */
static void
fill_inputs(const BenchGpu* b, float* in, int instances, long block, long position)
{
  for (int i = 0; i < instances; i++) {
    long start = (long)(((long long)position + (long long)i * INSTANCE_OFFSET) % b->signal_frames);
    long first = b->signal_frames - start < block ? b->signal_frames - start : block;
    float* dst = in + (size_t)i * (size_t)block;
    memcpy(dst, b->signal + start, sizeof(float) * (size_t)first);
    memcpy(dst + first, b->signal, sizeof(float) * (size_t)(block - first));
  }
}

static int
compare_doubles(const void* x, const void* y)
{
  double a = *(const double*)x, c = *(const double*)y;
  return (a > c) - (a < c);
}

/* Nearest-rank percentile of sorted values. */
static double
percentile(const double* sorted, long count, double q)
{
  long rank = (long)ceil(q * (double)count);
  rank = rank < 1 ? 1 : rank > count ? count : rank;
  return sorted[rank - 1];
}

/* Warm-up, then the timed calls; fills the latency fields of `r`. */
static int
time_blocks(const BenchGpu* b, TriodeBatch* batch, float* in, float* out, BenchGpuRecord* r)
{
  const long block = r->block;
  long timed = (long)ceil(b->options.seconds * b->sample_rate / (double)block);
  timed = timed > 0 ? timed : 1;
  double* latency = malloc(sizeof(double) * (size_t)timed);
  if (!latency) {
    r->out_of_memory = true;
    return CLI_OK;
  }
  double total = 0.0;
  long position = 0;
  for (long k = -BENCH_GPU_WARMUP_BLOCKS; k < timed; k++, position += block) {
    fill_inputs(b, in, r->instances, block, position);
    const double t0 = bench_now();
    const TriodeStatus status = triode_batch_process(batch, in, out, (int)block);
    const double seconds = bench_now() - t0;
    if (status != TRIODE_SUCCESS) {
      cli_error("bench: the batch failed to process a block: %s", triode_strerror(status));
      free(latency);
      return CLI_INTERNAL;
    }
    if (k >= 0) {
      latency[k] = 1e6 * seconds;
      total += seconds;
    }
  }
  qsort(latency, (size_t)timed, sizeof *latency, compare_doubles);
  r->timed_blocks = timed;
  r->p50_us = percentile(latency, timed, 0.50);
  r->p99_us = percentile(latency, timed, 0.99);
  r->max_us = latency[timed - 1];
  r->mean_us = 1e6 * total / (double)timed;
  r->fits = r->p99_us <= r->budget_us;
  double audio = 0.0; /* model-rate seconds processed by all instances */
  for (int m = 0; m < b->num_models; m++) {
    double rate = triode_model_sample_rate(b->models[m]);
    audio += (double)r->per_model * (double)timed * (double)block / (rate > 0.0 ? rate : 48000.0);
  }
  r->rtf = audio / (total > 1e-9 ? total : 1e-9);
  free(latency);
  return CLI_OK;
}

/* Adds `per_model` instances of every model. TRIODE_ERR_NO_MEMORY marks the record; other failures are errors. */
static int
build(const BenchGpu* b, TriodeBatch* batch, BenchGpuRecord* r)
{
  for (int m = 0; m < b->num_models; m++) {
    TriodeError error;
    memset(&error, 0, sizeof error);
    TriodeStatus status = triode_batch_add_n(batch, b->models[m], (int)r->per_model, NULL, &error);
    if (status == TRIODE_ERR_NO_MEMORY) {
      r->out_of_memory = true;
      return CLI_OK;
    }
    if (status != TRIODE_SUCCESS) {
      cli_error("bench: cannot add %ld instances of %s: %s", r->per_model, b->names[m],
                error.message[0] ? error.message : triode_strerror(status));
      return CLI_INTERNAL;
    }
  }
  return CLI_OK;
}

int
bench_gpu_measure(BenchGpu* b, long block, long per_model, BenchGpuKind kind, BenchGpuRecord* r)
{
  memset(r, 0, sizeof *r);
  r->kind = kind;
  r->block = block;
  r->per_model = per_model;
  r->instances = (int)(per_model * b->num_models);
  r->budget_us = 1e6 * (double)block / b->sample_rate;
  show_progress(b, block, per_model);
  TriodeBatch* batch = NULL;
  TriodeError error;
  memset(&error, 0, sizeof error);
  const double t0 = bench_now();
  TriodeStatus status = triode_batch_new(b->options.backend, (int)block, &batch, &error);
  if (status != TRIODE_SUCCESS && status != TRIODE_ERR_NO_MEMORY) {
    cli_error("bench --gpu: %s", error.message[0] ? error.message : triode_strerror(status));
    return CLI_INTERNAL;
  }
  r->out_of_memory = status == TRIODE_ERR_NO_MEMORY;
  int rc = r->out_of_memory ? CLI_OK : build(b, batch, r);
  r->build_ms = 1e3 * (bench_now() - t0);
  float* in = NULL;
  float* out = NULL;
  if (rc == CLI_OK && !r->out_of_memory) {
    r->groups = triode_batch_group_count(batch);
    const size_t samples = (size_t)r->instances * (size_t)block;
    in = malloc(sizeof(float) * samples);
    out = malloc(sizeof(float) * samples);
    r->out_of_memory = !in || !out;
  }
  if (rc == CLI_OK && !r->out_of_memory)
    rc = time_blocks(b, batch, in, out, r);
  free(in);
  free(out);
  triode_batch_free(batch);
  if (b->show_progress) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
  }
  return rc;
}
