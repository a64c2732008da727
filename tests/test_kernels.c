/* Every dispatched kernel at every instruction-set level this machine runs, against its plain C twin: the conv
   products (all row-group and frame-tail paths, with and without addend), the LSTM step and stack, the fused WaveNet
   layer, the element-wise maps, and the accuracy of the vectorised tanh / sigmoid swept against libm (tanh within
   2 ulp of the correctly rounded value and 3 ulp of tanhf, sigmoid within 4 ulp). */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include "cpu/isa.h"
#include "dsp/activation.h"
#include "dsp/conv.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t g_seed = 12345u;

static float
frand(void)
{
  g_seed = g_seed * 1664525u + 1013904223u;
  return (float)((g_seed >> 8) & 0xffffff) / 8388608.0f - 1.0f; /* [-1, 1) */
}

/* Distance in units in the last place between two finite floats. */
static int64_t
ulp_distance(float a, float b)
{
  int32_t ia, ib;
  memcpy(&ia, &a, sizeof ia);
  memcpy(&ib, &b, sizeof ib);
  const int64_t oa = ia < 0 ? (int64_t)INT32_MIN - ia : ia;
  const int64_t ob = ib < 0 ? (int64_t)INT32_MIN - ib : ib;
  return oa > ob ? oa - ob : ob - oa;
}

static bool
level_runs(TriIsa isa)
{
  return tri_isa_supported(isa) && tri_kernels(isa)->isa == isa;
}

/* A dilated conv through the kernels equals the reference loops, for shapes that hit every row group (16, 8, 4,
   2, 1) and frame counts with and without a partial vector. */
static void
test_conv_products(void** state)
{
  (void)state;
  static const int couts[] = {1, 3, 8, 13, 16, 21, 33};
  static const int frames[] = {1, 3, 16, 37, 64};
  TriodeLoadOptions opts;
  triode_load_options_init(&opts);
  TriLoadCtx ctx = {.file = "test", .opts = &opts};
  int checked = 0;
  for (int isa = 0; isa < TRI_ISA_COUNT; ++isa) {
    if (!level_runs((TriIsa)isa)) continue;
    const TriKernels* k = tri_kernels((TriIsa)isa);
    for (size_t ci = 0; ci < sizeof couts / sizeof couts[0]; ++ci)
      for (size_t fi = 0; fi < sizeof frames / sizeof frames[0]; ++fi) {
        const int cin = 5, cout = couts[ci], n = frames[fi];
        TriConv c;
        assert_int_equal(tri_conv_init(&c, &ctx, "conv", cin, cout, 3, 2, 1, true), TRIODE_SUCCESS);
        assert_int_equal(tri_conv_alloc(&c), TRIODE_SUCCESS);
        for (int i = 0; i < c.k * c.cout * c.cin; ++i) c.w[i] = frand();
        for (int o = 0; o < cout; ++o) c.b[o] = frand();
        assert_int_equal(tri_conv_pack(&c), TRIODE_SUCCESS);
        TriHist h;
        assert_int_equal(tri_hist_init(&h, cin, tri_conv_lookback(&c), 64), TRIODE_SUCCESS);
        float* x = malloc(sizeof(float) * (size_t)cin * 64);
        float* want = malloc(sizeof(float) * (size_t)cout * 64);
        float* got = malloc(sizeof(float) * (size_t)cout * 64);
        float* add = malloc(sizeof(float) * (size_t)cout * 64);
        for (int blk = 0; blk < 3; ++blk) { /* several blocks so the taps reach into the history */
          for (int i = 0; i < cin * 64; ++i) x[i] = frand();
          for (int i = 0; i < cout * 64; ++i) add[i] = frand();
          tri_hist_push(&h, x, 64, n);
          tri_conv_apply_hist(&c, &h, want, 64, n);
          tri_conv_run_hist(k, &c, &h, got, 64, n, false);
          for (int o = 0; o < cout; ++o)
            for (int t = 0; t < n; ++t)
              assert_float_equal(got[o * 64 + t], want[o * 64 + t], 1e-5f * (1.0f + fabsf(want[o * 64 + t])));
          /* Pointwise with an addend: out = add + W x + b. */
          TriConv p;
          assert_int_equal(tri_conv_init(&p, &ctx, "pw", cin, cout, 1, 1, 1, true), TRIODE_SUCCESS);
          assert_int_equal(tri_conv_alloc(&p), TRIODE_SUCCESS);
          for (int i = 0; i < p.cout * p.cin; ++i) p.w[i] = frand();
          for (int o = 0; o < cout; ++o) p.b[o] = frand();
          assert_int_equal(tri_conv_pack(&p), TRIODE_SUCCESS);
          tri_conv1x1_apply(&p, x, 64, want, 64, n, false);
          tri_conv1x1_run_add(k, &p, x, 64, got, 64, n, add, 64);
          for (int o = 0; o < cout; ++o)
            for (int t = 0; t < n; ++t) {
              const float w = want[o * 64 + t] + add[o * 64 + t];
              assert_float_equal(got[o * 64 + t], w, 1e-5f * (1.0f + fabsf(w)));
            }
          tri_conv_free(&p);
          checked++;
        }
        free(x);
        free(want);
        free(got);
        free(add);
        tri_hist_free(&h);
        tri_conv_free(&c);
      }
  }
  assert_true(checked > 0);
}

