/* The literal oracles of spec §6.2 (L1, C1–C7, W1–W5, G1–G2, S1–S2), plus conv checks against a naive loop. */
#include "test_util.h"

#include "dsp/conv.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-6

/* ---- helpers ------------------------------------------------------------------------------------------------ */

static TriodeLoadOptions g_opts;
static TriodeError g_err;

static void make_conv(TriConv* c, int cin, int cout, int k, int dil, int groups, bool bias) {
  TriLoadCtx ctx = {.file = "test", .opts = &g_opts, .err = &g_err};
  memset(c, 0, sizeof *c);
  assert_int_equal(tri_conv_init(c, &ctx, "conv", cin, cout, k, dil, groups, bias), TRIODE_SUCCESS);
  assert_int_equal(tri_conv_alloc(c), TRIODE_SUCCESS);
  assert_non_null(c->w);
  for (long i = 0; i < (long)k * cout * cin; i++) assert_true(c->w[i] == 0.0f);
  if (bias) assert_non_null(c->b);
}

static void set_w(TriConv* c, int tap, int o, int i, float v) { c->w[(tap * c->cout + o) * c->cin + i] = v; }

/* Pushes n frames of planar input (row stride n) and runs the conv; out has row stride n. */
static void run_block(const TriConv* c, TriHist* h, const float* in, float* out, int n) {
  tri_hist_push(h, in, n, n);
  tri_conv_apply_hist(c, h, out, n, n);
}

static void assert_floats(const float* got, const float* want, int n) {
  for (int i = 0; i < n; i++)
    if (fabsf(got[i] - want[i]) > (float)EPS) fail_msg("index %d: got %.9g, expected %.9g", i, got[i], want[i]);
}

/* Loads JSON with no prewarm (histories start at zero), feeds `in` (num_inputs = 1), returns output channel 0..
   into out[ch * n + t]. */
static void run_json(const char* json, const float* in, float* out, int n, int expect_outputs) {
  TriodeLoadOptions opts;
  triode_load_options_init(&opts);
  opts.no_prewarm = true;
  TriodeModel* m = tu_load_json(json, &opts);
  assert_int_equal(triode_model_num_inputs(m), 1);
  assert_int_equal(triode_model_num_outputs(m), expect_outputs);
  TriodeInstance* inst = tu_instance(m, 64);
  float* outs[4] = {out, out + n, out + 2 * n, out + 3 * n};
  assert_true(expect_outputs <= 4);
  const float* ins[1] = {in};
  assert_int_equal(triode_instance_process(inst, ins, outs, (size_t)n), TRIODE_SUCCESS);
  triode_instance_free(inst);
  triode_model_free(m);
}

static float run_json_const(const char* json, float x) {
  float in[3] = {x, x, x}, out[3];
  run_json(json, in, out, 3, 1);
  assert_true(fabsf(out[2] - out[0]) <= (float)EPS); /* memoryless: every sample equal */
  return out[0];
}

/* ---- L1 ----------------------------------------------------------------------------------------------------- */

static void test_l1_linear(void** state) {
  (void)state;
  const char* json = "{\"version\":\"0.5.4\",\"architecture\":\"Linear\","
                     "\"config\":{\"receptive_field\":3,\"bias\":false},\"weights\":[0.5,-0.25,0.125]}";
  TriodeModel* m = tu_load_json(json, NULL);
  assert_int_equal(triode_model_prewarm_samples(m), 0);
  TriodeInstance* inst = tu_instance(m, 64);
  float in[4] = {1, 2, 3, 4}, out[4];
  const float want[4] = {0.5f, 0.75f, 1.125f, 1.5f};
  tu_process(inst, in, out, 4, 4);
  assert_floats(out, want, 4);
  /* Same values one sample at a time after a restart. */
  assert_int_equal(triode_instance_restart(inst), TRIODE_SUCCESS);
  tu_process(inst, in, out, 4, 1);
  assert_floats(out, want, 4);
  triode_instance_free(inst);
  triode_model_free(m);
}

