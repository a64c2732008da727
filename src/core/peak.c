/* triode_isa_fma_peak: a core's multiply-add rate at one instruction-set level, to set measured speeds against. */
#include "core/model_impl.h"

#include <time.h>

static double
seconds_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double
triode_isa_fma_peak(const char* isa, double seconds)
{
  TriIsa level;
  if (!isa || !triode_isa_supported(isa) || !tri_isa_parse(isa, &level)) return 0.0; /* runs here, compiled in */
  const TriKernels* k = tri_kernels(level);
  if (!(seconds >= 0.001)) seconds = 0.001; /* also NaN */
  if (seconds > 10.0) seconds = 10.0;
  /* Bursts that double until one lasts a fiftieth of the time, so the clock reads are negligible; the best rate of
     the timed bursts is kept (a burst that an interrupt or a frequency change slowed reads low). */
  long rounds = 1000;
  double best = 0.0;
  volatile float sink; /* the sums are used, so the calls cannot be dropped */
  const double t_end = seconds_now() + seconds;
  for (;;) {
    const double t0 = seconds_now();
    sink = k->fma_burst(rounds);
    const double t1 = seconds_now(), dt = t1 - t0;
    if (dt > 0.0) {
      const double rate = (double)rounds * k->fma_per_burst_round / dt;
      best = rate > best ? rate : best;
    }
    if (t1 >= t_end) break;
    if (dt < seconds / 50.0 && rounds < (1L << 40)) rounds *= 2;
  }
  (void)sink;
  return best;
}