/* Sweeps [-20, 20] densely plus powers of two down to 2^-60 and reports the worst error of each level. */
static void
test_transcendentals(void** state)
{
  (void)state;
  enum { N = 400000 };
  float* x = malloc(sizeof(float) * N);
  float* y = malloc(sizeof(float) * N);
  assert_non_null(x);
  assert_non_null(y);
  for (int i = 0; i < N; ++i) x[i] = (i % 5 == 0) ? ldexpf(i % 2 ? 1.0f : -1.0f, -(i % 61)) : -20.0f + 40.0f * i / N;
  for (int isa = 0; isa < TRI_ISA_COUNT; ++isa) {
    if (!level_runs((TriIsa)isa)) continue;
    const TriKernels* k = tri_kernels((TriIsa)isa);
    int64_t worst_tanh = 0, worst_tanhf = 0, worst_sig = 0, worst_fast = 0;
    memcpy(y, x, sizeof(float) * N);
    k->tanh(y, N);
    for (int i = 0; i < N; ++i) {
      const int64_t d = ulp_distance(y[i], (float)tanh((double)x[i])); /* correctly rounded reference */
      if (d > worst_tanh) worst_tanh = d;
      const int64_t df = ulp_distance(y[i], tanhf(x[i]));
      if (df > worst_tanhf) worst_tanhf = df;
    }
    memcpy(y, x, sizeof(float) * N);
    k->sigmoid(y, N);
    for (int i = 0; i < N; ++i) {
      const int64_t d = ulp_distance(y[i], tri_sigmoid(x[i]));
      if (d > worst_sig) worst_sig = d;
    }
    memcpy(y, x, sizeof(float) * N);
    k->fast_tanh(y, N);
    for (int i = 0; i < N; ++i) {
      const int64_t d = ulp_distance(y[i], tri_fast_tanh(x[i]));
      if (d > worst_fast) worst_fast = d;
    }
    printf("%-7s tanh %lld ulp (%lld from tanhf), sigmoid %lld ulp, fast tanh %lld ulp (worst over %d inputs)\n",
           k->name, (long long)worst_tanh, (long long)worst_tanhf, (long long)worst_sig, (long long)worst_fast, N);
    assert_true(worst_tanh <= 2);
    assert_true(worst_tanhf <= 3);
    assert_true(worst_sig <= 4);
    assert_true(worst_fast <= 2); /* the same formula; FMA contraction may move the last bit */
    /* The saturated ends are exact. */
    float ends[4] = {-30.0f, 30.0f, -1e30f, 1e30f};
    k->tanh(ends, 4);
    assert_true(ends[0] == -1.0f && ends[1] == 1.0f && ends[2] == -1.0f && ends[3] == 1.0f);
  }
  free(x);
  free(y);
}