/* ---- C1–C7 -------------------------------------------------------------------------------------------------- */

static void test_c1_c3_dilated(void** state) {
  (void)state;
  for (int dil = 1; dil <= 2; dil++) {
    TriConv c;
    make_conv(&c, 1, 1, 2, dil, 1, false);
    set_w(&c, 0, 0, 0, 1.0f);
    set_w(&c, 1, 0, 0, 2.0f);
    assert_int_equal(tri_conv_lookback(&c), dil);
    assert_int_equal(tri_conv_params(&c), 2);
    TriHist h;
    assert_int_equal(tri_hist_init(&h, 1, tri_conv_lookback(&c), 4), TRIODE_SUCCESS);
    const float in[4] = {1, 2, 3, 4};
    const float want1[4] = {2, 5, 8, 11}, want2[4] = {2, 4, 7, 10};
    float out[4];
    run_block(&c, &h, in, out, 4);
    assert_floats(out, dil == 1 ? want1 : want2, 4);
    /* Zeroed history, then the same input one frame per block. */
    tri_hist_clear(&h);
    for (int t = 0; t < 4; t++) run_block(&c, &h, in + t, out + t, 1);
    assert_floats(out, dil == 1 ? want1 : want2, 4);
    tri_hist_free(&h);
    tri_conv_free(&c);
  }
}

static void test_c2_bias(void** state) {
  (void)state;
  TriConv c;
  make_conv(&c, 1, 1, 2, 1, 1, true);
  set_w(&c, 0, 0, 0, 1.0f);
  set_w(&c, 1, 0, 0, 0.0f);
  c.b[0] = 5.0f;
  assert_int_equal(tri_conv_params(&c), 3);
  TriHist h;
  assert_int_equal(tri_hist_init(&h, 1, 1, 2), TRIODE_SUCCESS);
  const float in[2] = {2, 3}, want[2] = {5, 7};
  float out[2];
  run_block(&c, &h, in, out, 2);
  assert_floats(out, want, 2);
  tri_hist_free(&h);
  tri_conv_free(&c);
}

static void test_c4_pointwise(void** state) {
  (void)state;
  TriConv c;
  make_conv(&c, 2, 3, 1, 1, 1, false);
  const float rows[3][2] = {{1, 0}, {0, 1}, {1, 1}};
  for (int o = 0; o < 3; o++)
    for (int i = 0; i < 2; i++) set_w(&c, 0, o, i, rows[o][i]);
  const float in[2] = {1, 2};
  float out[3] = {10, 10, 10};
  tri_conv1x1_apply(&c, in, 1, out, 1, 1, false);
  const float want[3] = {1, 2, 3};
  assert_floats(out, want, 3);
  tri_conv1x1_apply(&c, in, 1, out, 1, 1, true);
  const float want_acc[3] = {2, 4, 6};
  assert_floats(out, want_acc, 3);
  tri_conv_free(&c);
}

static void test_c5_small_buffer(void** state) {
  (void)state;
  TriConv c;
  make_conv(&c, 1, 1, 2, 1, 1, false);
  set_w(&c, 0, 0, 0, 1.0f);
  set_w(&c, 1, 0, 0, 1.0f);
  TriHist h;
  assert_int_equal(tri_hist_init(&h, 1, 1, 2), TRIODE_SUCCESS);
  const float in[2] = {1, 2};
  const float want_first[2] = {1, 3}, want_later[2] = {3, 3};
  float out[2];
  for (int call = 0; call < 3; call++) {
    run_block(&c, &h, in, out, 2);
    assert_floats(out, call == 0 ? want_first : want_later, 2);
  }
  /* Keep going far beyond the buffer so its wrap-around is exercised. */
  for (int call = 0; call < 50; call++) run_block(&c, &h, in, out, 2);
  assert_floats(out, want_later, 2);
  tri_hist_free(&h);
  tri_conv_free(&c);
}

