/*
 * `triode bench [MODELS...]`: option parsing, the model list and the report; the measuring is in bench.c (one
 * instance on the CPU) and, with --gpu, in bench_gpu*.c (a batch of many instances).
 */
#include "args.h"
#include "bench.h"
#include "bench_gpu.h"
#include "bench_load.h"
#include "bench_report.h"
#include "cli.h"
#include "presets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char* const kIsaLevels[] = {"scalar", "sse2", "avx2", "avx512", "neon"};
enum { NUM_LEVELS = sizeof kIsaLevels / sizeof kIsaLevels[0] };

void
help_bench(void)
{
  puts("usage: triode bench [MODELS...] [options]\n"
       "\n"
       "Measures how fast models run and how much memory an instance takes. MODELS are .nam files or built-in\n"
       "presets written preset:NAME (the models of 'triode gen-model', seed 1); without MODELS every preset is\n"
       "measured. For each model: load time (parse and build) and instance creation time (with its prewarm); then\n"
       "for each instruction-set level and block size: the real-time factor (audio seconds per second of\n"
       "processing), nanoseconds per sample, the rate of multiply-adds of the model's convs and matrices reached\n"
       "(GMAC/s) and that as a share of this core's register multiply-add rate at the level (peak, measured once\n"
       "per level in 0.2 s), the ceiling (the real-time factor if every multiply-add ran at that rate and every\n"
       "tanh / sigmoid at its rate measured here, one after the other, or for an LSTM, if lower, what its\n"
       "recurrent step allows: an estimate of the most this core allows at that level), and the instance's\n"
       "memory. The signal is a plucked-string guitar DI peaking at -12 dBFS at the model's rate; each timed\n"
       "pass runs it through in blocks, as a host would, after one warm-up pass. One thread, nothing pinned:\n"
       "close other programs for stable numbers.\n"
       "\n"
       "options:\n"
       "  --block N[,N...]   block sizes in frames, 1..65536; may be repeated (default 64)\n"
       "  --seconds S        audio seconds per pass, 0.01..3600 (default 2)\n"
       "  --runs R           timed passes per measurement, 1..1000; the median is reported (default 5)\n"
       "  --isa LIST         comma-separated levels: scalar, sse2, avx2, avx512, neon, default, or all (every\n"
       "                     level this CPU runs); levels this CPU cannot run are reported as skipped\n"
       "                     (default: the instance's default level, the best one or $TRIODE_ISA)\n"
       "  --fast-tanh        use the fast tanh approximation (what the NAM plugin does)\n"
       "  --slim X           size of slimmable models, 0..1 (1 = full size; e.g. A2.nam at 0 is A2 Lite); the\n"
       "                     model column shows it (A2:slim=0); other models run at their only size, with a warning\n"
       "  --json             print one JSON array of records instead of the table\n"
       "  -h, --help         show this help\n"
       "\n"
       "presets:");
  for (int i = 0; i < presets_count(); i++)
    printf("  preset:%-12s %s\n", presets_get(i)->name, presets_get(i)->description);
  puts("\n"
       "batch mode (--gpu): N instances of each model (default preset:a1-standard) in one batch, every block of\n"
       "every instance processed by one triode_batch_process call, on a CUDA GPU or with --backend host on this\n"
       "thread. Each call is timed host to host (input copy, kernels, output copy). For each block size: per-call\n"
       "latency p50/p99/max in microseconds after 10 untimed warm-up calls, the real-time budget (block / sample\n"
       "rate), whether p99 fits in it, and the aggregate real-time factor (instances x audio seconds / time).\n"
       "  --gpu              measure a batch instead of one CPU instance (--isa and --runs do not apply)\n"
       "  --instances N      instances of each model, 1..16777216 (default 64)\n"
       "  --backend NAME     auto (CUDA when a GPU is usable, else host; the default), cuda or host\n"
       "  --block N[,N...]   as above (default 128 with --gpu)\n"
       "  --seconds S        audio seconds timed per measurement (default 2)\n"
       "  --find-max         also search the largest N per model whose p99 fits the budget: doubling from\n"
       "                     --instances, then bisection to 1 %; each probe is a full measurement\n"
       "  --search-limit S   seconds the search may take per block size, 1..86400 (default 120); when reached,\n"
       "                     the best N so far is reported as a lower bound\n"
       "\n"
       "examples:\n"
       "  triode bench amp.nam preset:a1-standard --block 16,64,256 --isa all\n"
       "  triode bench --gpu --instances 4000 --block 64,128 --find-max\n"
       "  triode bench --gpu --backend host --instances 4 --block 64 --seconds 0.1 --json\n"
       "\n"
       "exit status: 0 done, 1 usage error, 2 a model could not be loaded or the batch cannot run it (the others\n"
       "are still measured), 4 internal error, 5 the --gpu backend is not available here (no GPU, or built\n"
       "without CUDA)");
}