/* The LSTM cell and mat-vec against the scalar formulas. */
static void
test_lstm_primitives(void** state)
{
  (void)state;
  enum { H = 19, J = 23 };
  float wt[J * 4 * H], bias[4 * H], xv[J], q[4 * H + TRI_LSTM_SLACK] = {0}, want_q[4 * H];
  for (int i = 0; i < J * 4 * H; ++i) wt[i] = frand();
  for (int i = 0; i < 4 * H; ++i) bias[i] = frand();
  for (int i = 0; i < J; ++i) xv[i] = frand();
  for (int o = 0; o < 4 * H; ++o) {
    float acc = bias[o];
    for (int j = 0; j < J; ++j) acc += wt[j * 4 * H + o] * xv[j];
    want_q[o] = acc;
  }
  for (int isa = 0; isa < TRI_ISA_COUNT; ++isa) {
    if (!level_runs((TriIsa)isa)) continue;
    const TriKernels* k = tri_kernels((TriIsa)isa);
    const TriGemm g = {wt, bias, 4 * H, J};
    k->matvec(&g, xv, q);
    for (int o = 0; o < 4 * H; ++o) assert_float_equal(q[o], want_q[o], 1e-5f * (1.0f + fabsf(want_q[o])));
    for (int fast = 0; fast < 2; ++fast) {
      float c[H + TRI_LSTM_SLACK], h[H + TRI_LSTM_SLACK], c2[H];
      for (int i = 0; i < H; ++i) c[i] = c2[i] = frand();
      k->lstm_cell(q, c, h, H, fast != 0);
      for (int i = 0; i < H; ++i) {
        float (*sig)(float) = fast ? tri_fast_sigmoid : tri_sigmoid;
        float (*th)(float) = fast ? tri_fast_tanh : tanhf;
        const float cn = sig(q[H + i]) * c2[i] + sig(q[i]) * th(q[2 * H + i]);
        const float hn = sig(q[3 * H + i]) * th(cn);
        assert_float_equal(c[i], cn, 1e-6f);
        assert_float_equal(h[i], hn, 1e-6f);
      }
    }
  }
}

/* The LSTM stack kernel (every path: one-register cells, gate-aligned blocks, the generic step) against the
   formulas stepped in plain C, for shapes around each path's bounds, 1-3 layers and 1-2 inputs, over 300 frames. */
/* Not inlined, so the loops that keep a maximum stay scalar (see test_lstm_run). */
static __attribute__((noinline)) double
keep_max(double m, double v)
{
  return v > m ? v : m;
}

static void
lstm_reference(int nl, int I, int H, float* const* wt, float* const* b, const float* x, float* h, float* c, int n,
               bool fast, float* hs)
{
  float* xin = malloc(sizeof(float) * (size_t)(I > H ? I : H));
  float* q = malloc(sizeof(float) * 4 * (size_t)H);
  float (*sig)(float) = fast ? tri_fast_sigmoid : tri_sigmoid;
  float (*th)(float) = fast ? tri_fast_tanh : tanhf;
  for (int t = 0; t < n; ++t) {
    int in = I;
    for (int i = 0; i < I; ++i) xin[i] = x[i * n + t];
    for (int l = 0; l < nl; ++l) {
      float* hl = h + l * H;
      float* cl = c + l * H;
      for (int r = 0; r < 4 * H; ++r) {
        float acc = b[l][r];
        for (int j = 0; j < in; ++j) acc += wt[l][j * 4 * H + r] * xin[j];
        for (int j = 0; j < H; ++j) acc += wt[l][(in + j) * 4 * H + r] * hl[j];
        q[r] = acc;
      }
      for (int u = 0; u < H; ++u) {
        cl[u] = sig(q[H + u]) * cl[u] + sig(q[u]) * th(q[2 * H + u]);
        hl[u] = sig(q[3 * H + u]) * th(cl[u]);
      }
      for (int u = 0; u < H; ++u) xin[u] = hl[u];
      in = H;
    }
    memcpy(hs + (size_t)t * H, h + (nl - 1) * H, sizeof(float) * (size_t)H);
  }
  free(xin);
  free(q);
}