static void test_c6_grouped_pointwise(void** state) {
  (void)state;
  TriConv c;
  make_conv(&c, 4, 4, 1, 1, 2, false);
  for (int ch = 0; ch < 4; ch++) set_w(&c, 0, ch, ch, ch < 2 ? 1.0f : 2.0f);
  /* Planar: row = channel, two frames. */
  const float in[8] = {1, 5, 2, 6, 3, 7, 4, 8};
  const float want[8] = {1, 5, 2, 6, 6, 14, 8, 16};
  float out[8];
  tri_conv1x1_apply(&c, in, 2, out, 2, 2, false);
  assert_floats(out, want, 8);
  /* The K = 1 dilated path gives the same. */
  TriHist h;
  assert_int_equal(tri_hist_init(&h, 4, 0, 2), TRIODE_SUCCESS);
  memset(out, 0, sizeof out);
  tri_hist_push(&h, in, 2, 2);
  tri_conv_apply_hist(&c, &h, out, 2, 2);
  assert_floats(out, want, 8);
  tri_hist_free(&h);
  tri_conv_free(&c);
}

static void test_c7_grouped_dilated(void** state) {
  (void)state;
  TriConv c;
  make_conv(&c, 4, 4, 2, 1, 2, false);
  for (int ch = 0; ch < 4; ch++) {
    set_w(&c, 0, ch, ch, ch < 2 ? 1.0f : 3.0f);
    set_w(&c, 1, ch, ch, ch < 2 ? 2.0f : 4.0f);
  }
  TriHist h;
  assert_int_equal(tri_hist_init(&h, 4, 1, 2), TRIODE_SUCCESS);
  const float in[8] = {1, 5, 2, 6, 3, 7, 4, 8};
  const float want[8] = {2, 11, 4, 14, 12, 37, 16, 44};
  float out[8];
  run_block(&c, &h, in, out, 2);
  assert_floats(out, want, 8);
  tri_hist_free(&h);
  tri_conv_free(&c);
}

/* Deterministic pseudo-random value in [-0.5, 0.5). */
static float rnd(void) {
  static uint32_t seed = 12345u;
  seed = seed * 1664525u + 1013904223u;
  return (float)(seed >> 8) / 16777216.0f - 0.5f;
}

/* Random shapes and irregular block sizes against a direct double-precision loop. */
static void test_conv_vs_naive(void** state) {
  (void)state;
  const int shapes[][5] = {{3, 2, 3, 5, 1}, {4, 6, 2, 7, 2}, {2, 2, 4, 1, 2}, {1, 3, 1, 1, 1}};
  for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
    const int cin = shapes[s][0], cout = shapes[s][1], k = shapes[s][2], dil = shapes[s][3], g = shapes[s][4];
    const int max_block = 17, total = 400;
    TriConv c;
    make_conv(&c, cin, cout, k, dil, g, true);
    for (int tap = 0; tap < k; tap++)
      for (int o = 0; o < cout; o++)
        for (int i = 0; i < cin; i++)
          if (o / (cout / g) == i / (cin / g)) set_w(&c, tap, o, i, rnd());
    for (int o = 0; o < cout; o++) c.b[o] = rnd();
    float* x = malloc(sizeof(float) * (size_t)(cin * total));
    assert_non_null(x);
    for (int i = 0; i < cin * total; i++) x[i] = 2.0f * rnd(); /* x[t * cin + i] */
    TriHist h;
    assert_int_equal(tri_hist_init(&h, cin, tri_conv_lookback(&c), max_block), TRIODE_SUCCESS);
    float in[4 * 17], out[6 * 17];
    for (int t0 = 0, n = 1; t0 < total; t0 += n, n = n % max_block + 1) {
      if (t0 + n > total) n = total - t0;
      for (int i = 0; i < cin; i++)
        for (int t = 0; t < n; t++) in[i * n + t] = x[(t0 + t) * cin + i];
      run_block(&c, &h, in, out, n);
      for (int o = 0; o < cout; o++)
        for (int t = 0; t < n; t++) {
          double want = c.b[o];
          for (int tap = 0; tap < k; tap++) {
            int src = t0 + t - (k - 1 - tap) * dil;
            if (src < 0) continue;
            for (int i = 0; i < cin; i++) want += (double)c.w[(tap * cout + o) * cin + i] * x[src * cin + i];
          }
          if (fabs(out[o * n + t] - want) > 1e-5)
            fail_msg("shape %zu, frame %d, out %d: got %.9g, expected %.9g", s, t0 + t, o, out[o * n + t], want);
        }
    }
    free(x);
    tri_hist_free(&h);
    tri_conv_free(&c);
  }
}

