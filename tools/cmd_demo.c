/*
 * `triode demo`: the whole product in one command. Synthesizes a DI guitar phrase, renders it through the demo
 * model with the same code as `triode render`, and reports levels and speed.
 */
#include "args.h"
#include "audio_io.h"
#include "cli.h"
#include "di_synth.h"
#include "demo_report.h"
#include "files.h"
#include "levels.h"
#include "locate.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DEMO_RATE = 48000 };

void
help_demo(void)
{
  puts("usage: triode demo [--out-dir DIR] [--model MODEL]\n"
       "\n"
       "Synthesizes a short DI guitar phrase (plucked-string synthesis, 48 kHz mono, peaks near -8 dBFS),\n"
       "writes it to DIR/di.wav, renders it through the demo model (models/triode_demo.nam, a small hand-designed\n"
       "overdrive + cabinet WaveNet) into DIR/out.wav, and prints levels and the real-time factor.\n"
       "\n"
       "options:\n"
       "  --out-dir DIR   where to write di.wav and out.wav (default: demo; created if missing)\n"
       "  --model MODEL   render through MODEL instead of the demo model\n"
       "  -h, --help      show this help");
}

static int
write_di(const char* path, Levels* levels)
{
  long n = di_synth_length(DEMO_RATE);
  float* audio = malloc(sizeof(float) * (size_t)n);
  if (!audio || di_synth_riff(audio, DEMO_RATE) != 0) {
    free(audio);
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  levels_add(levels, audio, n);
  AudioWriter* writer = NULL;
  int rc = audio_writer_open(path, AUDIO_WAV_FLOAT, 1, DEMO_RATE, &writer);
  if (rc == CLI_OK && !audio_writer_write(writer, audio, n)) {
    audio_writer_abort(writer);
    rc = CLI_BAD_AUDIO;
  } else if (rc == CLI_OK && !audio_writer_close(writer)) {
    rc = CLI_BAD_AUDIO;
  }
  free(audio);
  return rc;
}

int
cmd_demo(int argc, char** argv)
{
  const char* out_dir = "demo";
  const char* model_arg = NULL;
  const ArgSpec specs[] = {
    {"out-dir", 0, ARG_STRING, &out_dir, 0, 0, NULL},
    {"model", 0, ARG_STRING, &model_arg, 0, 0, NULL},
  };
  int npos = 0;
  ArgsResult parsed = args_parse("demo", argc, argv, specs, 2, NULL, 0, &npos);
  if (parsed == ARGS_HELP) {
    help_demo();
    return CLI_OK;
  }
  if (parsed != ARGS_OK)
    return CLI_USAGE;
  char model_path[4096];
  if (model_arg) {
    snprintf(model_path, sizeof model_path, "%s", model_arg);
  } else if (locate_demo_model(model_path, sizeof model_path) != 0) {
    cli_error("cannot find models/triode_demo.nam (run from the source tree, or pass --model)");
    return CLI_BAD_MODEL;
  }
  /* Show a clean path ("build/tools/../../models" is where a build tree finds it). */
  char* canonical = realpath(model_path, NULL);
  if (canonical && strlen(canonical) < sizeof model_path)
    strcpy(model_path, canonical);
  free(canonical);
  int rc = files_make_dirs(out_dir);
  if (rc != CLI_OK)
    return rc;
  char di_path[4096 + 16], out_path[4096 + 16];
  snprintf(di_path, sizeof di_path, "%s/di.wav", out_dir);
  snprintf(out_path, sizeof out_path, "%s/out.wav", out_dir);

  Levels di;
  levels_init(&di);
  rc = write_di(di_path, &di);
  if (rc != CLI_OK)
    return rc;
  RenderOptions options;
  render_options_init(&options);
  RenderStats stats;
  rc = render_file(model_path, di_path, out_path, &options, &stats);
  if (rc != CLI_OK)
    return rc;
  printf("triode demo: a synthesized DI guitar phrase through a NAM model\n");
  demo_report_model(model_path);
  demo_report_levels(di_path, out_path, &di, &stats);
  if (stats.output.nonfinite > 0)
    cli_warn("the output contains %lld NaN or infinite samples", stats.output.nonfinite);
  return CLI_OK;
}
