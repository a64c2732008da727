/*
 * `triode gen-model --preset NAME [--seed N] OUT.nam`: writes a seeded random-weight model of a common preset
 * (presets.c). Before writing, the model is loaded back through the library and its weight count is checked
 * against the spec's, so a bad preset fails here; the output level measured while building it is reported.
 */
#include "args.h"
#include "bench_signal.h"
#include "cli.h"
#include "files.h"
#include "levels.h"
#include "presets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <triode/triode.h>

void
help_gen_model(void)
{
  puts("usage: triode gen-model --preset NAME [--seed N] OUT.nam\n"
       "\n"
       "Writes a model with the architecture and exact weight count of a common trainer preset and random weights\n"
       "(not trained: it sounds like some untuned distortion). For benchmarks and tests: the same preset and seed\n"
       "always give the same file, byte for byte. The output is scaled by a power of two so that a guitar DI\n"
       "peaking at -12 dBFS comes out near -20 dBFS RMS, like a real capture; the level is printed.\n"
       "\n"
       "options:\n"
       "  --preset NAME   which preset (below)\n"
       "  --seed N        random seed, 0..4294967295 (default 1)\n"
       "  --quiet         print only warnings and errors\n"
       "  -h, --help      show this help\n"
       "\n"
       "presets (weights):");
  for (int i = 0; i < presets_count(); i++) {
    const PresetSpec* p = presets_get(i);
    printf("  %-12s %6ld  %s\n", p->name, p->num_weights, p->description);
  }
  puts("\n"
       "`triode bench` accepts the same presets as models, written preset:NAME.\n"
       "\n"
       "exit status: 0 done, 1 usage error, 2 the library rejected the model, 3 OUT could not be written");
}

/* Loads the text back (the library checks it) and compares its weight count with the spec's. */
static int
check_model(const PresetSpec* preset, const char* text)
{
  TriodeModel* model = NULL;
  TriodeError error;
  memset(&error, 0, sizeof error);
  TriodeStatus status = triode_model_load_string(text, strlen(text), preset->name, NULL, &model, &error);
  if (status != TRIODE_SUCCESS) {
    cli_error("the library rejects preset %s: %s", preset->name,
              error.message[0] ? error.message : triode_strerror(status));
    return CLI_BAD_MODEL;
  }
  long params = triode_model_num_params(model);
  triode_model_free(model);
  if (params != preset->num_weights) {
    cli_error("internal error: preset %s has %ld weights, expected %ld", preset->name, params, preset->num_weights);
    return CLI_INTERNAL;
  }
  return CLI_OK;
}

int
cmd_gen_model(int argc, char** argv)
{
  const char* preset_name = NULL;
  long seed = 1;
  bool quiet = false;
  const ArgSpec specs[] = {
    {"preset", 0, ARG_STRING, &preset_name, 0, 0, NULL},
    {"seed", 0, ARG_INT, &seed, 0, 4294967295.0, NULL},
    {"quiet", 'q', ARG_FLAG, &quiet, 0, 0, NULL},
  };
  const char* pos[1];
  int npos = 0;
  ArgsResult parsed = args_parse("gen-model", argc, argv, specs, 3, pos, 1, &npos);
  if (parsed == ARGS_HELP) {
    help_gen_model();
    return CLI_OK;
  }
  if (parsed != ARGS_OK)
    return CLI_USAGE;
  if (npos != 1 || !preset_name) {
    cli_error("gen-model: expected --preset NAME and one OUT.nam argument (see 'triode help gen-model')");
    return CLI_USAGE;
  }
  cli_set_quiet(quiet);
  const PresetSpec* preset = presets_find(preset_name);
  if (!preset) {
    cli_error("gen-model: unknown preset '%s' (see 'triode help gen-model')", preset_name);
    return CLI_USAGE;
  }
  Levels levels;
  levels_init(&levels);
  cJSON* root = presets_build(preset, (unsigned long)seed, &levels);
  if (!root)
    return CLI_INTERNAL;
  char* text = cJSON_Print(root);
  cJSON_Delete(root);
  if (!text) {
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  int rc = check_model(preset, text);
  if (rc == CLI_OK)
    rc = files_write_text(pos[0], text);
  cJSON_free(text);
  if (rc == CLI_OK)
    cli_note("wrote %s: preset %s, seed %ld, %ld weights; bench signal (%.0f dBFS peak) out at RMS %.1f dBFS, "
             "peak %.1f dBFS",
             pos[0], preset->name, seed, preset->num_weights, BENCH_SIGNAL_PEAK_DBFS, levels_rms_db(&levels),
             levels_peak_db(&levels));
  if (rc == CLI_OK && levels.nonfinite > 0)
    cli_warn("the model's output contains %lld NaN or infinite samples", levels.nonfinite);
  return rc;
}
