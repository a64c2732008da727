/* Batch engine on the host backend: grouping and layout units, refusals, and parity with the CPU engine for every
   supported model at block sizes 32, 64, 128 and 512, alone and mixed, with hot swaps and resets. The kernels are
   the same source the CUDA backend compiles, so this checks their logic on every CI run. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include "batch_util.h"
#include "test_util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "batch_threads.h"
#include "gpu/group.h"
#include "gpu/host/kernels_host.h"
#include "gpu/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_MODELS = 32 };

/* Seconds of audio per parity run; sanitizer builds run a quarter (the kernels are the same, only slower). */
#if defined(__SANITIZE_ADDRESS__)
#define SECONDS(s) ((s) / 4.0)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SECONDS(s) ((s) / 4.0)
#endif
#endif
#ifndef SECONDS
#define SECONDS(s) (s)
#endif
static BuModel g_models[MAX_MODELS];
static int g_nmodels;
static const int g_blocks[] = {32, 64, 128, 512};

static int setup(void** state) {
  (void)state;
  g_nmodels = bu_load_models(g_models, MAX_MODELS, true);
  return g_nmodels > 0 ? 0 : -1;
}

static int teardown(void** state) {
  (void)state;
  bu_free_models(g_models, g_nmodels);
  return 0;
}

static int model_index(const char* label) {
  for (int i = 0; i < g_nmodels; i++)
    if (strcmp(g_models[i].label, label) == 0) return i;
  fail_msg("model %s is not in the supported set", label);
  return -1;
}

/* ---- layout units ---------------------------------------------------------------------------------------------- */

static void test_group_bookkeeping(void** state) {
  (void)state;
  TriKProg p;
  memset(&p, 0, sizeof p);
  p.kind = TRI_K_LINEAR;
  p.bytes = (int)sizeof p;
  p.items = (int)sizeof p;
  p.nparams = 3;
  p.state_floats = 4;
  p.init_off = 1;
  p.init_floats = 2;
  TriGroup* g = NULL;
  assert_int_equal(tri_group_new(&p, &g), TRIODE_SUCCESS);
  assert_true(tri_group_matches(g, &p));
  TriKProg q = p;
  q.nparams = 4;
  assert_false(tri_group_matches(g, &q));

  const float wa[] = {1, 2, 3}, wb[] = {4, 5, 6}, wc[] = {7, 8, 9};
  int ka, kb, kc, set;
  assert_int_equal(tri_group_acquire_set(g, &ka, wa, &set), TRIODE_SUCCESS);
  assert_int_equal(set, 0);
  assert_int_equal(tri_group_acquire_set(g, &kb, wb, &set), TRIODE_SUCCESS);
  assert_int_equal(set, 1);
  assert_int_equal(tri_group_acquire_set(g, &ka, wa, &set), TRIODE_SUCCESS); /* the same model shares its set */
  assert_int_equal(set, 0);
  assert_int_equal(g->set_refs[0], 2);

  int slot;
  const int ios[] = {5, 7, 9, 11, 12}, sets[] = {0, 1, 0, 0, 0};
  for (int i = 0; i < 5; i++) {
    assert_int_equal(tri_group_add_slot(g, ios[i], sets[i], &slot), TRIODE_SUCCESS);
    assert_int_equal(slot, i);
  }
  assert_true(g->cap_slots >= 5);
  /* What changed since the last sync: the backends upload only that. */
  assert_int_equal(g->dirty_lo, 0);
  assert_int_equal(g->dirty_hi, 5);
  assert_true(g->set_dirty[0] && g->set_dirty[1]);
  tri_group_mark_synced(g);
  assert_true(g->dirty_lo >= g->dirty_hi);
  assert_false(g->set_dirty[0]);
  /* Removing slot 1 moves the last slot (instance 12) into it and frees set 1 (its only user). */
  assert_int_equal(tri_group_remove_slot(g, 1), 12);
  assert_int_equal(g->nslots, 4);
  assert_int_equal(g->slot_io[1], 12);
  assert_int_equal(g->slot_set[1], 0);
  assert_null(g->set_key[1]);
  assert_int_equal(g->dirty_lo, 1); /* the hole the last slot moved into */
  assert_int_equal(g->dirty_hi, 2);
  /* A new model reuses the free entry; its weights are copied in. */
  assert_int_equal(tri_group_acquire_set(g, &kc, wc, &set), TRIODE_SUCCESS);
  assert_int_equal(set, 1);
  assert_true(tri_group_set_params(g, 1)[2] == 9.0f);
  assert_true(g->set_dirty[1] && !g->set_dirty[0]);
  int count;
  const float* init = tri_group_initial_state(g, 0, &count);
  assert_int_equal(count, 2);
  assert_true(init[0] == 2.0f && init[1] == 3.0f);
  assert_int_equal(tri_group_remove_slot(g, 3), -1); /* the last slot: nothing moves */
  tri_group_free(g);
  tri_group_free(NULL);
}

