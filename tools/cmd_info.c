/* `triode info MODEL [--json]`: what a model is, what it expects and what its file says about itself. */
#include "args.h"
#include "cli.h"
#include "info_json.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <triode/triode.h>

void
help_info(void)
{
  puts("usage: triode info MODEL [--json]\n"
       "\n"
       "Describes the .nam model MODEL: architecture tree, parameter count, sample rate, receptive field,\n"
       "prewarm length, channels, levels (loudness, input/output dBu), slim breakpoints, load warnings and all\n"
       "metadata entries.\n"
       "\n"
       "options:\n"
       "  --json       print one JSON object instead of text\n"
       "  -h, --help   show this help\n"
       "\n"
       "exit status: 0 done, 1 usage error, 2 bad model");
}

static void
print_level(const char* label, bool present, double value, const char* unit)
{
  if (present)
    printf("%-17s %.2f %s\n", label, value, unit);
  else
    printf("%-17s -\n", label);
}

static void
print_slim(const TriodeModel* model)
{
  if (!triode_model_is_slimmable(model)) {
    printf("%-17s no\n", "slimmable:");
    return;
  }
  double points[64];
  int n = triode_model_slim_breakpoints(model, points, 64);
  printf("%-17s yes, breakpoints:", "slimmable:");
  for (int i = 0; i < n && i < 64; i++)
    printf(" %.4g", points[i]);
  printf(n > 64 ? " ...\n" : "\n");
}

static void
print_text(const char* path, const TriodeModel* model)
{
  double rate = triode_model_sample_rate(model), v = 0.0;
  long rf = triode_model_receptive_field(model);
  printf("%-17s %s\n", "file:", path);
  printf("%-17s %s (file version %s)\n", "architecture:", triode_model_architecture(model),
         triode_model_version(model));
  printf("%-17s %ld\n", "parameters:", triode_model_num_params(model));
  if (rate > 0.0)
    printf("%-17s %g Hz\n", "sample rate:", rate);
  else
    printf("%-17s unknown (treated as 48000 Hz)\n", "sample rate:");
  printf("%-17s %ld samples (%.2f ms)\n", "receptive field:", rf, 1000.0 * (double)rf / (rate > 0 ? rate : 48000));
  printf("%-17s %ld samples\n", "prewarm:", triode_model_prewarm_samples(model));
  printf("%-17s %d in, %d out\n", "channels:", triode_model_num_inputs(model), triode_model_num_outputs(model));
  bool has = triode_model_loudness(model, &v);
  print_level("loudness:", has, v, "dB");
  has = triode_model_input_level_dbu(model, &v);
  print_level("input level:", has, v, "dBu");
  has = triode_model_output_level_dbu(model, &v);
  print_level("output level:", has, v, "dBu");
  print_slim(model);
  const char* warning = triode_model_warning(model);
  if (warning)
    printf("%-17s %s\n", "warning:", warning);
  int count = triode_model_metadata_count(model);
  printf("metadata:%s\n", count ? "" : " none");
  for (int i = 0; i < count; i++)
    printf("  %s: %s\n", triode_model_metadata_key(model, i), triode_model_metadata_value(model, i));
  char* tree = triode_model_describe(model, false);
  printf("architecture tree:\n%s", tree ? tree : "(not available)\n");
  if (tree && tree[0] && tree[strlen(tree) - 1] != '\n')
    putchar('\n');
  triode_free(tree);
}

int
cmd_info(int argc, char** argv)
{
  bool json = false;
  const ArgSpec specs[] = {{"json", 0, ARG_FLAG, &json, 0, 0, NULL}};
  const char* pos[1];
  int npos = 0;
  ArgsResult parsed = args_parse("info", argc, argv, specs, 1, pos, 1, &npos);
  if (parsed == ARGS_HELP) {
    help_info();
    return CLI_OK;
  }
  if (parsed != ARGS_OK)
    return CLI_USAGE;
  if (npos != 1) {
    cli_error("info: expected one MODEL argument (see 'triode help info')");
    return CLI_USAGE;
  }
  TriodeModel* model = NULL;
  TriodeError error;
  memset(&error, 0, sizeof error);
  TriodeStatus status = triode_model_load_file(pos[0], NULL, &model, &error);
  if (status != TRIODE_SUCCESS) {
    cli_error("cannot load model: %s", error.message[0] ? error.message : triode_strerror(status));
    return CLI_BAD_MODEL;
  }
  int rc = CLI_OK;
  if (json) {
    char* text = info_json(pos[0], model);
    if (text) {
      puts(text);
    } else {
      cli_error("out of memory");
      rc = CLI_INTERNAL;
    }
    cJSON_free(text);
  } else {
    print_text(pos[0], model);
  }
  triode_model_free(model);
  return rc;
}
