/* The bench signal: one DI riff, rescaled, tiled. */
#include "bench_signal.h"

#include "di_synth.h"
#include "levels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

float*
bench_signal_new(long frames, int rate)
{
  long riff_length = di_synth_length(rate);
  float* riff = malloc(sizeof(float) * (size_t)riff_length);
  float* out = malloc(sizeof(float) * (size_t)(frames > 0 ? frames : 1));
  if (!riff || !out || di_synth_riff(riff, rate) != 0) {
    free(riff);
    free(out);
    return NULL;
  }
  float peak = 0.0f;
  for (long i = 0; i < riff_length; i++)
    peak = fmaxf(peak, fabsf(riff[i]));
  float scale = peak > 0.0f ? (float)(levels_from_db(BENCH_SIGNAL_PEAK_DBFS) / peak) : 0.0f;
  for (long i = 0; i < riff_length; i++)
    riff[i] *= scale;
  for (long done = 0; done < frames;) {
    long n = frames - done < riff_length ? frames - done : riff_length;
    memcpy(out + done, riff, sizeof(float) * (size_t)n);
    done += n;
  }
  free(riff);
  return out;
}