static void check_rings(const TriKProg* p, int max_block) {
  const TriKWnLayer* layers = (const TriKWnLayer*)(const void*)((const char*)p + p->items);
  long end = 0;
  for (int a = 0; a < p->u.wn.narrays; a++) {
    const TriKWnArray* A = &p->u.wn.arrays[a];
    for (int l = 0; l < A->nlayers; l++) {
      const TriKWnLayer* L = &layers[A->layer0 + l];
      const long len = (long)L->mask + 1;
      assert_int_equal(len & (len - 1), 0); /* power of two */
      assert_true(len >= (long)(L->conv.k - 1) * L->conv.dil + max_block);
      assert_true(len <= (long)p->cursor_mask + 1);
      assert_int_equal(L->ring, end); /* rings are packed one after the other */
      end += (long)A->C * len;
    }
    assert_int_equal(A->head_ring, end);
    end += (long)A->Hw * (A->head_mask + 1);
  }
  assert_int_equal(end, p->state_floats);
}

static void test_import_layout(void** state) {
  (void)state;
  TriodeModel* m1 = tu_load_shared("wavenet", NULL);
  TriodeModel* m2 = tu_load_shared("wavenet", NULL);
  TriImport a, b;
  assert_int_equal(tri_import(m1, 64, &a, NULL), TRIODE_SUCCESS);
  assert_int_equal(tri_import(m2, 64, &b, NULL), TRIODE_SUCCESS);
  assert_int_equal(a.prog->kind, TRI_K_WAVENET);
  assert_int_equal(a.prog->u.wn.narrays, 2);
  assert_int_equal(a.prog->nitems, 3);
  assert_int_equal(a.prog->nparams, triode_model_num_params(m1)); /* Tanh: no activation parameters */
  assert_int_equal(a.prewarm, triode_model_prewarm_samples(m1));
  check_rings(a.prog, 64);
  /* Same shape, byte for byte: two loads of one file land in one group. */
  assert_int_equal(a.prog->bytes, b.prog->bytes);
  assert_memory_equal(a.prog, b.prog, (size_t)a.prog->bytes);
  tri_import_free(&a);
  tri_import_free(&b);
  /* A1 standard at 128 frames: the dilation-512 layer needs 1024 + 128 -> 2048 frames. */
  TriodeModel* a1 = tu_load_shared("wavenet_a1_standard", NULL);
  assert_int_equal(tri_import(a1, 128, &a, NULL), TRIODE_SUCCESS);
  check_rings(a.prog, 128);
  assert_int_equal(a.prog->cursor_mask, 2047);
  /* Its layers have the common shape: each runs the fixed-channel body of its array's width (16, then 8). */
  const TriKWnLayer* layers = (const TriKWnLayer*)(const void*)((const char*)a.prog + a.prog->items);
  for (int ai = 0; ai < a.prog->u.wn.narrays; ai++) {
    const TriKWnArray* A = &a.prog->u.wn.arrays[ai];
    assert_int_equal(A->C, ai == 0 ? 16 : 8);
    for (int l = 0; l < A->nlayers; l++) assert_int_equal(layers[A->layer0 + l].fixed, A->C);
  }
  tri_import_free(&a);
  tri_import_free(NULL);
  triode_model_free(a1);
  triode_model_free(m1);
  triode_model_free(m2);
}

/* The CUDA thread mapping (items spread over threads, barriers between phases, staged weights) run with host
   threads gives bit-identical outputs and states to the serial host loop, for full and partial blocks. */
