/*
 * `triode bench --gpu` once its options are parsed (cmd_bench.c): the models (loaded once, each checked against
 * the batch), a measurement per block size and the --find-max searches (bench_gpu.c, bench_gpu_search.c), then
 * the report (bench_gpu_report.c).
 */
#include "bench_gpu.h"
#include "bench_load.h"
#include "bench_signal.h"
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <triode/batch.h>
#include <unistd.h>


bool
bench_gpu_add_record(BenchGpu* b, const BenchGpuRecord* record)
{
  if (b->count == b->capacity) {
    int capacity = b->capacity ? 2 * b->capacity : 16;
    BenchGpuRecord* grown = realloc(b->records, sizeof *grown * (size_t)capacity);
    if (!grown)
      return false;
    b->records = grown;
    b->capacity = capacity;
  }
  b->records[b->count++] = *record;
  return true;
}

void
bench_gpu_free(BenchGpu* b)
{
  for (int i = 0; i < b->num_models; i++)
    triode_model_free(b->models[i]);
  free(b->models);
  free(b->names);
  free(b->records);
  free(b->signal);
  memset(b, 0, sizeof *b);
}

/* Loads one model and asks a batch whether it runs it; reports and returns an exit code when not. */
static int
add_model(BenchGpu* b, const TriodeBatch* probe, const char* source)
{
  TriodeModel* model = NULL;
  double load_ms = 0.0;
  int rc = bench_load(source, b->options.fast_tanh, 1, &model, &load_ms);
  if (rc != CLI_OK)
    return rc;
  TriodeError error;
  memset(&error, 0, sizeof error);
  TriodeStatus status = triode_batch_supports(probe, model, &error);
  if (status != TRIODE_SUCCESS) {
    cli_error("bench: %s: the batch cannot run this model: %s", source,
              error.message[0] ? error.message : triode_strerror(status));
    triode_model_free(model);
    return status == TRIODE_ERR_NO_MEMORY ? CLI_INTERNAL : CLI_BAD_MODEL;
  }
  const double rate = triode_model_sample_rate(model) > 0.0 ? triode_model_sample_rate(model) : 48000.0;
  b->sample_rate = rate > b->sample_rate ? rate : b->sample_rate;
  bench_short_name(source, b->names[b->num_models], sizeof b->names[0]);
  b->models[b->num_models++] = model;
  return CLI_OK;
}

/* Opens the backend once (failing early when it cannot run here) and keeps the models it accepts. */
static int
load_models(BenchGpu* b, const char* const* sources, int num_sources)
{
  long max_block = 1;
  for (int k = 0; k < b->options.num_blocks; k++)
    max_block = b->options.blocks[k] > max_block ? b->options.blocks[k] : max_block;
  TriodeBatch* probe = NULL;
  TriodeError error;
  memset(&error, 0, sizeof error);
  TriodeStatus status = triode_batch_new(b->options.backend, (int)max_block, &probe, &error);
  if (status != TRIODE_SUCCESS) {
    cli_error("bench --gpu: %s", error.message[0] ? error.message : triode_strerror(status));
    return status == TRIODE_ERR_NO_MEMORY ? CLI_INTERNAL : status == TRIODE_ERR_BAD_ARG ? CLI_USAGE : CLI_NO_BACKEND;
  }
  b->backend_name = triode_batch_backend(probe); /* a static string: it outlives the batch */
  int rc = CLI_OK;
  for (int i = 0; i < num_sources && rc != CLI_INTERNAL; i++) {
    int model_rc = add_model(b, probe, sources[i]);
    rc = model_rc != CLI_OK && rc == CLI_OK ? model_rc : rc;
    rc = model_rc == CLI_INTERNAL ? CLI_INTERNAL : rc;
  }
  triode_batch_free(probe);
  return rc;
}

int
bench_gpu_run(BenchGpu* b, const BenchGpuOptions* options, const char* const* sources, int num_sources)
{
  memset(b, 0, sizeof *b);
  b->options = *options;
  b->show_progress = isatty(fileno(stderr));
  b->models = calloc((size_t)num_sources, sizeof *b->models);
  b->names = calloc((size_t)num_sources, sizeof *b->names);
  if (!b->models || !b->names) {
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  int rc = load_models(b, sources, num_sources);
  if (rc == CLI_INTERNAL || rc == CLI_NO_BACKEND || rc == CLI_USAGE)
    return rc;
  if (b->num_models == 0) {
    cli_error("bench: no model left to measure");
    return rc == CLI_OK ? CLI_BAD_MODEL : rc;
  }
  if ((long long)options->instances * b->num_models > (1LL << 24)) {
    cli_error("bench: %ld instances of %d models is more than a batch holds (16777216)", options->instances,
              b->num_models);
    return CLI_USAGE;
  }
  long max_block = 1;
  for (int k = 0; k < options->num_blocks; k++)
    max_block = options->blocks[k] > max_block ? options->blocks[k] : max_block;
  const long one_second = (long)lround(b->sample_rate);
  b->signal_frames = 2 * max_block > one_second ? 2 * max_block : one_second;
  b->signal = bench_signal_new(b->signal_frames, (int)lround(b->sample_rate));
  if (!b->signal) {
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  for (int k = 0; k < options->num_blocks; k++) {
    BenchGpuRecord record;
    int measured = bench_gpu_measure(b, options->blocks[k], options->instances, BENCH_GPU_MEASURE, &record);
    if (measured == CLI_OK && record.out_of_memory) {
      cli_error("bench: out of memory for %d instances (block %ld)", record.instances, record.block);
      measured = CLI_INTERNAL;
    }
    if (!bench_gpu_add_record(b, &record))
      measured = CLI_INTERNAL;
    if (measured == CLI_OK && options->find_max) {
      BenchGpuSearch* search = &b->searches[b->num_searches++];
      measured = bench_gpu_search(b, options->blocks[k], &record, search);
    }
    if (measured != CLI_OK)
      return measured;
  }
  return rc;
}

int
bench_gpu_main(const BenchGpuOptions* options, const char* const* sources, int num_sources, bool json)
{
  static const char* const kDefault[] = {"preset:a1-standard"}; /* the reference workload */
  if (num_sources == 0) {
    sources = kDefault;
    num_sources = 1;
  }
  BenchGpu bench;
  int rc = bench_gpu_run(&bench, options, sources, num_sources);
  const bool measured = bench.count > 0;
  if (measured && json) {
    if (!bench_gpu_print_json(&bench, stdout)) {
      cli_error("out of memory");
      rc = CLI_INTERNAL;
    }
  } else if (measured) {
    bench_gpu_print_table(&bench, stdout);
  }
  bench_gpu_free(&bench);
  return rc;
}
