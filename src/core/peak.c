/* triode_isa_fma_peak, triode_isa_activation_rate and triode_isa_activation_latency: a core's rates at one
   instruction-set level, to set measured speeds against (the bench's peak and ceiling columns). */
#include "core/model_impl.h"

#include <string.h>
#include <time.h>

static double
seconds_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One burst of `rounds` rounds of some work; returns a value of the results, so the work cannot be dropped. */
typedef float (*Burst)(const void* ctx, long rounds);

/* Operations per second of a burst (`per_round` operations a round), over about `seconds`. Bursts double until one
   lasts a fiftieth of the time, so the clock reads are negligible; the best rate of the timed bursts is kept (a burst
   that an interrupt or a frequency change slowed reads low). */
static double
best_rate(Burst burst, const void* ctx, double per_round, double seconds)
{
  if (!(seconds >= 0.001)) seconds = 0.001; /* also NaN */
  if (seconds > 10.0) seconds = 10.0;
  long rounds = 16;
  double best = 0.0;
  volatile float sink;
  const double t_end = seconds_now() + seconds;
  for (;;) {
    const double t0 = seconds_now();
    sink = burst(ctx, rounds);
    const double t1 = seconds_now(), dt = t1 - t0;
    if (dt > 0.0) {
      const double rate = (double)rounds * per_round / dt;
      best = rate > best ? rate : best;
    }
    if (t1 >= t_end) break;
    if (dt < seconds / 50.0 && rounds < (1L << 40)) rounds *= 2;
  }
  (void)sink;
  return best;
}

/* The kernel table of a level that runs here and was compiled in, else NULL. */
static const TriKernels*
level_kernels(const char* isa)
{
  TriIsa level;
  if (!isa || !triode_isa_supported(isa) || !tri_isa_parse(isa, &level)) return NULL;
  return tri_kernels(level);
}

static float
fma_rounds(const void* ctx, long rounds)
{
  const TriKernels* k = ctx;
  return k->fma_burst(rounds * 64); /* a round: 64 of the kernel's rounds */
}

double
triode_isa_fma_peak(const char* isa, double seconds)
{
  const TriKernels* k = level_kernels(isa);
  return k ? best_rate(fma_rounds, k, 64.0 * k->fma_per_burst_round, seconds) : 0.0;
}

/* Values an activation round maps: 4 KiB, well inside L1, so the rate is the kernel's and not the memory's. */
enum { ACT_RUN = 1024 };

typedef struct {
  void (*map)(float* p, int n);
  float* values;
} ActRun;

static float
act_rounds(const void* ctx, long rounds)
{
  const ActRun* r = ctx;
  for (long i = 0; i < rounds; ++i) r->map(r->values, ACT_RUN);
  return r->values[0];
}

/* TRI_CHAIN_* of a measurable activation name (the .nam format's), or -1. */
static int
act_kind(const char* activation)
{
  if (!activation) return -1;
  if (strcmp(activation, "Tanh") == 0) return TRI_CHAIN_TANH;
  if (strcmp(activation, "Sigmoid") == 0) return TRI_CHAIN_SIGMOID;
  if (strcmp(activation, "Fasttanh") == 0) return TRI_CHAIN_FASTTANH;
  return -1;
}

double
triode_isa_activation_rate(const char* isa, const char* activation, double seconds)
{
  const TriKernels* k = level_kernels(isa);
  const int kind = act_kind(activation);
  if (!k || kind < 0) return 0.0;
  ActRun run = {kind == TRI_CHAIN_TANH ? k->tanh : kind == TRI_CHAIN_SIGMOID ? k->sigmoid : k->fast_tanh, NULL};
  /* Values of a typical pre-activation spread; the kernels have no branches on the value, so mapping the same
     buffer again (its values drifting towards a fixed point) costs the same. */
  float values[ACT_RUN];
  for (int i = 0; i < ACT_RUN; ++i) values[i] = -4.0f + 8.0f * (float)i / (float)ACT_RUN;
  run.values = values;
  return best_rate(act_rounds, &run, ACT_RUN, seconds);
}

typedef struct {
  const TriKernels* k;
  int kind;
} ActChain;

static float
chain_rounds(const void* ctx, long rounds)
{
  const ActChain* c = ctx;
  return c->k->act_chain(c->kind, rounds * 64); /* a round: 64 evaluations */
}

double
triode_isa_activation_latency(const char* isa, const char* activation, double seconds)
{
  const ActChain c = {level_kernels(isa), act_kind(activation)};
  if (!c.k || c.kind < 0) return 0.0;
  const double rate = best_rate(chain_rounds, &c, 64.0, seconds);
  return rate > 0.0 ? 1.0 / rate : 0.0;
}
