/*
 * `triode gen-demo-model OUT.nam`: writes the hand-designed demo model (demo_model.c). Before writing, the model is
 * loaded back through the library, which checks it, and its loudness is measured on the demo DI phrase.
 */
#include "args.h"
#include "cli.h"
#include "demo_model.h"
#include "di_synth.h"
#include "files.h"
#include "levels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <triode/triode.h>

void
help_gen_demo_model(void)
{
  puts("usage: triode gen-demo-model OUT.nam\n"
       "\n"
       "Writes the project's demo model (models/triode_demo.nam): a small WaveNet designed by hand, not trained,\n"
       "made of a two-stage tanh overdrive followed by a cabinet-like FIR filter. The output is deterministic.\n"
       "\n"
       "exit status: 0 done, 1 usage error, 2 the library rejected the model, 3 OUT could not be written");
}

/* RMS level in dB of the model's output for the demo DI phrase, or NAN after a message. */
static double
measure_loudness(const TriodeModel* model)
{
  const int rate = 48000;
  long n = di_synth_length(rate);
  float* audio = malloc(sizeof(float) * (size_t)n);
  TriodeInstance* instance = NULL;
  double loudness = NAN;
  if (!audio || di_synth_riff(audio, rate) != 0) {
    cli_error("out of memory");
  } else if (triode_instance_new(model, &instance, NULL) != TRIODE_SUCCESS ||
             triode_instance_reset(instance, rate, 64) != TRIODE_SUCCESS ||
             triode_instance_process_mono(instance, audio, audio, (size_t)n) != TRIODE_SUCCESS) {
    cli_error("cannot run the demo model through the library");
  } else {
    Levels levels;
    levels_init(&levels);
    levels_add(&levels, audio, n);
    loudness = levels.nonfinite ? NAN : levels_rms_db(&levels);
    if (!isfinite(loudness))
      cli_error("the demo model produced no usable output");
  }
  triode_instance_free(instance);
  free(audio);
  return loudness;
}

/* Loads the JSON through the library (so a bad design fails here, not in users' hands) and measures it. */
static int
check_and_measure(cJSON* root, double* loudness)
{
  char* text = cJSON_PrintUnformatted(root);
  if (!text) {
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  TriodeModel* model = NULL;
  TriodeError error;
  memset(&error, 0, sizeof error);
  TriodeStatus status = triode_model_load_string(text, strlen(text), "demo model", NULL, &model, &error);
  cJSON_free(text);
  if (status != TRIODE_SUCCESS) {
    cli_error("the library rejects the demo model: %s", error.message[0] ? error.message : triode_strerror(status));
    return CLI_BAD_MODEL;
  }
  *loudness = measure_loudness(model);
  triode_model_free(model);
  return isfinite(*loudness) ? CLI_OK : CLI_BAD_MODEL;
}

int
cmd_gen_demo_model(int argc, char** argv)
{
  const char* pos[1];
  int npos = 0;
  ArgsResult parsed = args_parse("gen-demo-model", argc, argv, NULL, 0, pos, 1, &npos);
  if (parsed == ARGS_HELP) {
    help_gen_demo_model();
    return CLI_OK;
  }
  if (parsed != ARGS_OK)
    return CLI_USAGE;
  if (npos != 1) {
    cli_error("gen-demo-model: expected one OUT.nam argument");
    return CLI_USAGE;
  }
  cJSON* root = demo_model_build();
  if (!root) {
    cli_error("internal error: the demo model's weight count does not match its configuration");
    return CLI_INTERNAL;
  }
  double loudness = 0.0;
  int rc = check_and_measure(root, &loudness);
  if (rc == CLI_OK) {
    /* Two decimals keep the file identical across libm implementations. */
    char value[32];
    snprintf(value, sizeof value, "%.2f", round(loudness * 100.0) / 100.0);
    cJSON_AddItemToObject(cJSON_GetObjectItem(root, "metadata"), "loudness", cJSON_CreateRaw(value));
    char* text = cJSON_Print(root);
    rc = text ? files_write_text(pos[0], text) : CLI_INTERNAL;
    cJSON_free(text);
    if (rc == CLI_OK)
      cli_note("wrote %s (loudness %s dB)", pos[0], value);
  }
  cJSON_Delete(root);
  return rc;
}
