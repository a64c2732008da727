/*
 * `triode render MODEL IN OUT`, `triode render MODEL IN... --out-dir DIR` and their --gpu forms: option parsing
 * and dispatch; the work is in render.c (one file), render_batch.c (several) and render_gpu.c (one batch).
 */
#include "args.h"
#include "cli.h"
#include "render.h"
#include "render_batch.h"
#include "render_gpu.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
help_render(void)
{
  puts("usage: triode render MODEL IN OUT [options]\n"
       "       triode render MODEL IN... --out-dir DIR [options]\n"
       "       triode render --gpu MODEL IN... (OUT | --out-dir DIR) [options]\n"
       "       triode render --gpu --models MODELS_DIR IN --out-dir DIR [options]\n"
       "\n"
       "Runs the audio file IN through the .nam model MODEL and writes OUT as a 32-bit float WAV. With --out-dir,\n"
       "every IN is rendered into DIR/<IN's name>.wav.\n"
       "IN may be any format libsndfile reads (WAV, FLAC, AIFF, OGG, ...). Each channel is processed by its own\n"
       "instance of the model, so a stereo file gives a stereo result. When IN's sample rate differs from the\n"
       "model's (a model that does not say is taken as 48 kHz), the audio is resampled to the model's rate and\n"
       "back (libsamplerate, best quality); OUT has the same rate and length as IN.\n"
       "\n"
       "With --gpu, all the outputs are rendered together in one batch of model instances (one per output channel;\n"
       "each batch call advances every instance by one block), on a CUDA GPU or, with --backend host, on this\n"
       "thread. --models renders IN through every .nam in MODELS_DIR into DIR/<model name>.wav. The output equals\n"
       "the CPU render's within 1e-4 (same resampling and gains). Models the batch cannot run (FiLM, condition\n"
       "DSP, ...) are reported and their outputs skipped; the other outputs are still rendered. Offline, larger\n"
       "blocks (--block 2048) render faster; 128 is what a real-time host would use.\n"
       "\n"
       "options (before or after the file names; --opt=value also works):\n"
       "  --block N          process in blocks of N frames (1..65536, default 64; 128 with --gpu)\n"
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
       "  --gpu              render everything in one batch (see above); not with --threads or --slim\n"
       "  --backend NAME     with --gpu: auto (CUDA when a GPU is usable, else host; the default), cuda or host\n"
       "  --models DIR       with --gpu: render the one IN through every .nam in DIR (needs --out-dir)\n"
       "  --quiet            print only warnings and errors\n"
       "  -h, --help         show this help\n"
       "\n"
       "examples:\n"
       "  triode render amp.nam guitar_di.wav amp_out.wav --normalize\n"
       "  triode render --gpu amp.nam take1.wav take2.wav take3.wav --out-dir reamped\n"
       "  triode render --gpu --models captures/ guitar_di.wav --out-dir by_model\n"
       "\n"
       "exit status: 0 done, 1 usage error, 2 bad model (or one the batch cannot run), 3 bad or unwritable audio\n"
       "file, 4 internal error, 5 the --gpu backend is not available here (no GPU, or built without CUDA)");
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
        render_report(jobs[i].in_path, jobs[i].out_path, &jobs[i].stats);
      else
        cli_error("'%s' was not rendered", jobs[i].in_path);
    }
  }
  free(jobs);
  return rc;
}

/* Options that --gpu needs, or that it cannot honour; prints what is wrong. */
static bool
check_gpu_options(const RenderOptions* o, bool gpu, const RenderGpuOptions* g, bool threads_given)
{
  if (!gpu) {
    if (g->backend || g->models_dir)
      cli_error("render: --%s needs --gpu (see 'triode help render')", g->backend ? "backend" : "models");
    return !g->backend && !g->models_dir;
  }
  if (threads_given || o->slim_given) {
    cli_error("render: --%s does not apply to --gpu (%s)", threads_given ? "threads" : "slim",
              threads_given ? "the batch renders every output at once"
                            : "the batch runs slimmable models at full size");
    return false;
  }
  if (g->backend && strcmp(g->backend, "auto") != 0 && strcmp(g->backend, "cuda") != 0 &&
      strcmp(g->backend, "host") != 0) {
    cli_error("render: unknown --backend '%s' (auto, cuda or host)", g->backend);
    return false;
  }
  return true;
}

/* The positional arguments each form takes. */
static bool
check_positionals(const RenderGpuOptions* g, const char* out_dir, int npos)
{
  if (g->models_dir) {
    if (out_dir && npos == 1)
      return true;
    cli_error("render: --models takes one IN and --out-dir, got %d argument%s%s (see 'triode help render')", npos,
              npos == 1 ? "" : "s", out_dir ? "" : " and no --out-dir");
    return false;
  }
  if (out_dir ? npos >= 2 : npos == 3)
    return true;
  cli_error("render: expected %s, got %d argument%s (see 'triode help render')",
            out_dir ? "MODEL and at least one IN with --out-dir" : "MODEL IN OUT", npos, npos == 1 ? "" : "s");
  return false;
}

/* The CPU forms: one file, or several with --out-dir. */
static int
render_cpu(const char* const* pos, int npos, const char* out_dir, RenderOptions* o, long threads)
{
  if (out_dir)
    return render_many(pos[0], pos + 1, npos - 1, out_dir, o, threads);
  RenderStats stats;
  o->threads = threads;
  int rc = render_file(pos[0], pos[1], pos[2], o, &stats);
  if (rc == CLI_OK)
    render_report(pos[1], pos[2], &stats);
  return rc;
}

static int
render_batch_gpu(const char* const* pos, int npos, const char* out_dir, RenderOptions* o, RenderGpuOptions* g,
                 bool block_given)
{
  if (!block_given)
    o->block = 128; /* a GPU needs enough frames per call to hide the launch and copy latency */
  if (!g->backend)
    g->backend = "auto";
  if (g->models_dir)
    return render_gpu(NULL, pos, 1, NULL, out_dir, o, g);
  return render_gpu(pos[0], pos + 1, out_dir ? npos - 1 : 1, out_dir ? NULL : pos[2], out_dir, o, g);
}

int
cmd_render(int argc, char** argv)
{
  RenderOptions o;
  render_options_init(&o);
  RenderGpuOptions g = {NULL, NULL};
  bool quiet = false, gpu = false, block_given = false, threads_given = false;
  long threads = 1;
  const char* out_dir = NULL;
  const ArgSpec specs[] = {
    {"block", 0, ARG_INT, &o.block, 1, 65536, &block_given},
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
    {"threads", 0, ARG_INT, &threads, 1, 256, &threads_given},
    {"out-dir", 0, ARG_STRING, &out_dir, 0, 0, NULL},
    {"gpu", 0, ARG_FLAG, &gpu, 0, 0, NULL},
    {"backend", 0, ARG_STRING, &g.backend, 0, 0, NULL},
    {"models", 0, ARG_STRING, &g.models_dir, 0, 0, NULL},
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
  } else if (parsed != ARGS_OK || !check_gpu_options(&o, gpu, &g, threads_given) ||
             !check_positionals(&g, out_dir, npos)) {
    rc = CLI_USAGE;
  } else {
    cli_set_quiet(quiet);
    rc = gpu ? render_batch_gpu(pos, npos, out_dir, &o, &g, block_given)
             : render_cpu(pos, npos, out_dir, &o, threads);
  }
  free(pos);
  return rc;
}