static void check_threads(const TriodeModel* m, const char* label, int nthreads) {
  enum { B = 64, CALLS = 48 };
  static const int frames[] = {64, 17, 1, 64, 40, 63, 64, 5};
  TriImport im;
  assert_int_equal(tri_import(m, B, &im, NULL), TRIODE_SUCCESS);
  const TriKProg* P = im.prog;
  const size_t sf = (size_t)P->state_floats + 1, shf = (size_t)P->shm_fixed + (size_t)P->shm_rows * B + 1;
  float *st[2], *shm[2], *out[2], in[B];
  unsigned cursor[2] = {0, 0};
  const int set = 0, io = 0;
  TriKArgs a[2];
  for (int k = 0; k < 2; k++) {
    st[k] = calloc(sf, sizeof(float));
    shm[k] = calloc(shf, sizeof(float));
    out[k] = calloc(B, sizeof(float));
    assert_true(st[k] && shm[k] && out[k]);
    memcpy(st[k], im.params + P->init_off, (size_t)P->init_floats * sizeof(float));
    memset(&a[k], 0, sizeof a[k]);
    a[k].prog = P;
    a[k].params = im.params;
    a[k].slot_set = &set;
    a[k].slot_io = &io;
    a[k].state = st[k];
    a[k].cursor = &cursor[k];
    a[k].in = in;
    a[k].out = out[k];
    a[k].stage = k; /* the threaded run stages weights in "shared memory" like the GPU */
  }
  long t = 0;
  for (int c = 0; c < CALLS; c++) {
    const int n = frames[c % 8];
    bu_signal(0, t, in, n);
    a[0].n = a[1].n = n;
    tri_host_run(&a[0], 0, shm[0]);
    assert_int_equal(bt_run(&a[1], 0, shm[1], nthreads), 0);
    if (memcmp(out[0], out[1], (size_t)n * sizeof(float)) != 0) fail_msg("%s: %d threads differ at call %d", label, nthreads, c);
    t += n;
  }
  assert_memory_equal(st[0], st[1], (size_t)P->state_floats * sizeof(float));
  assert_int_equal(cursor[0], cursor[1]);
  printf("%-26s %2d threads: identical to the serial run (%ld frames)\n", label, nthreads, t);
  for (int k = 0; k < 2; k++) {
    free(st[k]);
    free(shm[k]);
    free(out[k]);
  }
  tri_import_free(&im);
}

static void test_thread_mapping(void** state) {
  (void)state;
  const char* names[] = {"wavenet",      "A2_lite",              "gen_a1_feather",         "gen_wavenet_features",
                         "lstm",         "gen_lstm_2x8",         "synthetic_convnet_bn",   "synthetic_linear_rf700",
                         "slimmable_container"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const TriodeModel* m = g_models[model_index(names[i])].model;
    check_threads(m, names[i], 3);
    check_threads(m, names[i], 32);
  }
}

/* ---- API and refusals ------------------------------------------------------------------------------------------ */

static void test_backends(void** state) {
  (void)state;
  TriodeBatch* b = NULL;
  TriodeError err;
  assert_int_equal(triode_batch_new("bogus", 64, &b, &err), TRIODE_ERR_BAD_ARG);
  assert_non_null(strstr(err.message, "bogus"));
  assert_int_equal(triode_batch_new("host", 0, &b, &err), TRIODE_ERR_BAD_ARG);
  assert_int_equal(triode_batch_new("host", 64, NULL, &err), TRIODE_ERR_BAD_ARG);
  const bool cuda = triode_batch_backend_available("cuda");
  assert_true(triode_batch_backend_available("host"));
  assert_true(triode_batch_backend_available("auto"));
  const TriodeStatus st = triode_batch_new("cuda", 64, &b, &err);
  if (cuda) {
    assert_int_equal(st, TRIODE_SUCCESS);
    assert_string_equal(triode_batch_backend(b), "cuda");
    triode_batch_free(b);
  } else {
    assert_int_equal(st, TRIODE_FAILURE);
    assert_null(b);
    printf("cuda: %s\n", err.message);
    assert_non_null(strstr(err.message, "CUDA"));
  }
  assert_int_equal(triode_batch_new(NULL, 64, &b, &err), TRIODE_SUCCESS);
  assert_string_equal(triode_batch_backend(b), cuda ? "cuda" : "host");
  assert_int_equal(triode_batch_max_block(b), 64);
  triode_batch_free(b);
  triode_batch_free(NULL);
}