/* ---- W1–W5 (one-array WaveNets, head rechannel identity, head_scale 1 as the last weight) -------------------- */

#define WN_BEGIN "{\"version\":\"0.7.0\",\"architecture\":\"WaveNet\",\"config\":{\"layers\":[{"
#define WN_ARRAY_1CH "\"input_size\":1,\"condition_size\":1,\"channels\":1,\"kernel_size\":1,"

/* W1: gated ReLU/Sigmoid; second variant appends a probe layer (ReLU, conv 1, mixin 0) whose head contribution is
   its input, i.e. the first layer's residual output `next`. */
static void test_w1_gated_layer(void** state) {
  (void)state;
  const char* one = WN_BEGIN WN_ARRAY_1CH "\"dilations\":[1],\"activation\":\"ReLU\",\"gating_mode\":\"gated\","
                    "\"secondary_activation\":\"Sigmoid\",\"head\":{\"out_channels\":1,\"kernel_size\":1,"
                    "\"bias\":false}}],\"head_scale\":1.0},"
                    "\"weights\":[1, 1,1,0,0, 1,-1, 1,0, 1, 1]}";
  const char* two = WN_BEGIN WN_ARRAY_1CH "\"dilations\":[1,1],\"activation\":[\"ReLU\",\"ReLU\"],"
                    "\"gating_mode\":[\"gated\",\"none\"],\"secondary_activation\":[\"Sigmoid\",\"Sigmoid\"],"
                    "\"head\":{\"out_channels\":1,\"kernel_size\":1,\"bias\":false}}],\"head_scale\":1.0},"
                    "\"weights\":[1, 1,1,0,0, 1,-1, 1,0, 1,0, 0, 1,0, 1, 1]}";
  float head = run_json_const(one, 0.25f);
  float next = run_json_const(two, 0.25f) - head;
  assert_float_equal(head, 0.25, EPS);
  assert_float_equal(next, 0.5, EPS);
}

static void test_w2_plain_layer(void** state) {
  (void)state;
  const char* one = WN_BEGIN WN_ARRAY_1CH "\"dilations\":[1],\"activation\":\"ReLU\",\"gating_mode\":\"none\","
                    "\"head\":{\"out_channels\":1,\"kernel_size\":1,\"bias\":false}}],\"head_scale\":1.0},"
                    "\"weights\":[1, 1,0, 1, 1,0, 1, 1]}";
  const char* two = WN_BEGIN WN_ARRAY_1CH "\"dilations\":[1,1],\"activation\":\"ReLU\",\"gating_mode\":\"none\","
                    "\"head\":{\"out_channels\":1,\"kernel_size\":1,\"bias\":false}}],\"head_scale\":1.0},"
                    "\"weights\":[1, 1,0, 1, 1,0, 1,0, 0, 1,0, 1, 1]}";
  float head = run_json_const(one, 1.0f);
  float next = run_json_const(two, 1.0f) - head;
  assert_float_equal(head, 2.0, EPS);
  assert_float_equal(next, 3.0, EPS);
}

/* W3: C = 2 with head1x1 0.5·I + 0.1; two output channels through an identity head rechannel. The probe layer uses
   an identity head1x1. */
