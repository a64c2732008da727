/* Streaming: outputs do not depend on how the signal is cut into blocks; restart and reset restore the state. */
#include "test_util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 8192
#define TOLERANCE 1e-6

static const char* const g_models[] = {
    "wavenet",        "lstm",         "wavenet_a1_standard", "A2",
    "wavenet_a2_max", "wavenet_condition_dsp", "synthetic_convnet_bn", "synthetic_linear_rf700",
    "slimmable_wavenet", "slimmable_container",
};

static float g_in[N];

/* Runs a fresh instance reset with max_block and fed in chunks of `chunk` frames. */
static void run(const TriodeModel* m, int max_block, size_t chunk, float* out) {
  TriodeInstance* inst = tu_instance(m, max_block);
  tu_process(inst, g_in, out, N, chunk);
  triode_instance_free(inst);
}

/* Different block sizes agree. An LSTM's prewarm runs ceil(P/B)·B zeros from its current state, so its state after
   reset depends on max_block; it is compared only between runs with the same max_block. */
static void test_block_sizes(void** state) {
  const char* name = *state;
  TriodeModel* m = tu_load_shared(name, NULL);
  const bool stateful_prewarm = strcmp(triode_model_architecture(m), "LSTM") == 0;
  static const int sizes[] = {1, 12, 37, 64, 4096}; /* 12: one partial vector on AVX-512 */
  float* ref = malloc(N * sizeof *ref);
  float* out = malloc(N * sizeof *out);
  assert_non_null(ref);
  assert_non_null(out);
  run(m, 64, 64, ref);
  bool ok = true;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    const int b = sizes[i];
    char label[128];
    if (stateful_prewarm) run(m, b, (size_t)b, ref);
    /* max_block b, chunks of b; then chunks of 1000 (split internally when b < 1000); then single frames. */
    const size_t chunks[] = {(size_t)b, 1000, 1};
    for (size_t j = stateful_prewarm ? 1 : 0; j < 3; j++) {
      if (b == 1 && chunks[j] == 1) continue;
      if (b == 4096 && chunks[j] == 1 && !stateful_prewarm) continue; /* covered by b = 1 */
      run(m, b, chunks[j], out);
      snprintf(label, sizeof label, "%s max_block %d chunk %zu", name, b, chunks[j]);
      ok &= tu_compare_f(label, out, ref, N, TOLERANCE);
    }
  }
  free(ref);
  free(out);
  triode_model_free(m);
  assert_true(ok);
}

/* restart() returns to the state right after instance_new: the same input gives bit-identical output. Input and
   output may alias. */
static void test_restart(void** state) {
  const char* name = *state;
  TriodeModel* m = tu_load_shared(name, NULL);
  float* a = malloc(N * sizeof *a);
  float* b = malloc(N * sizeof *b);
  assert_non_null(a);
  assert_non_null(b);
  TriodeInstance* inst = tu_instance(m, 64);
  tu_process(inst, g_in, a, N, 64);
  assert_int_equal(triode_instance_restart(inst), TRIODE_SUCCESS);
  memcpy(b, g_in, N * sizeof *b);
  tu_process(inst, b, b, N, 64); /* in place */
  assert_memory_equal(a, b, N * sizeof *a);
  triode_instance_free(inst);
  free(a);
  free(b);
  triode_model_free(m);
}

/* reset() of a WaveNet zeroes its histories and prewarms again: twice the same output. */
static void test_reset_wavenet(void** state) {
  (void)state;
  static const char* const names[] = {"wavenet", "wavenet_a1_standard", "wavenet_condition_dsp", "A2"};
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
    TriodeModel* m = tu_load_shared(names[k], NULL);
    float* a = malloc(N * sizeof *a);
    float* b = malloc(N * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    TriodeInstance* inst = tu_instance(m, 64);
    tu_process(inst, g_in, a, N, 64);
    assert_int_equal(triode_instance_reset(inst, 48000, 64), TRIODE_SUCCESS);
    tu_process(inst, g_in, b, N, 64);
    assert_memory_equal(a, b, N * sizeof *a);
    /* A fresh instance agrees too (state lives in the instance, not the model). */
    TriodeInstance* other = tu_instance(m, 64);
    tu_process(other, g_in, b, N, 64);
    assert_memory_equal(a, b, N * sizeof *a);
    triode_instance_free(other);
    triode_instance_free(inst);
    free(a);
    free(b);
      triode_model_free(m);
  }
}

int main(void) {
  tu_shared_dir();
  tu_sine(g_in, N);
  enum { NM = sizeof g_models / sizeof g_models[0] };
  struct CMUnitTest tests[2 * NM + 1];
  static char names[2 * NM][96];
  for (size_t i = 0; i < NM; i++) {
    snprintf(names[i], sizeof names[i], "block sizes %s", g_models[i]);
    snprintf(names[NM + i], sizeof names[i], "restart %s", g_models[i]);
    tests[i] = (struct CMUnitTest){names[i], test_block_sizes, NULL, NULL, (void*)g_models[i]};
    tests[NM + i] = (struct CMUnitTest){names[NM + i], test_restart, NULL, NULL, (void*)g_models[i]};
  }
  tests[2 * NM] = (struct CMUnitTest)cmocka_unit_test(test_reset_wavenet);
  return _cmocka_run_group_tests("streaming", tests, 2 * NM + 1, NULL, NULL);
}