static void expect_refused(TriodeBatch* b, TriodeModel* m, const char* feature) {
  TriodeError err;
  const int before = triode_batch_size(b);
  assert_int_equal(triode_batch_supports(b, m, &err), TRIODE_FAILURE);
  printf("refused: %s\n", err.message);
  assert_non_null(strstr(err.message, feature));
  assert_non_null(strstr(err.message, "not supported by the batch kernels"));
  assert_int_equal(triode_batch_add(b, m, NULL, &err), TRIODE_FAILURE);
  assert_int_equal(triode_batch_size(b), before);
  triode_model_free(m);
}

static void test_refusals(void** state) {
  (void)state;
  TriodeBatch* b = NULL;
  assert_int_equal(triode_batch_new("host", 64, &b, NULL), TRIODE_SUCCESS);
  expect_refused(b, tu_load_shared("wavenet_a2_max", NULL), "condition_dsp");
  expect_refused(b, tu_load_shared("wavenet_condition_dsp", NULL), "condition_dsp");
  expect_refused(b, tu_load_shared("synthetic_wavenet_features", NULL), "post-stack head");
  const char* stereo = "{\"version\":\"0.5.4\",\"architecture\":\"Linear\",\"config\":{\"receptive_field\":2,"
                       "\"bias\":false,\"in_channels\":2,\"out_channels\":2},\"weights\":[1,0.5]}";
  expect_refused(b, tu_load_json(stereo, NULL), "2 -> 2 channels");
  const char* seq = "{\"version\":\"0.7.0\",\"architecture\":\"Sequential\",\"config\":{\"models\":[{\"version\":"
                    "\"0.5.4\",\"architecture\":\"Linear\",\"config\":{\"receptive_field\":2,\"bias\":false},"
                    "\"weights\":[1,0.5]}]},\"weights\":[]}";
  expect_refused(b, tu_load_json(seq, NULL), "architecture Sequential");
  triode_batch_free(b);
}

static void test_arguments(void** state) {
  (void)state;
  TriodeBatch* b = NULL;
  assert_int_equal(triode_batch_new("host", 64, &b, NULL), TRIODE_SUCCESS);
  float buf[3 * 65] = {0};
  assert_int_equal(triode_batch_process(b, buf, buf, 64), TRIODE_SUCCESS); /* empty batch */
  int idx = -1;
  assert_int_equal(triode_batch_add(b, g_models[model_index("wavenet")].model, &idx, NULL), TRIODE_SUCCESS);
  assert_int_equal(idx, 0);
  assert_int_equal(triode_batch_add(b, g_models[model_index("lstm")].model, &idx, NULL), TRIODE_SUCCESS);
  assert_int_equal(idx, 1);
  assert_int_equal(triode_batch_size(b), 2);
  assert_int_equal(triode_batch_group_count(b), 2);
  assert_ptr_equal(triode_batch_model(b, 1), g_models[model_index("lstm")].model);
  assert_null(triode_batch_model(b, 2));
  assert_int_equal(triode_batch_process(b, buf, buf, 65), TRIODE_ERR_BAD_ARG);
  assert_int_equal(triode_batch_process(b, buf, buf, -1), TRIODE_ERR_BAD_ARG);
  assert_int_equal(triode_batch_process(b, NULL, buf, 8), TRIODE_ERR_BAD_ARG);
  assert_int_equal(triode_batch_process(b, buf, buf, 0), TRIODE_SUCCESS);
  assert_int_equal(triode_batch_process(b, buf, buf, 17), TRIODE_SUCCESS); /* any size up to max_block, in place */
  assert_int_equal(triode_batch_set_model(b, 2, g_models[0].model, NULL), TRIODE_ERR_BAD_ARG);
  assert_int_equal(triode_batch_reset_instance(b, -1, true), TRIODE_ERR_BAD_ARG);
  assert_int_equal(triode_batch_restart_instance(b, 5, true), TRIODE_ERR_BAD_ARG);
  triode_batch_set_deadline(b, 0.001); /* ignored by the host backend */
  assert_int_equal(triode_batch_process(b, buf, buf, 64), TRIODE_SUCCESS);
  triode_batch_free(b);
}

