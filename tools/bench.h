/*
 * The measurements of `triode bench`: per model, the load and instance-creation times, then for every requested
 * instruction-set level and block size the processing speed (median of several timed passes over the bench
 * signal, after one warm-up pass) and the instance's memory. Single thread, nothing pinned.
 */
#ifndef TRIODE_TOOLS_BENCH_H
#define TRIODE_TOOLS_BENCH_H

#include <triode/triode.h>

#include <stdbool.h>
#include <stddef.h>

enum { BENCH_MAX_ISAS = 8, BENCH_MAX_BLOCKS = 64 };

typedef struct {
  const char* isas[BENCH_MAX_ISAS]; /* level names; NULL stands for the instance's default level */
  int num_isas;
  long blocks[BENCH_MAX_BLOCKS];
  int num_blocks;
  double seconds;   /* audio seconds per timed pass */
  long runs;        /* timed passes; the median is reported */
  bool fast_tanh;
  double slim;      /* size of slimmable models, 0..1, when slim_given */
  bool slim_given;
} BenchOptions;

typedef struct {
  char model[256];  /* short name: preset:NAME, or the file name without folder and .nam */
  char source[512]; /* as given on the command line */
  char architecture[32];
  long params;
  double slim;        /* the size it was measured at (--slim), or -1: its only / full size */
  double sample_rate; /* the rate the model runs at (48 kHz when the file does not say) */
  char isa[16];
  bool skipped;       /* the level cannot run on this CPU: nothing below is measured */
  long block;
  double rtf;         /* audio seconds per wall-clock second */
  double ns_per_sample;
  size_t memory_bytes;
  double macs;        /* multiply-adds per sample frame (triode_instance_multiply_adds) */
  double gmacs;       /* the rate reached: macs x frames per second / 1e9 */
  double peak_gmacs;  /* this core's register multiply-add rate at the level (triode_isa_fma_peak) */
  TriodeActivationCounts work; /* activation evaluations per frame and the recurrent step */
  double ceiling_rtf; /* the RTF if the products ran at the peak and the activations at their measured rates, one
                         after the other, or what a recurrent step allows if lower; 0 when a rate is unknown */
  double load_ms;     /* parse + build of the model */
  double prewarm_ms;  /* instance creation, including its prewarm */
} BenchRecord;

/* This core's rates at one level. */
typedef struct {
  char isa[16];
  double gmacs;                    /* triode_isa_fma_peak / 1e9 */
  /* Seconds per value at full rate (1 / triode_isa_activation_rate) and per dependent evaluation
     (triode_isa_activation_latency); 0 when unknown. */
  double tanh, sigmoid, fast_tanh;
  double tanh_latency, sigmoid_latency, fast_tanh_latency;
} BenchRates;

typedef struct {
  BenchOptions options;
  BenchRecord* records;
  int count, capacity;
  int steps_done, steps_total; /* for the progress line */
  bool show_progress;
  BenchRates peaks[BENCH_MAX_ISAS]; /* measured once per level and run */
  int num_peaks;
  float* signal;               /* cached bench signal at signal_rate */
  long signal_frames;
  int signal_rate;
} Bench;

/* Prepares a run over `num_models` models; progress is shown on stderr only when it is a terminal. */
void
bench_init(Bench* bench, const BenchOptions* options, int num_models);
/*
 * Measures one model (a .nam path or preset:NAME) and appends its records. Returns a CLI exit code; a model that
 * cannot be loaded is reported and leaves no record.
 */
int
bench_model(Bench* bench, const char* model);
void
bench_free(Bench* bench);

#endif /* TRIODE_TOOLS_BENCH_H */
