/*
 * `triode render MODEL IN OUT` and `triode render MODEL IN... --out-dir DIR`: option parsing and the summary
 * lines; the work is in render.c (one file) and render_batch.c (several).
 */
#include "args.h"
#include "cli.h"
#include "render.h"
#include "render_batch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void
help_render(void)
{
  puts("usage: triode render MODEL IN OUT [options]\n"
       "       triode render MODEL IN... --out-dir DIR [options]\n"
       "\n"
       "Runs the audio file IN through the .nam model MODEL and writes OUT as a 32-bit float WAV. With --out-dir,\n"
       "every IN is rendered into DIR/<IN's name>.wav.\n"
       "IN may be any format libsndfile reads (WAV, FLAC, AIFF, OGG, ...). Each channel is processed by its own\n"
       "instance of the model, so a stereo file gives a stereo result. When IN's sample rate differs from the\n"
       "model's (a model that does not say is taken as 48 kHz), the audio is resampled to the model's rate and\n"
       "back (libsamplerate, best quality); OUT has the same rate and length as IN.\n"
       "\n"
       "options (before or after the file names; --opt=value also works):\n"
       "  --block N          process in blocks of N frames (1..65536, default 64)\n"
       "  --out-dir DIR      render every IN into DIR (created if missing) instead of one IN to OUT\n"
       "  --threads N        use up to N threads (1..256, default 1): N files at a time with --out-dir, and the\n"
       "                     channels of a file in parallel otherwise; the output does not depend on N\n"
       "  --mono             average all channels of IN into one; OUT is mono\n"
       "  --input-gain DB    gain applied before the model, in dB (default 0)\n"
       "  --output-gain DB   gain applied after the model, in dB (default 0)\n"
       "  --normalize        add (-18 - loudness) dB of output gain, from the model's loudness metadata\n"
       "  --calibrate DBU    your interface's level in dBu for a 0 dBFS sine: adds (DBU - input_level_dbu) dB\n"
       "                     of input gain, from the model's input_level_dbu metadata\n"
       "  --slim X           size of a slimmable model, 0..1 (1 = full size)\n"
       "  --fast-tanh        use the fast tanh approximation (what the NAM plugin does)\n"
       "  --no-prewarm       start from zeroed histories instead of prewarming the model\n"
       "  --film-snapshot    reproduce the reference snapshot's layer1x1 FiLM behaviour\n"
       "  --raw-f32          IN and OUT are headerless little-endian float32 mono at the model's rate\n"
       "  --quiet            print only warnings and errors\n"
       "  -h, --help         show this help\n"
       "\n"
       "exit status: 0 done, 1 usage error, 2 bad model, 3 bad or unwritable audio file, 4 internal error");
}

static void
print_summary(const char* out_path, const RenderStats* s)
{
  double seconds = s->file_rate > 0 ? (double)s->frames / s->file_rate : 0.0;
  cli_note("wrote %s: %lld frames, %d channel%s, %d Hz (%.2f s); output peak %.1f dBFS, RMS %.1f dBFS", out_path,
           s->frames, s->channels, s->channels == 1 ? "" : "s", s->file_rate, seconds, levels_peak_db(&s->output),
           levels_rms_db(&s->output));
  if (s->process_seconds > 0.0 && seconds > 0.0)
    cli_note("model time %.3f s for %.2f s of audio per channel (%.1fx real time)", s->process_seconds, seconds,
             seconds * s->channels / s->process_seconds);
}

/* The warnings and summary of one rendered file. */
static void
report(const char* in_path, const char* out_path, const RenderStats* stats)
{
  if (stats->frames == 0)
    cli_warn("'%s' contains no audio frames; wrote an empty file", in_path);
  if (stats->output.nonfinite > 0)
    cli_warn("the output contains %lld NaN or infinite samples", stats->output.nonfinite);
  print_summary(out_path, stats);
}

static int
render_many(const char* model_path, const char* const* inputs, int count, const char* out_dir,
            const RenderOptions* options, long threads)
{
  RenderJob* jobs = calloc((size_t)count, sizeof *jobs);
  if (!jobs) {
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  for (int i = 0; i < count; i++)
    jobs[i].in_path = inputs[i];
  int rc = render_batch_plan(jobs, count, out_dir, options->raw_f32);
  if (rc == CLI_OK) {
    rc = render_batch_run(model_path, jobs, count, out_dir, options, threads);
    /* Reported in the order given, whatever order the threads finished in. */
    for (int i = 0; i < count; i++) {
      if (jobs[i].rc == CLI_OK)
        report(jobs[i].in_path, jobs[i].out_path, &jobs[i].stats);
      else
        cli_error("'%s' was not rendered", jobs[i].in_path);
    }
  }
  free(jobs);
  return rc;
}

int
cmd_render(int argc, char** argv)
{
  RenderOptions o;
  render_options_init(&o);
  bool quiet = false;
  long threads = 1;
  const char* out_dir = NULL;
  const ArgSpec specs[] = {
    {"block", 0, ARG_INT, &o.block, 1, 65536, NULL},
    {"mono", 0, ARG_FLAG, &o.mono, 0, 0, NULL},
    {"input-gain", 0, ARG_DOUBLE, &o.input_gain_db, -200, 200, NULL},
    {"output-gain", 0, ARG_DOUBLE, &o.output_gain_db, -200, 200, NULL},
    {"normalize", 0, ARG_FLAG, &o.normalize, 0, 0, NULL},
    {"calibrate", 0, ARG_DOUBLE, &o.calibrate_dbu, -100, 100, &o.calibrate_given},
    {"slim", 0, ARG_DOUBLE, &o.slim, 0, 1, &o.slim_given},
    {"fast-tanh", 0, ARG_FLAG, &o.fast_tanh, 0, 0, NULL},
    {"no-prewarm", 0, ARG_FLAG, &o.no_prewarm, 0, 0, NULL},
    {"film-snapshot", 0, ARG_FLAG, &o.film_snapshot, 0, 0, NULL},
    {"raw-f32", 0, ARG_FLAG, &o.raw_f32, 0, 0, NULL},
    {"threads", 0, ARG_INT, &threads, 1, 256, NULL},
    {"out-dir", 0, ARG_STRING, &out_dir, 0, 0, NULL},
    {"quiet", 'q', ARG_FLAG, &quiet, 0, 0, NULL},
  };
  const char** pos = malloc(sizeof(char*) * (size_t)argc);
  if (!pos) {
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  int npos = 0;
  ArgsResult parsed =
    args_parse("render", argc, argv, specs, (int)(sizeof specs / sizeof specs[0]), pos, argc, &npos);
  int rc = CLI_OK;
  if (parsed == ARGS_HELP) {
    help_render();
  } else if (parsed != ARGS_OK) {
    rc = CLI_USAGE;
  } else if (out_dir ? npos < 2 : npos != 3) {
    cli_error("render: expected %s, got %d argument%s (see 'triode help render')",
              out_dir ? "MODEL and at least one IN with --out-dir" : "MODEL IN OUT", npos, npos == 1 ? "" : "s");
    rc = CLI_USAGE;
  } else {
    cli_set_quiet(quiet);
    if (out_dir) {
      rc = render_many(pos[0], pos + 1, npos - 1, out_dir, &o, threads);
    } else {
      RenderStats stats;
      o.threads = threads;
      rc = render_file(pos[0], pos[1], pos[2], &o, &stats);
      if (rc == CLI_OK)
        report(pos[1], pos[2], &stats);
    }
  }
  free(pos);
  return rc;
}