static void test_w3_head1x1(void** state) {
  (void)state;
#define W3_ARRAY "\"input_size\":1,\"condition_size\":1,\"channels\":2,\"kernel_size\":1,\"activation\":\"ReLU\"," \
                 "\"head1x1\":{\"active\":true,\"out_channels\":2,\"groups\":1},"                                 \
                 "\"head\":{\"out_channels\":2,\"kernel_size\":1,\"bias\":false}}],\"head_scale\":1.0},"
#define W3_LAYER "1,0,0,1, 0,0, 1,1, 1,0,0,1, 0,0, 0.5,0,0,0.5, 0.1,0.1,"
#define W3_PROBE "1,0,0,1, 0,0, 0,0, 1,0,0,1, 0,0, 1,0,0,1, 0,0,"
  const char* one = WN_BEGIN "\"dilations\":[1]," W3_ARRAY "\"weights\":[1,1, " W3_LAYER " 1,0,0,1, 1]}";
  const char* two =
      WN_BEGIN "\"dilations\":[1,1]," W3_ARRAY "\"weights\":[1,1, " W3_LAYER W3_PROBE " 1,0,0,1, 1]}";
  float in[2] = {1, 1}, out1[4], out2[4];
  run_json(one, in, out1, 2, 2);
  run_json(two, in, out2, 2, 2);
  for (int ch = 0; ch < 2; ch++) {
    assert_float_equal(out1[ch * 2], 1.1, EPS);
    assert_float_equal(out2[ch * 2] - out1[ch * 2], 3.0, EPS);
  }
}

/* W4: receptive field and prewarm count, and the head rechannel's tap order and dilation seen on an impulse. */
static void check_w4(const char* json, long want_prewarm, const float* want_impulse) {
  TriodeLoadOptions opts;
  triode_load_options_init(&opts);
  opts.no_prewarm = true;
  TriodeModel* m = tu_load_json(json, &opts);
  assert_int_equal(triode_model_prewarm_samples(m), want_prewarm);
  assert_int_equal(triode_model_receptive_field(m), want_prewarm);
  triode_model_free(m);
  if (want_impulse) {
    float in[10] = {0.5f}, out[10];
    run_json(json, in, out, 10, 1);
    assert_floats(out, want_impulse, 10);
  }
}

static void test_w4_receptive_field(void** state) {
  (void)state;
#define W4_ARRAY WN_BEGIN WN_ARRAY_1CH "\"dilations\":[1],\"activation\":\"ReLU\","
  const char* k3 = W4_ARRAY "\"head\":{\"out_channels\":1,\"kernel_size\":3,\"bias\":false}}],"
                            "\"head_scale\":1.0},\"weights\":[1, 1,0, 0, 1,0, 1,2,3, 1]}";
  const char* k3d3 = W4_ARRAY "\"head\":{\"out_channels\":1,\"kernel_size\":3,\"bias\":false,\"head_dilation\":3}}],"
                              "\"head_scale\":1.0},\"weights\":[1, 1,0, 0, 1,0, 1,2,3, 1]}";
  const char* post = W4_ARRAY "\"head\":{\"out_channels\":1,\"kernel_size\":1,\"bias\":false}}],"
                              "\"head\":{\"channels\":1,\"out_channels\":1,\"kernel_sizes\":[3,5],"
                              "\"activation\":\"ReLU\"},\"head_scale\":1.0},"
                              "\"weights\":[1, 1,0, 0, 1,0, 1, 0,0,1,0, 0,0,0,0,1,0, 1]}";
  /* Tap K-1 (weight 3) multiplies the current sample, tap 0 (weight 1) the oldest. */
  const float imp_k3[10] = {1.5f, 1.0f, 0.5f, 0, 0, 0, 0, 0, 0, 0};
  const float imp_k3d3[10] = {1.5f, 0, 0, 1.0f, 0, 0, 0.5f, 0, 0, 0};
  check_w4(k3, 1 + 2, imp_k3);
  check_w4(k3d3, 1 + 6, imp_k3d3);
  check_w4(post, 1 + 2 + 4, NULL);
}