static void
test_lstm_run(void** state)
{
  (void)state;
  enum { N = 300, HMAX = 64 };
  static const int shapes[][3] = {{1, 1, 1}, {1, 1, 3}, {1, 2, 4}, {2, 1, 2}, {3, 1, 4}, {1, 1, 5},  {1, 1, 8},
                                  {2, 1, 8}, {1, 1, 12}, {1, 1, 16}, {2, 2, 16}, {1, 1, 19}, {2, 1, 24}, {1, 1, 32},
                                  {1, 1, 48}, {2, 1, 64}}; /* 12 .. 64: 3 and 4 vectors per gate at every width */
  for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; ++si) {
    const int nl = shapes[si][0], I = shapes[si][1], H = shapes[si][2];
    float *wt[3], *b[3];
    for (int l = 0; l < nl; ++l) {
      const int J = (l == 0 ? I : H) + H;
      wt[l] = malloc(sizeof(float) * (size_t)(J * 4 * H));
      b[l] = malloc(sizeof(float) * 4 * (size_t)H);
      for (int i = 0; i < J * 4 * H; ++i) wt[l][i] = frand() * 1.5f / sqrtf((float)J);
      for (int i = 0; i < 4 * H; ++i) b[l][i] = frand() * 0.5f;
    }
    float* x = malloc(sizeof(float) * (size_t)(I * N));
    for (int i = 0; i < I * N; ++i) x[i] = frand();
    float h0[3 * HMAX], c0[3 * HMAX], want_h[3 * HMAX], want_c[3 * HMAX];
    for (int i = 0; i < nl * H; ++i) h0[i] = frand() * 0.5f, c0[i] = frand();
    float* want = malloc(sizeof(float) * (size_t)(N * H));
    float* got = malloc(sizeof(float) * (size_t)(N * H));
    float* got_plain = malloc(sizeof(float) * (size_t)(N * H));
    static float eye[HMAX * HMAX], zeros[HMAX];
    memset(eye, 0, sizeof eye);
    for (int u = 0; u < H; ++u) eye[u * H + u] = 1.0f;
    for (int fast = 0; fast < 2; ++fast) {
      memcpy(want_h, h0, sizeof h0);
      memcpy(want_c, c0, sizeof c0);
      lstm_reference(nl, I, H, wt, b, x, want_h, want_c, N, fast != 0, want);
      for (int isa = 0; isa < TRI_ISA_COUNT; ++isa) {
        if (!level_runs((TriIsa)isa)) continue;
        const TriKernels* k = tri_kernels((TriIsa)isa);
        /* Frame by frame (no sequence scratch), then layer by layer over chunks: the same sums, so the same bits. */
        for (int chunked = 0; chunked < 2; ++chunked) {
          static float seq_buf[2 * TRI_LSTM_CHUNK * HMAX];
          float* seq = chunked ? seq_buf : NULL;
          float xh[3][2 * HMAX + TRI_LSTM_SLACK], c[3][HMAX + TRI_LSTM_SLACK], q[4 * HMAX + TRI_LSTM_SLACK] = {0};
          TriLstmLayerRun layers[3];
          for (int l = 0; l < nl; ++l) {
            const int in = l == 0 ? I : H;
            memcpy(xh[l] + in, h0 + l * H, sizeof(float) * (size_t)H);
            memcpy(c[l], c0 + l * H, sizeof(float) * (size_t)H);
            layers[l] = (TriLstmLayerRun){in, wt[l], b[l], xh[l], c[l]};
          }
          TriLstmLanes lanes;
          if (4 * H <= 16) tri_lstm_lanes_init(&lanes, H);
          /* Two calls, so state carries across a call boundary; an identity head copies h out. */
          for (int part = 0; part < 2; ++part) {
            const int t0 = part == 0 ? 0 : 117, len = part == 0 ? 117 : N - 117;
            const TriLstmRun run = {nl, H, layers, 4 * H <= 16 ? &lanes : NULL, x + t0, N, 1, q, eye, zeros, H,
                                    got + t0, N, fast != 0, seq};
            k->lstm_run(&run, len);
          }
          /* Plain compare-and-keep maxima: gcc 12 for aarch64 fails (internal error) vectorising an fmax reduction
             over these strided reads at -O3. */
          double worst = 0;
          for (int t = 0; t < N; ++t)
            for (int u = 0; u < H; ++u) worst = keep_max(worst, fabs((double)got[u * N + t] - want[t * H + u]));
          for (int l = 0; l < nl; ++l)
            for (int u = 0; u < H; ++u) {
              const double wc = want_c[l * H + u];
              worst = keep_max(worst, fabs((double)c[l][u] - wc) / (fabs(wc) > 1.0 ? fabs(wc) : 1.0));
              worst = keep_max(worst, fabs((double)xh[l][(l == 0 ? I : H) + u] - want_h[l * H + u]));
            }
          if (worst > 2e-5)
            printf("lstm_run %s layers %d inputs %d hidden %d fast %d: max |d| = %.3g\n", k->name, nl, I, H, fast,
                   worst);
          assert_true(worst <= 2e-5);
          if (!chunked)
            memcpy(got_plain, got, sizeof(float) * (size_t)(N * H));
          else if (memcmp(got_plain, got, sizeof(float) * (size_t)(N * H)) != 0)
            fail_msg("lstm_run %s layers %d hidden %d fast %d: chunked output differs from frame by frame", k->name, nl,
                     H, fast);
        }
      }
    }
    for (int l = 0; l < nl; ++l) {
      free(wt[l]);
      free(b[l]);
    }
    free(x);
    free(want);
    free(got);
    free(got_plain);
  }
}