/* ---- parity ----------------------------------------------------------------------------------------------------- */

static bool report(const BuResult* r, const char* what, int block) {
  if (r->samples == 0) return true;
  printf("%-26s block %3d: max|Δ| = %.3g (%.2f of tolerance, %ld samples)%s\n", what, block, r->max_err,
         r->worst_ratio, r->samples, r->failed ? "  FAIL" : "");
  return !r->failed;
}

/* Each model alone, 2 s per block size (instances sharing weights: test_mixed and test_hot_swap). */
static void test_each_model(void** state) {
  (void)state;
  bool ok = true;
  for (size_t bi = 0; bi < sizeof g_blocks / sizeof g_blocks[0]; bi++)
    for (int m = 0; m < g_nmodels; m++) {
      BuResult res[MAX_MODELS];
      memset(res, 0, sizeof res);
      assert_true(bu_parity("host", g_models, &m, 1, g_blocks[bi], SECONDS(2.0), res));
      ok &= report(&res[m], g_models[m].label, g_blocks[bi]);
    }
  assert_true(ok);
}

/* The general WaveNet layer body on every model (TRIODE_GPU_KERNEL=general; the common shapes otherwise run the
   fixed-channel body), so both bodies stay checked. */
static void test_general_body(void** state) {
  (void)state;
  assert_int_equal(setenv("TRIODE_GPU_KERNEL", "general", 1), 0);
  BuResult res[MAX_MODELS];
  memset(res, 0, sizeof res);
  int which[MAX_MODELS];
  for (int m = 0; m < g_nmodels; m++) which[m] = m;
  const bool ran = bu_parity("host", g_models, which, g_nmodels, 64, SECONDS(0.5), res);
  assert_int_equal(unsetenv("TRIODE_GPU_KERNEL"), 0);
  assert_true(ran);
  bool ok = true;
  for (int m = 0; m < g_nmodels; m++) {
    char label[96];
    snprintf(label, sizeof label, "general %s", g_models[m].label);
    ok &= report(&res[m], label, 64);
  }
  assert_true(ok);
}

/* Every model in one batch (some twice, interleaved), 1 s per block size. */
static void test_mixed(void** state) {
  (void)state;
  int which[2 * MAX_MODELS];
  int n = 0;
  for (int m = 0; m < g_nmodels; m++) which[n++] = m;
  for (int m = g_nmodels - 1; m >= 0; m -= 3) which[n++] = m;
  bool ok = true;
  for (size_t bi = 0; bi < sizeof g_blocks / sizeof g_blocks[0]; bi++) {
    BuResult res[MAX_MODELS];
    memset(res, 0, sizeof res);
    assert_true(bu_parity("host", g_models, which, n, g_blocks[bi], SECONDS(1.0), res));
    for (int m = 0; m < g_nmodels; m++) {
      char label[96];
      snprintf(label, sizeof label, "mixed %s", g_models[m].label);
      ok &= report(&res[m], label, g_blocks[bi]);
    }
  }
  assert_true(ok);
}