/* W5: post-stack head of two [ReLU -> 1x1 conv] blocks on an identity WaveNet (Hardtanh is identity here). */
static void test_w5_post_head(void** state) {
  (void)state;
#define W5_JSON(w0)                                                                                               \
  WN_BEGIN WN_ARRAY_1CH "\"dilations\":[1],\"activation\":\"Hardtanh\","                                          \
                        "\"head\":{\"out_channels\":1,\"kernel_size\":1,\"bias\":false}}],"                       \
                        "\"head\":{\"channels\":1,\"out_channels\":1,\"kernel_sizes\":[1,1],\"activation\":\"ReLU\"}," \
                        "\"head_scale\":1.0},\"weights\":[1, 1,0, 0, 0,0, 1, " w0 ",0, 2,0, 1]}"
  assert_true(fabsf(run_json_const(W5_JSON("-1"), -0.25f)) < 1e-6f);
  /* Not in the reference tests: the same head with +1 lets a positive input through, so the head is not a no-op. */
  assert_float_equal(run_json_const(W5_JSON("1"), 0.25f), 0.5, EPS);
  assert_float_equal(run_json_const(W5_JSON("1"), -0.25f), 0.0, EPS);
  assert_float_equal(run_json_const(W5_JSON("-1"), 0.25f), 0.0, EPS);
}

/* ---- G1/G2: blending through a WaveNet layer whose pre-activation is set by the conv bias -------------------- */

#define G_JSON(mode, act, top, bottom)                                                                            \
  WN_BEGIN WN_ARRAY_1CH "\"dilations\":[1],\"activation\":" act ",\"gating_mode\":\"" mode "\","                  \
                        "\"secondary_activation\":\"Hardtanh\",\"layer1x1\":{\"active\":false,\"groups\":1},"     \
                        "\"head\":{\"out_channels\":1,\"kernel_size\":1,\"bias\":false}}],\"head_scale\":1.0},"   \
                        "\"weights\":[1, 0,0, " top "," bottom ", 0,0, 1, 1]}"

static void test_g_blending(void** state) {
  (void)state;
  /* Hardtanh is the identity on [-1, 1], standing in for the reference test's identity secondary activation. */
  assert_float_equal(run_json_const(G_JSON("blended", "\"ReLU\"", "-2", "0.5"), 0.3f), -1.0, EPS);
  assert_float_equal(
      run_json_const(G_JSON("blended", "{\"type\":\"LeakyReLU\",\"negative_slope\":0.1}", "-1", "0.8"), 0.3f), -0.28,
      EPS);
  /* Gated, for contrast: f(top) * g(bottom). */
  assert_float_equal(run_json_const(G_JSON("gated", "\"ReLU\"", "2", "0.5"), 0.3f), 1.0, EPS);
  assert_float_equal(run_json_const(G_JSON("gated", "\"ReLU\"", "-2", "0.5"), 0.3f), 0.0, EPS);
}

/* ---- S1/S2: slimming ------------------------------------------------------------------------------------------ */

static float slim_output(TriodeInstance* inst, double v) {
  if (v >= 0) assert_int_equal(triode_instance_set_slim(inst, v), TRIODE_SUCCESS);
  float in[4] = {1, 1, 1, 1}, out[4];
  tu_process(inst, in, out, 4, 4);
  return out[3];
}

static void check_breakpoints(const TriodeModel* m, double b0, double b1) {
  double pts[3] = {-1, -1, -1};
  assert_true(triode_model_is_slimmable(m));
  assert_int_equal(triode_model_slim_breakpoints(m, pts, 1), 2);
  assert_true(pts[1] == -1); /* capacity respected */
  assert_int_equal(triode_model_slim_breakpoints(m, pts, 3), 2);
  assert_float_equal(pts[0], b0, 1e-9);
  assert_float_equal(pts[1], b1, 1e-9);
}