/* Adds one level name (NULL = default) unless already there. */
static void
add_isa(BenchOptions* o, const char* isa)
{
  for (int i = 0; i < o->num_isas; i++)
    if (o->isas[i] == isa)
      return;
  if (o->num_isas < BENCH_MAX_ISAS)
    o->isas[o->num_isas++] = isa;
}

static bool
parse_isa_token(BenchOptions* o, const char* token, size_t length)
{
  if (length == 3 && strncmp(token, "all", 3) == 0) {
    for (int i = 0; i < NUM_LEVELS; i++)
      if (triode_isa_supported(kIsaLevels[i]))
        add_isa(o, kIsaLevels[i]);
    return true;
  }
  if (length == 7 && strncmp(token, "default", 7) == 0) {
    add_isa(o, NULL);
    return true;
  }
  for (int i = 0; i < NUM_LEVELS; i++)
    if (strlen(kIsaLevels[i]) == length && strncmp(token, kIsaLevels[i], length) == 0) {
      add_isa(o, kIsaLevels[i]);
      return true;
    }
  cli_error("bench: unknown instruction set '%.*s' (scalar, sse2, avx2, avx512, neon, default or all)", (int)length,
            token);
  return false;
}

static bool
parse_block_token(BenchOptions* o, const char* token, size_t length)
{
  char text[32];
  long block = 0;
  snprintf(text, sizeof text, "%.*s", (int)(length < sizeof text - 1 ? length : sizeof text - 1), token);
  if (length >= sizeof text || !args_parse_long(text, &block) || block < 1 || block > 65536) {
    cli_error("bench: --block expects integers in [1, 65536], got '%.*s'", (int)length, token);
    return false;
  }
  for (int i = 0; i < o->num_blocks; i++)
    if (o->blocks[i] == block)
      return true;
  if (o->num_blocks == BENCH_MAX_BLOCKS) {
    cli_error("bench: at most %d block sizes", BENCH_MAX_BLOCKS);
    return false;
  }
  o->blocks[o->num_blocks++] = block;
  return true;
}

/* Splits every item of `list` on commas and hands each token to `parse`. */
static bool
parse_list(BenchOptions* o, const ArgList* list, bool (*parse)(BenchOptions*, const char*, size_t))
{
  for (int i = 0; i < list->count; i++) {
    const char* p = list->items[i];
    for (;;) {
      size_t length = strcspn(p, ",");
      if (length == 0 || !parse(o, p, length)) {
        if (length == 0)
          cli_error("bench: empty item in '%s'", list->items[i]);
        return false;
      }
      if (p[length] == '\0')
        break;
      p += length + 1;
    }
  }
  return true;
}

static int
run_all(const BenchOptions* options, const char* const* models, int num_models, bool json)
{
  Bench bench;
  bench_init(&bench, options, num_models);
  int rc = CLI_OK;
  for (int i = 0; i < num_models; i++) {
    int model_rc = bench_model(&bench, models[i]);
    if (model_rc == CLI_INTERNAL) {
      rc = model_rc;
      break;
    }
    if (model_rc != CLI_OK && rc == CLI_OK)
      rc = model_rc;
  }
  if (json) {
    if (!bench_print_json(&bench, stdout)) {
      cli_error("out of memory");
      rc = CLI_INTERNAL;
    }
  } else {
    bench_print_table(&bench, stdout);
  }
  bench_free(&bench);
  return rc;
}

/* What --gpu needs and what it cannot use; prints what is wrong. */
static bool
check_gpu_options(bool gpu, const ArgList* isas, bool runs_given, bool slim_given, bool gpu_option_given)
{
  if (!gpu && gpu_option_given) {
    cli_error("bench: --instances, --backend, --find-max and --search-limit need --gpu (see 'triode help bench')");
    return false;
  }
  if (gpu && (isas->count > 0 || runs_given || slim_given)) {
    const bool slim_only = isas->count == 0 && !runs_given;
    cli_error("bench: --%s does not apply to --gpu%s", isas->count > 0 ? "isa" : runs_given ? "runs" : "slim",
              slim_only ? " (the batch runs slimmable models at full size)" : "");
    return false;
  }
  return true;
}