/* TRIODE_ISA forces a level when this CPU runs it; an unknown or unsupported name falls back to the best level. */
static void
test_isa_environment(void** state)
{
  (void)state;
  const TriIsa best = tri_isa_detect();
  assert_int_equal(setenv("TRIODE_ISA", "scalar", 1), 0);
  assert_int_equal(tri_isa_default(), TRI_ISA_SCALAR);
  for (int isa = 0; isa < TRI_ISA_COUNT; ++isa) {
    static const char* const names[TRI_ISA_COUNT] = {"scalar", "sse2", "avx2", "avx512", "neon"};
    assert_int_equal(setenv("TRIODE_ISA", names[isa], 1), 0);
    assert_int_equal(tri_isa_default(), tri_isa_supported((TriIsa)isa) ? (TriIsa)isa : best);
  }
  assert_int_equal(setenv("TRIODE_ISA", "no-such-level", 1), 0);
  assert_int_equal(tri_isa_default(), best);
  assert_int_equal(unsetenv("TRIODE_ISA"), 0);
  assert_int_equal(tri_isa_default(), best);
}

/* The fused WaveNet layer (every channel count, activation, frame count through the 4-, 2- and 1-vector groups and
   the masked tail, with and without condition rows) against the layer written out in plain C. */
static void
test_wn_layer(void** state)
{
  (void)state;
  enum { K = 3, NMAX = 100, LD = 256, LOOKBACK = 2 * 7 };
  static const int frames[] = {1, 5, 16, 37, 64, 100};
  /* LeakyReLU twice: a slope in [0, 1] (computed as a max) and one outside it (computed as a select) */
  static const int acts[] = {TRI_FUSED_TANH, TRI_FUSED_FASTTANH, TRI_FUSED_LEAKY, TRI_FUSED_LEAKY};
  float* hist = malloc(sizeof(float) * TRI_FUSED_MAX_C * LD);
  float* cond = malloc(sizeof(float) * 2 * NMAX);
  float* S = malloc(sizeof(float) * TRI_FUSED_MAX_C * NMAX);
  float* S_want = malloc(sizeof(float) * TRI_FUSED_MAX_C * NMAX);
  float* next = malloc(sizeof(float) * TRI_FUSED_MAX_C * NMAX);
  float* zwt = malloc(sizeof(float) * (K * TRI_FUSED_MAX_C + 2) * TRI_FUSED_MAX_C);
  float zb[TRI_FUSED_MAX_C], l1wt[TRI_FUSED_MAX_C * TRI_FUSED_MAX_C], l1b[TRI_FUSED_MAX_C];
  long off[K * TRI_FUSED_MAX_C];
  assert_true(hist && cond && S && S_want && next && zwt);
  int checked = 0;
  double worst = 0.0;
  for (int isa = 0; isa < TRI_ISA_COUNT; ++isa) {
    if (!level_runs((TriIsa)isa)) continue;
    const TriKernels* k = tri_kernels((TriIsa)isa);
    for (int C = 1; C <= k->wn_max_c; ++C)
      for (int ncond = 0; ncond <= 2; ncond += 2)
        for (size_t ai = 0; ai < sizeof acts / sizeof acts[0]; ++ai)
          for (size_t fi = 0; fi < sizeof frames / sizeof frames[0]; ++fi) {
            const int n = frames[fi], dil = 1 + (int)(fi % 2) * 6, nhist = K * C;
            for (int i = 0; i < C * LD; ++i) hist[i] = 2.0f * frand();
            for (int i = 0; i < 2 * NMAX; ++i) cond[i] = frand();
            for (int i = 0; i < C * NMAX; ++i) S[i] = S_want[i] = frand();
            for (int i = 0; i < (nhist + ncond) * C; ++i) zwt[i] = frand();
            for (int i = 0; i < C * C; ++i) l1wt[i] = frand();
            for (int i = 0; i < C; ++i) zb[i] = frand(), l1b[i] = frand();
            for (int tap = 0; tap < K; ++tap)
              for (int i = 0; i < C; ++i) off[tap * C + i] = (long)i * LD - (long)(K - 1 - tap) * dil;
            const float slope = ai == 2 ? 0.25f : ai == 3 ? 1.5f : 0.0f;
            const TriWnFused f = {C, nhist, off, ncond, zwt, zb, acts[ai], slope, l1wt, l1b};
            const float* x = hist + LOOKBACK;
            const TriWnIo io = {x, LD, cond, NMAX, next, NMAX, S, NMAX};
            k->wn_layer(&f, &io, n);
            for (int t = 0; t < n; ++t) {
              float a[TRI_FUSED_MAX_C];
              for (int r = 0; r < C; ++r) {
                float z = zb[r];
                for (int j = 0; j < nhist; ++j) z += zwt[j * C + r] * x[off[j] + t];
                for (int j = 0; j < ncond; ++j) z += zwt[(nhist + j) * C + r] * cond[j * NMAX + t];
                a[r] = acts[ai] == TRI_FUSED_TANH       ? tanhf(z)
                       : acts[ai] == TRI_FUSED_FASTTANH ? tri_fast_tanh(z)
                       : z > 0.0f                       ? z
                                                        : slope * z;
                S_want[r * NMAX + t] += a[r];
              }
              for (int o = 0; o < C; ++o) {
                float y = l1b[o];
                for (int i = 0; i < C; ++i) y += l1wt[i * C + o] * a[i];
                y += x[(long)o * LD + t];
                const float s_got = S[o * NMAX + t], s_want = S_want[o * NMAX + t], y_got = next[o * NMAX + t];
                worst = keep_max(worst, fabs((double)y_got - y) / (1.0 + fabs(y)));
                assert_float_equal(y_got, y, 2e-5f * (1.0f + fabsf(y)));
                assert_float_equal(s_got, s_want, 2e-5f * (1.0f + fabsf(s_want)));
              }
            }
            checked++;
          }
  }
  printf("wn_layer: %d shapes checked, worst relative difference %.2g\n", checked, worst);
  assert_true(checked > 0);
  free(hist);
  free(cond);
  free(S);
  free(S_want);
  free(next);
  free(zwt);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_conv_products),
    cmocka_unit_test(test_transcendentals),
    cmocka_unit_test(test_lstm_primitives),
    cmocka_unit_test(test_lstm_run),
    cmocka_unit_test(test_wn_layer),
    cmocka_unit_test(test_isa_environment),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