/* Calls with fewer frames than max_block (any count up to it), every model in one batch. */
static void test_partial_blocks(void** state) {
  (void)state;
  enum { B = 64 };
  static const int frames[] = {64, 17, 1, 40, 64, 63, 2, 64, 33};
  const int n = g_nmodels;
  TriodeBatch* b = NULL;
  assert_int_equal(triode_batch_new("host", B, &b, NULL), TRIODE_SUCCESS);
  TriodeInstance* cpu[MAX_MODELS];
  for (int i = 0; i < n; i++) {
    assert_int_equal(triode_batch_add(b, g_models[i].model, NULL, NULL), TRIODE_SUCCESS);
    cpu[i] = tu_instance(g_models[i].model, B);
  }
  float* in = malloc((size_t)n * B * sizeof *in);
  float* out = malloc((size_t)n * B * sizeof *out);
  float ref[B];
  assert_true(in && out);
  BuResult res[MAX_MODELS];
  memset(res, 0, sizeof res);
  long t = 0;
  for (int c = 0; c < 300; c++) {
    const int f = frames[c % 9];
    for (int i = 0; i < n; i++) bu_signal(i, t, in + (size_t)i * (size_t)f, f); /* instance-major at stride f */
    assert_int_equal(triode_batch_process(b, in, out, f), TRIODE_SUCCESS);
    for (int i = 0; i < n; i++) {
      triode_instance_process_mono(cpu[i], in + (size_t)i * (size_t)f, ref, (size_t)f);
      bu_account(&res[i], out + (size_t)i * (size_t)f, ref, f);
    }
    t += f;
  }
  bool ok = true;
  for (int i = 0; i < n; i++) {
    char label[96];
    snprintf(label, sizeof label, "partial %s", g_models[i].label);
    ok &= report(&res[i], label, B);
    triode_instance_free(cpu[i]);
  }
  free(in);
  free(out);
  triode_batch_free(b);
  assert_true(ok);
}

/* Streams `blocks` blocks and checks every instance. */
static void stream(TriodeBatch* b, TriodeInstance** cpu, int n, int block, long* t, int blocks, const char* what) {
  BuResult res[16];
  memset(res, 0, sizeof res);
  assert_true(bu_stream(b, cpu, n, block, *t, blocks, res, NULL));
  *t += (long)blocks * block;
  bool ok = true;
  for (int i = 0; i < n; i++) {
    char label[96];
    snprintf(label, sizeof label, "%s instance %d", what, i);
    ok &= report(&res[i], label, block);
  }
  assert_true(ok);
}

static TriodeInstance* cpu_instance(const TriodeModel* m, int block) {
  return tu_instance(m, block);
}

/* Bulk adds prewarm their instances together and match the CPU engine like single adds. */
static void test_add_n(void** state) {
  (void)state;
  enum { B = 64, N = 6 };
  const char* names[N] = {"lstm", "gen_lstm_2x8", "gen_lstm_2x8", "gen_lstm_2x8", "wavenet", "wavenet"};
  TriodeBatch* b = NULL;
  assert_int_equal(triode_batch_new("host", B, &b, NULL), TRIODE_SUCCESS);
  int first = -1;
  assert_int_equal(triode_batch_add_n(b, g_models[model_index("lstm")].model, 0, &first, NULL), TRIODE_ERR_BAD_ARG);
  assert_int_equal(triode_batch_add(b, g_models[model_index("lstm")].model, &first, NULL), TRIODE_SUCCESS);
  assert_int_equal(triode_batch_add_n(b, g_models[model_index("gen_lstm_2x8")].model, 3, &first, NULL), TRIODE_SUCCESS);
  assert_int_equal(first, 1);
  assert_int_equal(triode_batch_add_n(b, g_models[model_index("wavenet")].model, 2, &first, NULL), TRIODE_SUCCESS);
  assert_int_equal(first, 4);
  assert_int_equal(triode_batch_size(b), N);
  TriodeInstance* cpu[N];
  for (int i = 0; i < N; i++) cpu[i] = tu_instance(g_models[model_index(names[i])].model, B);
  long t = 0;
  stream(b, cpu, N, B, &t, 30, "add_n");
  for (int i = 0; i < N; i++) triode_instance_free(cpu[i]);
  triode_batch_free(b);
}

