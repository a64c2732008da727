/*
 * `triode bench --gpu`: N instances of each model in one batch (include/triode/batch.h), every block of every
 * instance processed by one triode_batch_process() call, each call timed host to host (input copy to the device,
 * kernels, output copy back). Per block size: the per-call latency distribution against the real-time budget
 * (block / sample rate) and the aggregate real-time factor; with --find-max, the largest N whose p99 latency
 * stays inside the budget (doubling, then bisection to 1 %, within a time limit).
 */
#ifndef TRIODE_TOOLS_BENCH_GPU_H
#define TRIODE_TOOLS_BENCH_GPU_H

#include "bench.h"

#include <stdio.h>
#include <triode/triode.h>

/* Untimed calls before the timed ones: the first calls pay for lazy allocations, caches and clocks ramping up. */
enum { BENCH_GPU_WARMUP_BLOCKS = 10 };

typedef struct {
  const char* backend;  /* "auto", "cuda" or "host" */
  long instances;       /* per model */
  long blocks[BENCH_MAX_BLOCKS];
  int num_blocks;
  double seconds;       /* audio seconds timed per measurement */
  bool fast_tanh;
  bool find_max;
  double search_limit;  /* seconds the --find-max search of one block size may take */
} BenchGpuOptions;

typedef enum { BENCH_GPU_MEASURE, BENCH_GPU_PROBE } BenchGpuKind;

typedef struct {
  BenchGpuKind kind;    /* a requested measurement, or one probe of the --find-max search */
  long block;
  long per_model;       /* instances of each model */
  int instances;        /* in the batch */
  int groups;
  double budget_us;     /* block / sample rate */
  double p50_us, p99_us, max_us, mean_us;
  long timed_blocks;
  bool fits;            /* p99 ≤ budget */
  double rtf;           /* instances × audio seconds / seconds spent in the timed calls */
  double build_ms;      /* batch creation and triode_batch_add_n() of every model, prewarm included */
  bool out_of_memory;   /* the batch or its buffers could not be allocated: nothing measured */
} BenchGpuRecord;

typedef struct {
  long block;
  long max_per_model;   /* 0 when even one instance per model misses the budget */
  int probes;
  double seconds;
  bool time_limit_hit;  /* stopped before the bisection reached 1 % */
  bool capped;          /* every probe up to the instance cap fitted */
} BenchGpuSearch;

typedef struct {
  BenchGpuOptions options;
  const char* backend_name;        /* what the batch runs on: "cuda" or "host" */
  TriodeModel** models;
  char (*names)[256];              /* short names, as the CPU bench shows them */
  int num_models;
  double sample_rate;              /* the highest model rate: the strictest budget */
  BenchGpuRecord* records;
  int count, capacity;
  BenchGpuSearch searches[BENCH_MAX_BLOCKS];
  int num_searches;
  float* signal;                   /* bench signal at sample_rate, one second or longer */
  long signal_frames;
  bool show_progress;
} BenchGpu;

/*
 * Loads `sources` (.nam paths or preset:NAME), drops those that fail to load or that the batch refuses (each
 * reported), then measures every block size and runs the --find-max searches. Returns CLI_OK, CLI_BAD_MODEL
 * (some model was dropped; the others are still measured), CLI_NO_BACKEND or CLI_INTERNAL.
 */
int
bench_gpu_run(BenchGpu* bench, const BenchGpuOptions* options, const char* const* sources, int num_sources);

/* One batch of `per_model` instances of every model, measured for blocks of `block`. Returns a CLI exit code. */
int
bench_gpu_measure(BenchGpu* bench, long block, long per_model, BenchGpuKind kind, BenchGpuRecord* record);

/*
 * The --find-max search for one block size, appending its probes as records. `first` (nullable): the measurement
 * already made at --instances for this block, used as the first probe. Returns a CLI exit code.
 */
int
bench_gpu_search(BenchGpu* bench, long block, const BenchGpuRecord* first, BenchGpuSearch* search);

/* Appends a record; false when out of memory. */
bool
bench_gpu_add_record(BenchGpu* bench, const BenchGpuRecord* record);

void
bench_gpu_free(BenchGpu* bench);

/*
 * `triode bench --gpu` after option parsing: the models (preset:a1-standard when none is given), the run and its
 * report (the table, or JSON with `json`). Returns a CLI exit code.
 */
int
bench_gpu_main(const BenchGpuOptions* options, const char* const* sources, int num_sources, bool json);

/* The table for people, or one JSON array of records (false when out of memory). */
void
bench_gpu_print_table(const BenchGpu* bench, FILE* out);
bool
bench_gpu_print_json(const BenchGpu* bench, FILE* out);

#endif /* TRIODE_TOOLS_BENCH_GPU_H */
