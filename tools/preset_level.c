/* Level measurement and the power-of-two gain of the presets. */
#include "preset_level.h"

#include "bench_signal.h"
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { LEVEL_RATE = 48000, LEVEL_SECONDS = 7 }; /* one whole DI riff: chugs, chords, a run and a ringing chord */

bool
preset_level_measure(const TriodeModel* model, Levels* levels)
{
  const long n = (long)LEVEL_RATE * LEVEL_SECONDS;
  float* audio = bench_signal_new(n, LEVEL_RATE);
  TriodeInstance* instance = NULL;
  bool ok = audio && triode_instance_new(model, &instance, NULL) == TRIODE_SUCCESS &&
            triode_instance_process_mono(instance, audio, audio, (size_t)n) == TRIODE_SUCCESS;
  if (ok)
    levels_add(levels, audio, n);
  else
    cli_error("cannot run the model through the library");
  triode_instance_free(instance);
  free(audio);
  return ok;
}

bool
preset_level_exponent(const char* text, const char* name, Levels* levels, int* exponent)
{
  TriodeModel* model = NULL;
  TriodeError error;
  memset(&error, 0, sizeof error);
  TriodeStatus status = triode_model_load_string(text, strlen(text), name, NULL, &model, &error);
  if (status != TRIODE_SUCCESS) {
    cli_error("the library rejects preset %s: %s", name, error.message[0] ? error.message : triode_strerror(status));
    return false;
  }
  levels_init(levels);
  bool ok = preset_level_measure(model, levels);
  triode_model_free(model);
  double rms = levels_rms_db(levels);
  if (ok && (levels->nonfinite > 0 || !isfinite(rms))) {
    cli_error("preset %s gives %s output", name, levels->nonfinite > 0 ? "non-finite" : "silent");
    ok = false;
  }
  if (ok)
    *exponent = (int)lround((PRESET_TARGET_RMS_DBFS - rms) / (20.0 * log10(2.0)));
  return ok;
}

void
preset_level_scale(Levels* levels, int exponent)
{
  levels->peak = ldexp(levels->peak, exponent);
  levels->sum_squares = ldexp(levels->sum_squares, 2 * exponent);
}