/* Models replaced between blocks: swapped instances match a new CPU instance, the others are undisturbed. */
static void test_hot_swap(void** state) {
  (void)state;
  enum { B = 64, N = 5 };
  const char* start[N] = {"wavenet", "lstm", "synthetic_convnet_bn", "synthetic_linear_rf64", "wavenet"};
  TriodeBatch* b = NULL;
  assert_int_equal(triode_batch_new("host", B, &b, NULL), TRIODE_SUCCESS);
  TriodeInstance* cpu[N];
  for (int i = 0; i < N; i++) {
    const TriodeModel* m = g_models[model_index(start[i])].model;
    assert_int_equal(triode_batch_add(b, m, NULL, NULL), TRIODE_SUCCESS);
    cpu[i] = cpu_instance(m, B);
  }
  assert_int_equal(triode_batch_group_count(b), 4);
  long t = 0;
  stream(b, cpu, N, B, &t, 20, "before swap");
  /* lstm -> wavenet joins the wavenet group; wavenet -> convnet makes that group compact its slots. */
  const struct {
    int index;
    const char* model;
  } swaps[] = {{1, "wavenet"}, {0, "synthetic_convnet_bn"}, {3, "slimmable_wavenet"}};
  for (size_t s = 0; s < sizeof swaps / sizeof swaps[0]; s++) {
    const TriodeModel* m = g_models[model_index(swaps[s].model)].model;
    assert_int_equal(triode_batch_set_model(b, swaps[s].index, m, NULL), TRIODE_SUCCESS);
    assert_ptr_equal(triode_batch_model(b, swaps[s].index), m);
    triode_instance_free(cpu[swaps[s].index]);
    cpu[swaps[s].index] = cpu_instance(m, B);
  }
  assert_int_equal(triode_batch_group_count(b), 3); /* wavenet, convnet, slimmable wavenet */
  stream(b, cpu, N, B, &t, 20, "after swap");
  /* A refused swap leaves the instance as it was. */
  TriodeModel* bad = tu_load_shared("wavenet_condition_dsp", NULL);
  TriodeError err;
  assert_int_equal(triode_batch_set_model(b, 2, bad, &err), TRIODE_FAILURE);
  assert_non_null(strstr(err.message, "condition_dsp"));
  stream(b, cpu, N, B, &t, 10, "after refused swap");
  triode_model_free(bad);
  for (int i = 0; i < N; i++) triode_instance_free(cpu[i]);
  triode_batch_free(b);
}

/* Reset and restart match triode_instance_reset / triode_instance_restart, with and without prewarm. */
static void test_reset(void** state) {
  (void)state;
  enum { B = 128, N = 5 };
  const char* names[N] = {"wavenet", "lstm", "synthetic_convnet_bn", "synthetic_linear_rf64", "gen_a1_nano"};
  TriodeBatch* b = NULL;
  assert_int_equal(triode_batch_new("host", B, &b, NULL), TRIODE_SUCCESS);
  TriodeInstance* cpu[N];
  for (int i = 0; i < N; i++) {
    const TriodeModel* m = g_models[model_index(names[i])].model;
    assert_int_equal(triode_batch_add(b, m, NULL, NULL), TRIODE_SUCCESS);
    cpu[i] = cpu_instance(m, B);
  }
  long t = 0;
  stream(b, cpu, N, B, &t, 10, "before reset");
  for (int i = 0; i < N; i++) {
    const bool prewarm = i != 2;
    assert_int_equal(triode_batch_reset_instance(b, i, prewarm), TRIODE_SUCCESS);
    triode_instance_set_prewarm(cpu[i], prewarm);
    assert_int_equal(triode_instance_reset(cpu[i], 48000.0, B), TRIODE_SUCCESS);
    triode_instance_set_prewarm(cpu[i], true);
  }
  stream(b, cpu, N, B, &t, 10, "after reset");
  for (int i = 0; i < N; i++) {
    assert_int_equal(triode_batch_restart_instance(b, i, true), TRIODE_SUCCESS);
    assert_int_equal(triode_instance_restart(cpu[i]), TRIODE_SUCCESS);
  }
  stream(b, cpu, N, B, &t, 10, "after restart");
  for (int i = 0; i < N; i++) triode_instance_free(cpu[i]);
  triode_batch_free(b);
}

int main(void) {
  tu_shared_dir(); /* skips (77) when ../shared is missing, unless CI is set */
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_group_bookkeeping), cmocka_unit_test(test_import_layout),
    cmocka_unit_test(test_backends),          cmocka_unit_test(test_refusals),
    cmocka_unit_test(test_arguments),         cmocka_unit_test(test_add_n),
    cmocka_unit_test(test_hot_swap),
    cmocka_unit_test(test_reset),             cmocka_unit_test(test_thread_mapping),
    cmocka_unit_test(test_partial_blocks),    cmocka_unit_test(test_each_model),
    cmocka_unit_test(test_mixed),             cmocka_unit_test(test_general_body),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
