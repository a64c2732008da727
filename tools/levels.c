/* Level statistics accumulated block by block; NaN/Inf are counted apart so one bad sample cannot hide the rest. */
#include "levels.h"

#include <math.h>

void
levels_init(Levels* l)
{
  l->peak = 0.0;
  l->sum_squares = 0.0;
  l->count = 0;
  l->nonfinite = 0;
}

void
levels_add(Levels* l, const float* x, long n)
{
  for (long i = 0; i < n; i++) {
    double v = x[i];
    if (!isfinite(v)) {
      l->nonfinite++;
      continue;
    }
    double a = fabs(v);
    if (a > l->peak)
      l->peak = a;
    l->sum_squares += v * v;
    l->count++;
  }
}

double
levels_to_db(double linear)
{
  return linear > 0.0 ? 20.0 * log10(linear) : -INFINITY;
}

double
levels_from_db(double db)
{
  return pow(10.0, db / 20.0);
}

double
levels_peak_db(const Levels* l)
{
  return levels_to_db(l->peak);
}

double
levels_rms_db(const Levels* l)
{
  return l->count > 0 ? levels_to_db(sqrt(l->sum_squares / (double)l->count)) : -INFINITY;
}