/*
 * Parses the options into `o` (and `g` with --gpu, then *gpu is true) and the models into `models`; returns
 * CLI_OK, CLI_USAGE or -1 after the help.
 */
static int
parse_options(int argc, char** argv, BenchOptions* o, BenchGpuOptions* g, bool* gpu, bool* json,
              const char** models, int* num_models)
{
  ArgList blocks = {{NULL}, 0}, isas = {{NULL}, 0};
  bool runs_given = false, instances_given = false, search_given = false;
  const ArgSpec specs[] = {
    {"block", 0, ARG_LIST, &blocks, 0, 0, NULL},
    {"seconds", 0, ARG_DOUBLE, &o->seconds, 0.01, 3600, NULL},
    {"runs", 0, ARG_INT, &o->runs, 1, 1000, &runs_given},
    {"isa", 0, ARG_LIST, &isas, 0, 0, NULL},
    {"fast-tanh", 0, ARG_FLAG, &o->fast_tanh, 0, 0, NULL},
    {"slim", 0, ARG_DOUBLE, &o->slim, 0, 1, &o->slim_given},
    {"json", 0, ARG_FLAG, json, 0, 0, NULL},
    {"gpu", 0, ARG_FLAG, gpu, 0, 0, NULL},
    {"instances", 0, ARG_INT, &g->instances, 1, 1 << 24, &instances_given},
    {"backend", 0, ARG_STRING, &g->backend, 0, 0, NULL},
    {"find-max", 0, ARG_FLAG, &g->find_max, 0, 0, NULL},
    {"search-limit", 0, ARG_DOUBLE, &g->search_limit, 1, 86400, &search_given},
  };
  ArgsResult parsed =
    args_parse("bench", argc, argv, specs, (int)(sizeof specs / sizeof specs[0]), models, argc, num_models);
  if (parsed == ARGS_HELP) {
    help_bench();
    return -1;
  }
  const bool gpu_option_given = instances_given || g->backend || g->find_max || search_given;
  if (parsed != ARGS_OK || !check_gpu_options(*gpu, &isas, runs_given, o->slim_given, gpu_option_given) ||
      !parse_list(o, &blocks, parse_block_token) || !parse_list(o, &isas, parse_isa_token))
    return CLI_USAGE;
  if (o->num_blocks == 0)
    o->blocks[o->num_blocks++] = *gpu ? 128 : 64;
  if (o->num_isas == 0)
    add_isa(o, NULL);
  if (!g->backend)
    g->backend = "auto";
  if (strcmp(g->backend, "auto") != 0 && strcmp(g->backend, "cuda") != 0 && strcmp(g->backend, "host") != 0) {
    cli_error("bench: unknown --backend '%s' (auto, cuda or host)", g->backend);
    return CLI_USAGE;
  }
  memcpy(g->blocks, o->blocks, sizeof g->blocks);
  g->num_blocks = o->num_blocks;
  g->seconds = o->seconds;
  g->fast_tanh = o->fast_tanh;
  return CLI_OK;
}

int
cmd_bench(int argc, char** argv)
{
  BenchOptions o;
  memset(&o, 0, sizeof o);
  o.seconds = 2.0;
  o.runs = 5;
  BenchGpuOptions g;
  memset(&g, 0, sizeof g);
  g.instances = 64;
  g.search_limit = 120.0;
  bool json = false, gpu = false;
  enum { NAME_LENGTH = 64 };
  const int capacity = argc > presets_count() ? argc : presets_count();
  const char** models = malloc(sizeof(char*) * (size_t)capacity);
  char* preset_names = malloc((size_t)NAME_LENGTH * (size_t)presets_count());
  if (!models || !preset_names) {
    free(models);
    free(preset_names);
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  int num_models = 0;
  int rc = parse_options(argc, argv, &o, &g, &gpu, &json, models, &num_models);
  if (rc == CLI_OK && num_models == 0 && !gpu) {
    /* No model named: every preset. */
    for (; num_models < presets_count(); num_models++) {
      char* name = preset_names + (size_t)num_models * NAME_LENGTH;
      snprintf(name, NAME_LENGTH, BENCH_PRESET_PREFIX "%s", presets_get(num_models)->name);
      models[num_models] = name;
    }
  }
  if (rc == CLI_OK)
    rc = gpu ? bench_gpu_main(&g, models, num_models, json) : run_all(&o, models, num_models, json);
  free(models);
  free(preset_names);
  return rc < 0 ? CLI_OK : rc;
}
