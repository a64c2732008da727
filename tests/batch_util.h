/* Shared by test_batch (host backend, in CI) and gpu_check (CUDA backend, on a GPU machine): the models the batch
   is checked with and the parity runner against the CPU engine. No cmocka calls here: gpu_check is a plain program. */
#ifndef TRIODE_TESTS_BATCH_UTIL_H
#define TRIODE_TESTS_BATCH_UTIL_H

#include "triode/batch.h"
#include "triode/triode.h"

#include <stdbool.h>

/* Tolerance of the issue: |batch - cpu| <= 1e-4 * max(1, |cpu|). */
#define BU_TOLERANCE 1e-4

typedef struct {
  char label[64];
  TriodeModel* model;
} BuModel;

typedef struct {
  double max_err;     /* largest |batch - cpu| */
  double worst_ratio; /* largest |batch - cpu| / (tolerance * max(1, |cpu|)); <= 1 passes */
  long samples;
  bool failed;        /* a sample over tolerance, NaN, or a call that failed */
} BuResult;

/* A WaveNet of an A1 preset ("standard", "lite", "feather", "nano") with seeded random weights. Caller frees. */
TriodeModel* bu_generate_a1(const char* preset, unsigned seed);

/* An LSTM with `layers` x `hidden` and seeded random weights (zero initial state). Caller frees. */
TriodeModel* bu_generate_lstm(int layers, int hidden, unsigned seed);

/* A two-array WaveNet with gated / blended layers, head1x1, grouped convs, a dilated head and most activations,
   seeded random weights. Caller frees. */
TriodeModel* bu_generate_features(unsigned seed);

/* Submodel `index` of a SlimmableContainer file (e.g. A2.nam's lite model, index 0), loaded alone. NULL on error. */
TriodeModel* bu_load_submodel(const char* path, int index);

/* Loads every shared model the batch kernels support (with `verbose`, the refused ones are printed with the
   batch's message) plus the generated presets. Returns the count; caller frees with
   bu_free_models. Exits 77 (or fails under CI) when ../shared is missing. */
int bu_load_models(BuModel* out, int cap, bool verbose);
void bu_free_models(BuModel* models, int n);

/* Streams `seconds` of per-instance test signals through a batch on `backend` at block size `block`, instance i
   running models[which[i]], and through one CPU instance per batch instance (same model, reset for `block`,
   prewarmed). Accumulates per-model errors into results[which[i]]. Returns false when a call failed (message on
   stdout); tolerance failures are only recorded in results. */
bool bu_parity(const char* backend, const BuModel* models, const int* which, int ninst, int block, double seconds,
               BuResult* results);

/* Streams `blocks` blocks from frame t0 through batch b and the CPU instances cpu[i] (instance i of the batch),
   accumulating into results[which ? which[i] : i]. Returns false when a call failed. */
bool bu_stream(TriodeBatch* b, TriodeInstance* const* cpu, int ninst, int block, long t0, long blocks,
               BuResult* results, const int* which);

/* Adds one comparison of `n` samples to a result. */
void bu_account(BuResult* r, const float* got, const float* want, int n);

/* Test signal of instance i: a sine whose pitch and level depend on i, plus noise; `t` is the first frame. */
void bu_signal(int instance, long t, float* x, int n);

#endif
