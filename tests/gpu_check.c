/* GPU correctness check of the batch engine: the CUDA backend against the CPU engine for every shared model the
 * batch supports (plus generated A1 / LSTM presets), mixed in one batch, at block sizes 32, 64, 128 and 512; then
 * hot swap, reset, restart and a missed deadline. Prints the max error per model and block size.
 * Exit status: 0 all within 1e-4 * max(1, |y|), 1 a failure, 77 skipped (no CUDA compiled in, or no device).
 * Usage: gpu_check [seconds per block size (default 3)] [copies of each model (default 3)]
 * The environment variable TRIODE_GPU_CHECK_BACKEND=host runs the same checks on the host backend (a dry run of
 * this program on a machine without a GPU).
 */
#include "batch_util.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_MODELS = 32 };
static const int g_blocks[] = {32, 64, 128, 512};
static const char* g_backend = "cuda";

static void print_row(const char* label, const BuResult* per_block, int nb) {
  printf("%-26s", label);
  for (int b = 0; b < nb; b++)
    printf("  %9.3g (%4.2f)%s", per_block[b].max_err, per_block[b].worst_ratio, per_block[b].failed ? "!" : " ");
  printf("\n");
}

/* Swap, reset, restart and a missed deadline on one batch, checked against CPU instances doing the same. */
static bool check_lifecycle(const BuModel* models, int nm, int block) {
  enum { N = 6 };
  TriodeBatch* b = NULL;
  TriodeError err;
  if (triode_batch_new(g_backend, block, &b, &err) != TRIODE_SUCCESS) {
    printf("lifecycle: %s\n", err.message);
    return false;
  }
  TriodeInstance* cpu[N] = {0};
  bool ok = true;
  for (int i = 0; ok && i < N; i++) {
    ok = triode_batch_add(b, models[i % nm].model, NULL, &err) == TRIODE_SUCCESS;
    cpu[i] = tu_instance(models[i % nm].model, block);
  }
  BuResult res[N];
  memset(res, 0, sizeof res);
  long t = 0;
  const long blocks = 48000 / block;
  ok = ok && bu_stream(b, cpu, N, block, t, blocks, res, NULL);
  t += blocks * block;
  /* Swap two instances (one into the other's group), reset one, restart one. */
  const int swaps[][2] = {{1, 0}, {0, 2 % nm}};
  for (size_t s = 0; ok && s < sizeof swaps / sizeof swaps[0]; s++) {
    const TriodeModel* m = models[swaps[s][1]].model;
    ok = triode_batch_set_model(b, swaps[s][0], m, &err) == TRIODE_SUCCESS;
    triode_instance_free(cpu[swaps[s][0]]);
    cpu[swaps[s][0]] = tu_instance(m, block);
  }
  ok = ok && triode_batch_reset_instance(b, 2, true) == TRIODE_SUCCESS &&
       triode_instance_reset(cpu[2], 48000.0, block) == TRIODE_SUCCESS;
  ok = ok && triode_batch_restart_instance(b, 3, true) == TRIODE_SUCCESS &&
       triode_instance_restart(cpu[3]) == TRIODE_SUCCESS;
  ok = ok && bu_stream(b, cpu, N, block, t, blocks, res, NULL);
  t += blocks * block;
  /* A deadline far too short: the block is reported late (silence) but still computed, so the states agree. */
  float* in = calloc((size_t)N * (size_t)block, sizeof *in);
  float* out = calloc((size_t)N * (size_t)block, sizeof *out);
  float* ref = calloc((size_t)block, sizeof *ref);
  if (ok && in && out && ref) {
    for (int i = 0; i < N; i++) bu_signal(i, t, in + (size_t)i * (size_t)block, block);
    triode_batch_set_deadline(b, 1e-9);
    const TriodeStatus st = triode_batch_process(b, in, out, block);
    printf("deadline 1 ns: %s\n", st == TRIODE_FAILURE ? "late, silence returned" : "in time");
    triode_batch_set_deadline(b, 0.0);
    for (int i = 0; i < N; i++) triode_instance_process_mono(cpu[i], in + (size_t)i * (size_t)block, ref, (size_t)block);
    t += block;
    ok = bu_stream(b, cpu, N, block, t, blocks, res, NULL);
  }
  free(in);
  free(out);
  free(ref);
  for (int i = 0; i < N; i++) {
    char label[96];
    snprintf(label, sizeof label, "lifecycle %d: instance %d", block, i);
    print_row(label, &res[i], 1);
    ok = ok && !res[i].failed;
  }
  for (int i = 0; i < N; i++) triode_instance_free(cpu[i]);
  triode_batch_free(b);
  return ok;
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char* env = getenv("TRIODE_GPU_CHECK_BACKEND");
  if (env && *env) g_backend = env;
  TriodeBatch* probe = NULL;
  TriodeError err;
  if (triode_batch_new(g_backend, 64, &probe, &err) != TRIODE_SUCCESS) {
    printf("gpu_check skipped: %s\n", err.message);
    return TU_SKIP;
  }
  printf("gpu_check on backend %s\n", triode_batch_backend(probe));
  triode_batch_free(probe);
  const double seconds = argc > 1 ? atof(argv[1]) : 3.0;
  const int copies = argc > 2 ? atoi(argv[2]) : 3;
  BuModel models[MAX_MODELS];
  const int nm = bu_load_models(models, MAX_MODELS, true);
  if (nm == 0) return 1;
  /* One mixed batch: every model `copies` times, interleaved so neighbours differ. */
  int* which = malloc((size_t)(nm * copies) * sizeof *which);
  if (!which) return 1;
  for (int c = 0; c < copies; c++)
    for (int m = 0; m < nm; m++) which[c * nm + m] = (m + c) % nm;
  enum { NB = sizeof g_blocks / sizeof g_blocks[0] };
  BuResult res[NB][MAX_MODELS];
  memset(res, 0, sizeof res);
  bool ok = true;
  for (int b = 0; b < NB; b++) {
    printf("block %d: %d instances of %d models, %.1f s\n", g_blocks[b], nm * copies, nm, seconds);
    ok &= bu_parity(g_backend, models, which, nm * copies, g_blocks[b], seconds, res[b]);
  }
  printf("\nmax |gpu - cpu| (fraction of the tolerance 1e-4 * max(1, |y|)) per block size\n%-26s", "model");
  for (int b = 0; b < NB; b++) printf("  %16d", g_blocks[b]);
  printf("\n");
  for (int m = 0; m < nm; m++) {
    BuResult row[NB];
    for (int b = 0; b < NB; b++) {
      row[b] = res[b][m];
      ok = ok && !row[b].failed;
    }
    print_row(models[m].label, row, NB);
  }
  printf("\n");
  for (int b = 0; b < NB; b++) ok &= check_lifecycle(models, nm, g_blocks[b]);
  free(which);
  bu_free_models(models, nm);
  printf("%s\n", ok ? "gpu_check: PASS" : "gpu_check: FAIL");
  return ok ? 0 : 1;
}