/* S1: C = 3 with allowed [1,2,3]; the head rechannel weights 1, 10, 100 show which channels are kept. */
static void test_s1_slimmable_wavenet(void** state) {
  (void)state;
  const char* json =
      "{\"version\":\"0.7.0\",\"architecture\":\"WaveNet\",\"config\":{\"layers\":[{\"input_size\":1,"
      "\"condition_size\":1,\"channels\":3,\"kernel_size\":1,\"dilations\":[1],\"activation\":\"ReLU\","
      "\"layer1x1\":{\"active\":false,\"groups\":1},\"head\":{\"out_channels\":1,\"kernel_size\":1,\"bias\":false},"
      "\"slimmable\":{\"method\":\"slice_channels_uniform\",\"kwargs\":{\"allowed_channels\":[1,2,3]}}}],"
      "\"head_scale\":1.0},\"weights\":[1,1,1, 1,0,0,0,1,0,0,0,1, 0,0,0, 0,0,0, 1,10,100, 1]}";
  TriodeModel* m = tu_load_json(json, NULL);
  check_breakpoints(m, 1.0 / 3.0, 2.0 / 3.0);
  TriodeInstance* inst = tu_instance(m, 64);
  assert_float_equal(slim_output(inst, -1), 111, EPS); /* default: full size */
  assert_float_equal(slim_output(inst, 0.32), 1, EPS);
  assert_float_equal(slim_output(inst, 0.34), 11, EPS);
  assert_float_equal(slim_output(inst, 0.0), 1, EPS);
  assert_float_equal(slim_output(inst, 0.66), 11, EPS);
  assert_float_equal(slim_output(inst, 0.67), 111, EPS);
  assert_float_equal(slim_output(inst, 1.0), 111, EPS);
  triode_instance_free(inst);
  triode_model_free(m);
}

/* S2: container of three one-tap Linear models with gains 1, 2, 3. */
static void test_s2_container(void** state) {
  (void)state;
#define S2_SUB(max, gain)                                                                                       \
  "{\"max_value\":" max ",\"model\":{\"version\":\"0.7.0\",\"architecture\":\"Linear\",\"config\":{"           \
  "\"receptive_field\":1,\"bias\":false},\"weights\":[" gain "]}}"
  const char* json = "{\"version\":\"0.7.0\",\"architecture\":\"SlimmableContainer\",\"config\":{\"submodels\":["
                     S2_SUB("0.33", "1") "," S2_SUB("0.66", "2") "," S2_SUB("1.0", "3") "]},\"weights\":[]}";
  TriodeModel* m = tu_load_json(json, NULL);
  check_breakpoints(m, 0.33, 0.66);
  TriodeInstance* inst = tu_instance(m, 64);
  assert_float_equal(slim_output(inst, -1), 3, EPS);
  assert_float_equal(slim_output(inst, 0.32), 1, EPS);
  assert_float_equal(slim_output(inst, 0.33), 2, EPS);
  assert_float_equal(slim_output(inst, 0.65), 2, EPS);
  assert_float_equal(slim_output(inst, 0.66), 3, EPS);
  assert_float_equal(slim_output(inst, 1.0), 3, EPS);
  assert_float_equal(slim_output(inst, 0.0), 1, EPS);
  triode_instance_free(inst);
  triode_model_free(m);
}

int main(void) {
  triode_load_options_init(&g_opts);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_l1_linear),        cmocka_unit_test(test_c1_c3_dilated),
      cmocka_unit_test(test_c2_bias),          cmocka_unit_test(test_c4_pointwise),
      cmocka_unit_test(test_c5_small_buffer),  cmocka_unit_test(test_c6_grouped_pointwise),
      cmocka_unit_test(test_c7_grouped_dilated), cmocka_unit_test(test_conv_vs_naive),
      cmocka_unit_test(test_w1_gated_layer),   cmocka_unit_test(test_w2_plain_layer),
      cmocka_unit_test(test_w3_head1x1),       cmocka_unit_test(test_w4_receptive_field),
      cmocka_unit_test(test_w5_post_head),     cmocka_unit_test(test_g_blending),
      cmocka_unit_test(test_s1_slimmable_wavenet), cmocka_unit_test(test_s2_container),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
