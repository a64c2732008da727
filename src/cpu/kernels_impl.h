/* The dispatched primitives, written once over simd.h and compiled per ISA by the kernels_<isa>.c stubs.
   Scalar leftovers use the same formulas through partial vectors, so every frame of a block gets identical math. */
#include "cpu/isa.h"
#include "cpu/simd.h"

#include <stddef.h>

/* exp(y) = 2^k (1 + p): Cody-Waite reduction y = k ln2 + r with |r| <= ln2/2, and p = expm1(r) by its Taylor
   series to r^7 (truncation below 2e-8 relative). The caller passes k = round(y / ln2), which it may form from
   an operand of y (a * (c / ln2) for y = c a rounds the same product) so that k does not wait on y. *s receives 2^k;
   p is returned. Shared by tanh and sigmoid. */
static inline tri_vf
TRI_FN(v_exp_parts_)(tri_vf y, tri_vf k, tri_vf* s)
{
  tri_vf r = VFMA(k, VSET1(-0.693359375f), y);
  r = VFMA(k, VSET1(2.12194440e-4f), r);
  /* q(r) = 1/2 + r/6 + ... + r^5/5040 by Estrin's scheme (three pairs, then two steps in r^2): half the dependent
     steps of Horner's, which is what a recurrent cell waits on; q only enters scaled by r^2, so its rounding is
     immaterial. */
  const tri_vf r2 = VMUL(r, r);
  const tri_vf a = VFMA(r, VSET1(1.0f / 6.0f), VSET1(0.5f));
  const tri_vf b = VFMA(r, VSET1(1.0f / 120.0f), VSET1(1.0f / 24.0f));
  const tri_vf c = VFMA(r, VSET1(1.0f / 5040.0f), VSET1(1.0f / 720.0f));
  const tri_vf q = VFMA(VFMA(c, r2, b), r2, a);
  *s = VPOW2I(k);
  return VFMA(q, r2, r);
}

#define TRI_LOG2E 1.44269504088896341f

/* tanh |x| = (1 - e) / (1 + e) with e = exp(-2|x|) = s (1 + p). Numerator and denominator are each formed with one
   rounding, (1 - s) - s p and (1 + s) + s p as single multiply-adds (s p is exact: s is a power of two), where
   1 -/+ s is exact, so small |x| keep full relative accuracy without a separate series. One division; saturates at
   |x| >= 9.5 where tanhf is 1. Within 2 ulp of the correctly rounded tanh over all floats (glibc's tanhf is also
   within 2 ulp of it, so the two differ by at most 3 ulp); swept in the tests. */
static inline tri_vf
TRI_FN(v_tanh_)(tri_vf x)
{
  tri_vf s;
  const tri_vf a = VMIN(VABS(x), VSET1(9.5f));
  const tri_vf k = VROUND(VMUL(a, VSET1(-2.0f * TRI_LOG2E))); /* the product of y = -2a and 1/ln2, sooner */
  const tri_vf p = TRI_FN(v_exp_parts_)(VMUL(VSET1(-2.0f), a), k, &s);
  const tri_vf num = VFMA(VSUB(VZERO(), s), p, VSUB(VSET1(1.0f), s));
  const tri_vf den = VFMA(s, p, VADD(VSET1(1.0f), s));
  return VCOPYSIGN(VDIV(num, den), x);
}

/* 1 / (1 + exp(-x)), with exp(-x) for x clamped to [-88.3, 87.3]. */
static inline tri_vf
TRI_FN(v_sigmoid_)(tri_vf x)
{
  tri_vf s;
  const tri_vf xc = VMIN(VMAX(x, VSET1(-88.3f)), VSET1(87.3f));
  const tri_vf k = VROUND(VMUL(xc, VSET1(-TRI_LOG2E))); /* the product of y = -xc and 1/ln2, sooner */
  const tri_vf p = TRI_FN(v_exp_parts_)(VSUB(VZERO(), xc), k, &s);
  return VDIV(VSET1(1.0f), VADD(VSET1(1.0f), VFMA(s, p, s)));
}

/* The reference's rational fast tanh, evaluated in its order. */
static inline tri_vf
TRI_FN(v_fast_tanh_)(tri_vf x)
{
  const tri_vf a = VABS(x);
  const tri_vf x2 = VMUL(x, x);
  const tri_vf num = VMUL(x, VADD(VADD(VSET1(2.45550750702956f), VMUL(VSET1(2.45550750702956f), a)),
                                  VMUL(VADD(VSET1(0.893229853513558f), VMUL(VSET1(0.821226666969744f), a)), x2)));
  const tri_vf den = VADD(VSET1(2.44506634652299f),
                          VMUL(VADD(VSET1(2.44506634652299f), x2),
                               VABS(VADD(x, VMUL(VMUL(VSET1(0.814642734961073f), x), a)))));
  return VDIV(num, den);
}

/* Element-wise maps over n values. */
#define TRI_MAP(name, expr)                                                                                          \
  static void TRI_FN(name)(float* p, int n)                                                                          \
  {                                                                                                                  \
    int t = 0;                                                                                                       \
    for (; t + TRI_VL <= n; t += TRI_VL) {                                                                           \
      const tri_vf x = VLOAD(p + t);                                                                                 \
      VSTORE(p + t, expr);                                                                                           \
    }                                                                                                                \
    if (t < n) {                                                                                                     \
      const tri_vf x = VLOAD_N(p + t, n - t);                                                                        \
      VSTORE_N(p + t, expr, n - t);                                                                                  \
    }                                                                                                                \
  }

TRI_MAP(map_tanh_, TRI_FN(v_tanh_)(x))
TRI_MAP(map_fast_tanh_, TRI_FN(v_fast_tanh_)(x))
TRI_MAP(map_sigmoid_, TRI_FN(v_sigmoid_)(x))
TRI_MAP(map_fast_sigmoid_, VMUL(VSET1(0.5f), VADD(TRI_FN(v_fast_tanh_)(VMUL(VSET1(0.5f), x)), VSET1(1.0f))))

TRI_MAP(map_silu_, VMUL(x, TRI_FN(v_sigmoid_)(x)))

#define TRI_ZIP(name, expr)                                                                                          \
  static void TRI_FN(name)(float* d, const float* s, int n)                                                          \
  {                                                                                                                  \
    int t = 0;                                                                                                       \
    for (; t + TRI_VL <= n; t += TRI_VL) {                                                                           \
      const tri_vf a = VLOAD(d + t), b = VLOAD(s + t);                                                               \
      VSTORE(d + t, expr);                                                                                           \
    }                                                                                                                \
    if (t < n) {                                                                                                     \
      const tri_vf a = VLOAD_N(d + t, n - t), b = VLOAD_N(s + t, n - t);                                             \
      VSTORE_N(d + t, expr, n - t);                                                                                  \
    }                                                                                                                \
  }

TRI_ZIP(zip_add_, VADD(a, b))
TRI_ZIP(zip_mul_, VMUL(a, b))

static void
TRI_FN(leaky_)(float* p, int n, float slope)
{
  const tri_vf sv = VSET1(slope);
  int t = 0;
  for (; t + TRI_VL <= n; t += TRI_VL) {
    const tri_vf x = VLOAD(p + t);
    VSTORE(p + t, VSELLT(VZERO(), x, x, VMUL(sv, x)));
  }
  if (t < n) {
    const tri_vf x = VLOAD_N(p + t, n - t);
    VSTORE_N(p + t, VSELLT(VZERO(), x, x, VMUL(sv, x)), n - t);
  }
}

static void
TRI_FN(clamp_)(float* p, int n, float lo, float hi)
{
  const tri_vf l = VSET1(lo), h = VSET1(hi);
  int t = 0;
  for (; t + TRI_VL <= n; t += TRI_VL) VSTORE(p + t, VMIN(VMAX(VLOAD(p + t), l), h));
  if (t < n) VSTORE_N(p + t, VMIN(VMAX(VLOAD_N(p + t, n - t), l), h), n - t);
}

static void
TRI_FN(scale_)(float* p, float s, int n)
{
  const tri_vf sv = VSET1(s);
  int t = 0;
  for (; t + TRI_VL <= n; t += TRI_VL) VSTORE(p + t, VMUL(VLOAD(p + t), sv));
  if (t < n) VSTORE_N(p + t, VMUL(VLOAD_N(p + t, n - t), sv), n - t);
}

/* R output rows x F vectors of frames per step: R*F accumulators stay in registers while every input row is loaded
   F times and multiplied by R broadcast weights, so narrow layers still reuse each weight load across F vectors. */
#define TRI_GEMM_FRAMES(R) ((TRI_ACC / (R)) >= 4 ? 4 : (TRI_ACC / (R)) >= 2 ? 2 : 1)
#define TRI_GEMM_ROWS(R)                                                                                             \
  static void TRI_FN(gemm_r##R##_)(const float* wt, int cout, const float* bias, const float* const* rows, int nrows,  \
                                   float* out, int ldo, int n, const float* add, int lda)                            \
  {                                                                                                                  \
    enum { F = TRI_GEMM_FRAMES(R) };                                                                                 \
    int t = 0;                                                                                                       \
    for (; t + F * TRI_VL <= n; t += F * TRI_VL) {                                                                   \
      tri_vf a[R][F];                                                                                                \
      _Pragma("GCC unroll 16") for (int r = 0; r < R; ++r)                                                           \
      {                                                                                                              \
        const tri_vf b0 = bias ? VSET1(bias[r]) : VZERO();                                                           \
        _Pragma("GCC unroll 4") for (int f = 0; f < F; ++f) a[r][f] = b0;                                            \
      }                                                                                                              \
      for (int j = 0; j < nrows; ++j) {                                                                              \
        tri_vf x[F];                                                                                                 \
        _Pragma("GCC unroll 4") for (int f = 0; f < F; ++f) x[f] = VLOAD(rows[j] + t + f * TRI_VL);                  \
        const float* w = wt + (size_t)j * (size_t)cout;                                                              \
        _Pragma("GCC unroll 16") for (int r = 0; r < R; ++r)                                                         \
        {                                                                                                            \
          const tri_vf wv = VSET1(w[r]);                                                                             \
          _Pragma("GCC unroll 4") for (int f = 0; f < F; ++f) a[r][f] = VFMA(wv, x[f], a[r][f]);                     \
        }                                                                                                            \
      }                                                                                                              \
      _Pragma("GCC unroll 16") for (int r = 0; r < R; ++r)                                                           \
      {                                                                                                              \
        _Pragma("GCC unroll 4") for (int f = 0; f < F; ++f)                                                          \
        {                                                                                                            \
          float* y = out + (size_t)r * (size_t)ldo + t + f * TRI_VL;                                                 \
          const float* ya = add ? add + (size_t)r * (size_t)lda + t + f * TRI_VL : NULL;                             \
          VSTORE(y, ya ? VADD(VLOAD(ya), a[r][f]) : a[r][f]);                                                        \
        }                                                                                                            \
      }                                                                                                              \
    }                                                                                                                \
    for (; t < n; t += TRI_VL) { /* whole vectors left over from the F-wide steps */                                 \
      tri_vf a[R];                                                                                                   \
      _Pragma("GCC unroll 16") for (int r = 0; r < R; ++r) a[r] = bias ? VSET1(bias[r]) : VZERO();                   \
      for (int j = 0; j < nrows; ++j) {                                                                              \
        const tri_vf x = VLOAD(rows[j] + t);                                                                         \
        const float* w = wt + (size_t)j * (size_t)cout;                                                              \
        _Pragma("GCC unroll 16") for (int r = 0; r < R; ++r) a[r] = VFMA(VSET1(w[r]), x, a[r]);                      \
      }                                                                                                              \
      _Pragma("GCC unroll 16") for (int r = 0; r < R; ++r)                                                           \
      {                                                                                                              \
        float* y = out + (size_t)r * (size_t)ldo + t;                                                                \
        VSTORE(y, add ? VADD(VLOAD(add + (size_t)r * (size_t)lda + t), a[r]) : a[r]);                                \
      }                                                                                                              \
    }                                                                                                                \
  }

/* One kernel per row count, so any output width up to TRI_RMAX runs in a single pass over the inputs. */
TRI_GEMM_ROWS(1)
TRI_GEMM_ROWS(2)
TRI_GEMM_ROWS(3)
TRI_GEMM_ROWS(4)
#if TRI_RMAX >= 8
TRI_GEMM_ROWS(5)
TRI_GEMM_ROWS(6)
TRI_GEMM_ROWS(7)
TRI_GEMM_ROWS(8)
#endif
#if TRI_RMAX >= 16
TRI_GEMM_ROWS(9)
TRI_GEMM_ROWS(10)
TRI_GEMM_ROWS(11)
TRI_GEMM_ROWS(12)
TRI_GEMM_ROWS(13)
TRI_GEMM_ROWS(14)
TRI_GEMM_ROWS(15)
TRI_GEMM_ROWS(16)
#endif

typedef void (*TRI_FN(gemm_rows_fn_))(const float*, int, const float*, const float* const*, int, float*, int, int,
                                      const float*, int);
static const TRI_FN(gemm_rows_fn_) TRI_FN(gemm_rows_)[TRI_RMAX + 1] = {
  NULL, TRI_FN(gemm_r1_), TRI_FN(gemm_r2_), TRI_FN(gemm_r3_), TRI_FN(gemm_r4_),
#if TRI_RMAX >= 8
  TRI_FN(gemm_r5_), TRI_FN(gemm_r6_), TRI_FN(gemm_r7_), TRI_FN(gemm_r8_),
#endif
#if TRI_RMAX >= 16
  TRI_FN(gemm_r9_), TRI_FN(gemm_r10_), TRI_FN(gemm_r11_), TRI_FN(gemm_r12_), TRI_FN(gemm_r13_), TRI_FN(gemm_r14_),
  TRI_FN(gemm_r15_), TRI_FN(gemm_r16_),
#endif
};

/* Leftover frames (fewer than a vector): outputs as lanes, so a one-frame block costs one multiply-add per weight
   like a mat-vec instead of a mostly idle vector per output row. FT frames run side by side (FT independent FMA
   chains sharing each weight load; one frame alone would wait on its chain's latency). Each frame's sum runs over the
   inputs in the same order as the vector path, so outputs do not depend on how the stream is cut into blocks. */
#define TRI_GEMM_FRAMES_FT(FT)                                                                                       \
  static inline void TRI_FN(gemm_frames_ft##FT##_)(const TriGemm* g, const float* const* rows, float* out, int ldout, \
                                                   int t, const float* add, int lda)                                 \
  {                                                                                                                  \
    const int cout = g->cout;                                                                                        \
    for (int o = 0; o < cout; o += TRI_VL) {                                                                         \
      const int m = cout - o < TRI_VL ? cout - o : TRI_VL;                                                           \
      if (!TRI_MASKED && TRI_VL > 1 && m < TRI_VL) {                                                                 \
        /* without masked loads a partial vector costs a stack copy per input: go scalar */                          \
        for (int f = 0; f < FT; ++f)                                                                                 \
          for (int oo = o; oo < cout; ++oo) {                                                                        \
            float acc = g->bias ? g->bias[oo] : 0.0f;                                                                \
            for (int j = 0; j < g->nrows; ++j) acc = SFMA(g->wt[(size_t)j * (size_t)cout + oo], rows[j][t + f], acc); \
            float* y = out + (size_t)oo * (size_t)ldout + t + f;                                                     \
            *y = add ? add[(size_t)oo * (size_t)lda + t + f] + acc : acc;                                            \
          }                                                                                                          \
        break;                                                                                                       \
      }                                                                                                              \
      const tri_vf b = g->bias ? (m == TRI_VL ? VLOAD(g->bias + o) : VLOAD_N(g->bias + o, m)) : VZERO();             \
      tri_vf a[FT];                                                                                                  \
      _Pragma("GCC unroll 4") for (int f = 0; f < FT; ++f) a[f] = b;                                                 \
      for (int j = 0; j < g->nrows; ++j) {                                                                           \
        const float* w = g->wt + (size_t)j * (size_t)cout + o;                                                       \
        const tri_vf wv = m == TRI_VL ? VLOAD(w) : VLOAD_N(w, m);                                                    \
        _Pragma("GCC unroll 4") for (int f = 0; f < FT; ++f) a[f] = VFMA(wv, VSET1(rows[j][t + f]), a[f]);           \
      }                                                                                                              \
      _Pragma("GCC unroll 4") for (int f = 0; f < FT; ++f)                                                           \
      {                                                                                                              \
        float* y = out + (size_t)o * (size_t)ldout + t + f;                                                          \
        if (ldout == 1 && !add) {                                                                                    \
          if (m == TRI_VL)                                                                                           \
            VSTORE(y, a[f]);                                                                                         \
          else                                                                                                       \
            VSTORE_N(y, a[f], m);                                                                                    \
        } else {                                                                                                     \
          float tmp[TRI_VL];                                                                                         \
          VSTORE(tmp, a[f]);                                                                                         \
          const float* ya = add ? add + (size_t)o * (size_t)lda + t + f : NULL;                                      \
          for (int r = 0; r < m; ++r) y[(size_t)r * (size_t)ldout] = ya ? ya[(size_t)r * (size_t)lda] + tmp[r] : tmp[r]; \
        }                                                                                                            \
      }                                                                                                              \
    }                                                                                                                \
  }
TRI_GEMM_FRAMES_FT(1)
TRI_GEMM_FRAMES_FT(4)

static void
TRI_FN(gemm_frames_)(const TriGemm* g, const float* const* rows, float* out, int ldout, int t0, int n,
                     const float* add, int lda)
{
  int t = t0;
  for (; t + 4 <= n; t += 4) TRI_FN(gemm_frames_ft4_)(g, rows, out, ldout, t, add, lda);
  for (; t < n; ++t) TRI_FN(gemm_frames_ft1_)(g, rows, out, ldout, t, add, lda);
}

static void
TRI_FN(gemm_)(const TriGemm* g, const float* const* rows, float* out, int ldout, int n, const float* add, int lda)
{
  const int nv = n - n % TRI_VL; /* whole vectors of frames */
  if (nv < n) TRI_FN(gemm_frames_)(g, rows, out, ldout, nv, n, add, lda);
  n = nv;
  if (n == 0) return;
  const float* b = g->bias;
  for (int o = 0; o < g->cout; o += TRI_RMAX) {
    const int R = g->cout - o < TRI_RMAX ? g->cout - o : TRI_RMAX;
    TRI_FN(gemm_rows_)[R](g->wt + o, g->cout, b ? b + o : NULL, rows, g->nrows, out + (size_t)o * (size_t)ldout, ldout, n,
                          add ? add + (size_t)o * (size_t)lda : NULL, lda);
  }
}

/* y = W x + b for one frame, NV output vectors at a time with the input index outermost: NV independent FMA chains
   instead of one chain per output vector, which is what bounds a recurrent cell's step. The last vector of the whole
   output may be partial. */
#define TRI_MATVEC(NV)                                                                                               \
  static void TRI_FN(matvec_nv##NV##_)(const TriGemm* g, const float* x, float* y, int o0)                           \
  {                                                                                                                  \
    const int n = g->cout, m_last = n - (o0 + (NV - 1) * TRI_VL);                                                    \
    const bool partial = m_last < TRI_VL;                                                                            \
    tri_vf a[NV];                                                                                                    \
    _Pragma("GCC unroll 16") for (int v = 0; v < NV; ++v)                                                            \
    {                                                                                                                \
      const float* b = g->bias ? g->bias + o0 + v * TRI_VL : NULL;                                                   \
      a[v] = !b ? VZERO() : (v == NV - 1 && partial) ? VLOAD_N(b, m_last) : VLOAD(b);                                \
    }                                                                                                                \
    for (int j = 0; j < g->nrows; ++j) {                                                                             \
      const tri_vf xj = VSET1(x[j]);                                                                                 \
      const float* w = g->wt + (size_t)j * (size_t)n + o0;                                                           \
      _Pragma("GCC unroll 16") for (int v = 0; v < NV; ++v)                                                          \
      {                                                                                                              \
        const tri_vf wv = (v == NV - 1 && partial) ? VLOAD_N(w + v * TRI_VL, m_last) : VLOAD(w + v * TRI_VL);        \
        a[v] = VFMA(wv, xj, a[v]);                                                                                   \
      }                                                                                                              \
    }                                                                                                                \
    _Pragma("GCC unroll 16") for (int v = 0; v < NV; ++v)                                                            \
    {                                                                                                                \
      if (v == NV - 1 && partial)                                                                                    \
        VSTORE_N(y + o0 + v * TRI_VL, a[v], m_last);                                                                 \
      else                                                                                                           \
        VSTORE(y + o0 + v * TRI_VL, a[v]);                                                                           \
    }                                                                                                                \
  }
TRI_MATVEC(1)
TRI_MATVEC(2)
TRI_MATVEC(3)
TRI_MATVEC(4)
TRI_MATVEC(5)
TRI_MATVEC(6)
TRI_MATVEC(7)
TRI_MATVEC(8)

static void
TRI_FN(matvec_)(const TriGemm* g, const float* x, float* y)
{
  typedef void (*Fn)(const TriGemm*, const float*, float*, int);
  static const Fn fns[9] = {NULL,
                            TRI_FN(matvec_nv1_),
                            TRI_FN(matvec_nv2_),
                            TRI_FN(matvec_nv3_),
                            TRI_FN(matvec_nv4_),
                            TRI_FN(matvec_nv5_),
                            TRI_FN(matvec_nv6_),
                            TRI_FN(matvec_nv7_),
                            TRI_FN(matvec_nv8_)};
  for (int o0 = 0; o0 < g->cout; o0 += 8 * TRI_VL) {
    const int left = (g->cout - o0 + TRI_VL - 1) / TRI_VL;
    fns[left < 8 ? left : 8](g, x, y, o0);
  }
}

static inline tri_vf
TRI_FN(v_fast_sigmoid_)(tri_vf x)
{
  return VMUL(VSET1(0.5f), VADD(TRI_FN(v_fast_tanh_)(VMUL(VSET1(0.5f), x)), VSET1(1.0f)));
}

/* Small cells (4H fits one vector): one sigmoid and one tanh over all gate lanes at once, blended per lane (g lanes
   take tanh), then the c / h updates on the few lanes. Three transcendental evaluations instead of five. */
#if TRI_VL >= 8
static void
TRI_FN(lstm_cell_small_)(const float* q, float* c, float* h, int H, bool fast)
{
  static const float lane[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  const tri_vf qv = VLOAD_N(q, 4 * H);
  const tri_vf s = fast ? TRI_FN(v_fast_sigmoid_)(qv) : TRI_FN(v_sigmoid_)(qv);
  const tri_vf th = fast ? TRI_FN(v_fast_tanh_)(qv) : TRI_FN(v_tanh_)(qv);
  const tri_vf idx = VLOAD(lane);
  const tri_vf act = VSELLT(idx, VSET1((float)(2 * H)), s, VSELLT(idx, VSET1((float)(3 * H)), th, s));
  float a[TRI_VL];
  VSTORE(a, act);
  float cn[TRI_VL] = {0};
  for (int j = 0; j < H; ++j) cn[j] = a[H + j] * c[j] + a[j] * a[2 * H + j];
  const tri_vf cv = VLOAD(cn);
  float tc[TRI_VL];
  VSTORE(tc, fast ? TRI_FN(v_fast_tanh_)(cv) : TRI_FN(v_tanh_)(cv));
  for (int j = 0; j < H; ++j) {
    c[j] = cn[j];
    h[j] = a[3 * H + j] * tc[j];
  }
}
#endif

static void
TRI_FN(lstm_cell_)(const float* q, float* c, float* h, int H, bool fast)
{
#if TRI_VL >= 8
  if (4 * H <= TRI_VL) {
    TRI_FN(lstm_cell_small_)(q, c, h, H, fast);
    return;
  }
#endif
  /* Whole vectors over the slack after q, c and h (see TriLstmRun): the next step's loads of c and h are then
     forwarded from whole-vector stores instead of waiting on masked ones; the extra lanes hold finite scratch. */
  for (int t = 0; t < H; t += TRI_VL) {
    const tri_vf qi = VLOAD(q + t), qf = VLOAD(q + H + t), qg = VLOAD(q + 2 * H + t), qo = VLOAD(q + 3 * H + t);
    const tri_vf cv = VLOAD(c + t);
    tri_vf cn, hn;
    if (fast) {
      cn = VADD(VMUL(TRI_FN(v_fast_sigmoid_)(qf), cv), VMUL(TRI_FN(v_fast_sigmoid_)(qi), TRI_FN(v_fast_tanh_)(qg)));
      hn = VMUL(TRI_FN(v_fast_sigmoid_)(qo), TRI_FN(v_fast_tanh_)(cn));
    } else {
      cn = VADD(VMUL(TRI_FN(v_sigmoid_)(qf), cv), VMUL(TRI_FN(v_sigmoid_)(qi), TRI_FN(v_tanh_)(qg)));
      hn = VMUL(TRI_FN(v_sigmoid_)(qo), TRI_FN(v_tanh_)(cn));
    }
    VSTORE(c + t, cn);
    VSTORE(h + t, hn);
  }
}

/* The head of an LSTM stack for frame t from the last layer's h, summed in the reference's order. */
static inline void
TRI_FN(lstm_head_)(const TriLstmRun* p, const float* h, int t)
{
  for (int o = 0; o < p->nout; ++o) {
    const float* w = p->hw + (size_t)o * (size_t)p->H;
    float acc = 0.0f;
    for (int j = 0; j < p->H; ++j) acc += w[j] * h[j];
    p->out[o * p->ldout + t] = acc + p->hb[o];
  }
}

/* An LSTM stack, frame by frame: the generic step (mat-vec over [x; h], then the cell) for any H and level; the
   state buffers carry the cell's slack (see TriLstmRun). */
static void
TRI_FN(lstm_run_generic_)(const TriLstmRun* p, int n)
{
  const int H = p->H;
  for (int t = 0; t < n; ++t) {
    const float* x = p->x + t * p->sxt;
    long sx = p->sxi;
    for (int l = 0; l < p->nlayers; ++l) {
      const TriLstmLayerRun* L = &p->layers[l];
      float* h = L->xh + L->I;
      for (int i = 0; i < L->I; ++i) L->xh[i] = x[i * sx];
      const TriGemm g = {L->wt, L->b, 4 * H, L->I + H};
      TRI_FN(matvec_)(&g, L->xh, p->q);
      TRI_FN(lstm_cell_)(p->q, L->c, h, H, p->fast);
      x = h;
      sx = 1;
    }
    TRI_FN(lstm_head_)(p, x, t);
  }
}

#if TRI_HAS_PERM
enum { TRI_LSTM_SMALL_LAYERS = 4 };
/* Lane tables and per-layer weights of the one-register cell, loaded once per call. */
typedef struct {
  tri_vi bj[TRI_VL / 4], pf, pg, po;
  tri_vf scale, offset, glane, mask;
} TRI_FN(LstmLanesV_);

/* One step of one layer from q = b + sum wx_i x_i (the inputs' part, formed by the caller): adds sum wh_j h_j,
   then the cell. */
static inline void
TRI_FN(lstm_small_step_)(const TRI_FN(LstmLanesV_)* T, int H, tri_vf q, const tri_vf* wh, tri_vf* h, tri_vf* c,
                         bool fast)
{
  enum { U = TRI_VL / 4 };
  _Pragma("GCC unroll 4") for (int j = 0; j < U; ++j) if (j < H) q = VFMA(wh[j], VPERM(*h, T->bj[j]), q);
  tri_vf act;
  if (fast) {
    act = VFMA(TRI_FN(v_fast_tanh_)(VMUL(q, T->scale)), T->scale, T->offset);
  } else {
    const tri_vf sg = TRI_FN(v_sigmoid_)(q), th = TRI_FN(v_tanh_)(q);
    act = VSELLT(VZERO(), T->glane, th, sg);
  }
  const tri_vf f = VMUL(VPERM(act, T->pf), T->mask), g = VMUL(VPERM(act, T->pg), T->mask), o = VPERM(act, T->po);
  *c = VADD(VMUL(f, *c), VMUL(act, g));
  *h = VMUL(o, fast ? TRI_FN(v_fast_tanh_)(*c) : TRI_FN(v_tanh_)(*c));
}

/* Gates that fit one vector (4H <= lanes): a step never leaves the registers, which is what bounds a small cell (its
   cost is the latency of one dependent chain per frame). h is broadcast lane by lane by permutes, the f, g and o lanes
   are moved under the i lanes by permutes, and lanes past H are kept at zero. The fast path takes its three
   sigmoids and one tanh as one tanh of q scaled per lane, since the reference defines its fast sigmoid as
   (1 + fast_tanh(x / 2)) / 2; the exact path evaluates sigmoid and tanh side by side and picks per lane. A single
   layer with one input (the common case) keeps everything in named registers. */
static void
TRI_FN(lstm_run_small_)(const TriLstmRun* p, int n)
{
  enum { U = TRI_VL / 4 };
  const int H = p->H, G = 4 * H, nl = p->nlayers;
  const TriLstmLanes* tab = p->lanes;
  TRI_FN(LstmLanesV_) T;
  for (int j = 0; j < U; ++j) T.bj[j] = VIDX(tab->bcast[j]);
  T.pf = VIDX(tab->gate[0]);
  T.pg = VIDX(tab->gate[1]);
  T.po = VIDX(tab->gate[2]);
  T.scale = VLOAD(tab->scale);
  T.offset = VLOAD(tab->offset);
  T.glane = VLOAD(tab->glane);
  T.mask = VLOAD(tab->mask);
  const bool fast = p->fast;
  tri_vf h[TRI_LSTM_SMALL_LAYERS], c[TRI_LSTM_SMALL_LAYERS], b[TRI_LSTM_SMALL_LAYERS];
  tri_vf wx[TRI_LSTM_SMALL_LAYERS][U], wh[TRI_LSTM_SMALL_LAYERS][U];
  for (int l = 0; l < nl; ++l) {
    const TriLstmLayerRun* L = &p->layers[l];
    h[l] = VLOAD_N(L->xh + L->I, H);
    c[l] = VLOAD_N(L->c, H);
    b[l] = VLOAD_N(L->b, G);
    for (int j = 0; j < U; ++j) {
      wx[l][j] = l > 0 && j < H ? VLOAD_N(L->wt + (size_t)j * (size_t)G, G) : VZERO();
      wh[l][j] = j < H ? VLOAD_N(L->wt + (size_t)(L->I + j) * (size_t)G, G) : VZERO();
    }
  }
  const int I0 = p->layers[0].I;
  if (nl == 1 && I0 == 1) {
    const tri_vf w0 = VLOAD_N(p->layers[0].wt, G);
    tri_vf hh = h[0], cc = c[0];
    for (int t = 0; t < n; ++t) {
      TRI_FN(lstm_small_step_)(&T, H, VFMA(w0, VSET1(p->x[t * p->sxt]), b[0]), wh[0], &hh, &cc, fast);
      float hv[TRI_VL];
      VSTORE(hv, hh);
      TRI_FN(lstm_head_)(p, hv, t);
    }
    h[0] = hh;
    c[0] = cc;
  } else {
    for (int t = 0; t < n; ++t) {
      tri_vf q0 = b[0];
      for (int i = 0; i < I0; ++i)
        q0 = VFMA(VLOAD_N(p->layers[0].wt + (size_t)i * (size_t)G, G), VSET1(p->x[i * p->sxi + t * p->sxt]), q0);
      TRI_FN(lstm_small_step_)(&T, H, q0, wh[0], &h[0], &c[0], fast);
      for (int l = 1; l < nl; ++l) {
        tri_vf q = b[l];
        _Pragma("GCC unroll 4") for (int i = 0; i < U; ++i) if (i < H) q = VFMA(wx[l][i], VPERM(h[l - 1], T.bj[i]), q);
        TRI_FN(lstm_small_step_)(&T, H, q, wh[l], &h[l], &c[l], fast);
      }
      float hv[TRI_VL];
      VSTORE(hv, h[nl - 1]);
      TRI_FN(lstm_head_)(p, hv, t);
    }
  }
  for (int l = 0; l < nl; ++l) {
    VSTORE_N(p->layers[l].xh + p->layers[l].I, h[l], H);
    VSTORE_N(p->layers[l].c, c[l], H);
  }
}
#endif

/* H a multiple of the lanes (NG vectors per gate, 4 NG <= 16 accumulators): the gate vectors of one unit block line
   up, so the products stay in registers through the cell; h goes through memory only to be broadcast. */
#define TRI_LSTM_ALIGNED(NG)                                                                                         \
  static void TRI_FN(lstm_run_a##NG##_)(const TriLstmRun* p, int n)                                                  \
  {                                                                                                                  \
    enum { NV = 4 * NG };                                                                                            \
    const int H = p->H, G = 4 * H;                                                                                   \
    for (int t = 0; t < n; ++t) {                                                                                    \
      const float* x = p->x + t * p->sxt;                                                                            \
      long sx = p->sxi;                                                                                              \
      for (int l = 0; l < p->nlayers; ++l) {                                                                         \
        const TriLstmLayerRun* L = &p->layers[l];                                                                    \
        float* h = L->xh + L->I;                                                                                     \
        tri_vf a[NV];                                                                                                \
        _Pragma("GCC unroll 16") for (int v = 0; v < NV; ++v) a[v] = VLOAD(L->b + v * TRI_VL);                       \
        for (int i = 0; i < L->I; ++i) {                                                                             \
          const tri_vf xi = VSET1(x[i * sx]);                                                                        \
          const float* w = L->wt + (size_t)i * (size_t)G;                                                            \
          _Pragma("GCC unroll 16") for (int v = 0; v < NV; ++v) a[v] = VFMA(VLOAD(w + v * TRI_VL), xi, a[v]);        \
        }                                                                                                            \
        for (int j = 0; j < H; ++j) {                                                                                \
          const tri_vf hj = VSET1(h[j]);                                                                             \
          const float* w = L->wt + (size_t)(L->I + j) * (size_t)G;                                                   \
          _Pragma("GCC unroll 16") for (int v = 0; v < NV; ++v) a[v] = VFMA(VLOAD(w + v * TRI_VL), hj, a[v]);        \
        }                                                                                                            \
        _Pragma("GCC unroll 4") for (int u = 0; u < NG; ++u)                                                         \
        {                                                                                                            \
          tri_vf ig, fg, gg, og;                                                                                     \
          if (p->fast) {                                                                                             \
            ig = TRI_FN(v_fast_sigmoid_)(a[u]);                                                                      \
            fg = TRI_FN(v_fast_sigmoid_)(a[NG + u]);                                                                 \
            gg = TRI_FN(v_fast_tanh_)(a[2 * NG + u]);                                                                \
            og = TRI_FN(v_fast_sigmoid_)(a[3 * NG + u]);                                                             \
          } else {                                                                                                   \
            ig = TRI_FN(v_sigmoid_)(a[u]);                                                                           \
            fg = TRI_FN(v_sigmoid_)(a[NG + u]);                                                                      \
            gg = TRI_FN(v_tanh_)(a[2 * NG + u]);                                                                     \
            og = TRI_FN(v_sigmoid_)(a[3 * NG + u]);                                                                  \
          }                                                                                                          \
          const tri_vf cn = VADD(VMUL(fg, VLOAD(L->c + u * TRI_VL)), VMUL(ig, gg));                                  \
          VSTORE(L->c + u * TRI_VL, cn);                                                                             \
          VSTORE(h + u * TRI_VL, VMUL(og, p->fast ? TRI_FN(v_fast_tanh_)(cn) : TRI_FN(v_tanh_)(cn)));                \
        }                                                                                                            \
        x = h;                                                                                                       \
        sx = 1;                                                                                                      \
      }                                                                                                              \
      TRI_FN(lstm_head_)(p, x, t);                                                                                   \
    }                                                                                                                \
  }
TRI_LSTM_ALIGNED(1)
TRI_LSTM_ALIGNED(2)
TRI_LSTM_ALIGNED(3)
TRI_LSTM_ALIGNED(4)

static void
TRI_FN(lstm_run_)(const TriLstmRun* p, int n)
{
#if TRI_HAS_PERM
  if (p->lanes && 4 * p->H <= TRI_VL && p->nlayers <= TRI_LSTM_SMALL_LAYERS) {
    TRI_FN(lstm_run_small_)(p, n);
    return;
  }
#endif
#if defined(TRI_SIMD_AVX512)
  /* H a multiple of 8 but not of 16 (2x24): the AVX2 kernel's whole 8-lane vectors keep the gate products in
     registers, where 16 lanes would leave half a vector per gate to the generic step. Measured on 2x24: equal with
     exact tanh, +16 % with fast tanh. */
  if (p->H % 16 != 0 && p->H % 8 == 0 && p->H <= 32) {
    tri_kernels_avx2.lstm_run(p, n);
    return;
  }
#endif
  /* Up to 4 NG = 16 gate accumulators: twice TRI_ACC still fits the register file beside a weight and a broadcast
     (measured: SSE2 1x16 +10 %, AVX2 2x24 +12 %); with fewer registers (scalar) the generic step is faster. */
  enum { NG_MAX = 2 * TRI_ACC / 4 < 2 ? 2 : 2 * TRI_ACC / 4 > 4 ? 4 : 2 * TRI_ACC / 4 };
  if (p->H % TRI_VL == 0 && p->H / TRI_VL <= NG_MAX) {
    static void (*const fns[5])(const TriLstmRun*, int) = {NULL, TRI_FN(lstm_run_a1_), TRI_FN(lstm_run_a2_),
                                                           TRI_FN(lstm_run_a3_), TRI_FN(lstm_run_a4_)};
    fns[p->H / TRI_VL](p, n);
    return;
  }
  TRI_FN(lstm_run_generic_)(p, n);
}

/* The fused layer for C channels: per vector of frames, z[C] stays in registers through the activation, the head
   accumulation and the layer1x1 residual. All sums run in the unfused path's order (bias, then inputs in
   order; the residual added last). With few channels, one vector of frames leaves too few independent FMA chains to
   cover the FMA latency, so whole groups of TRI_WN_FV(C) vectors run side by side. Every frame's sums run in the
   same order whichever group holds it, so the output does not depend on the block size. (Splitting a lone vector's
   rows into partial sums for more chains was measured no faster, and would break that.) */
#define TRI_WN_FV(C) ((C) * 4 <= TRI_ACC ? 4 : (C) * 2 <= TRI_ACC ? 2 : 1)
/* The groups are inlined into their layer function: called out of line they measured 7 % slower (avx512, block 64). */
#if defined(__GNUC__)
#define TRI_ALWAYS_INLINE __attribute__((always_inline))
#else
#define TRI_ALWAYS_INLINE
#endif
/* Loads and stores of a group's vectors. WN_PART (a compile-time 0 or 1) marks a lone partial vector of m < TRI_VL
   frames, masked; whole vectors compile without the test (a short block pays for its masks, a long one does not). */
#define TRI_WN_LD(p) (WN_PART ? VLOAD_N(p, m) : VLOAD(p))
#define TRI_WN_ST(p, x)                                                                                              \
  do {                                                                                                               \
    if (WN_PART)                                                                                                     \
      VSTORE_N(p, x, m);                                                                                             \
    else                                                                                                             \
      VSTORE(p, x);                                                                                                  \
  } while (0)
/* The activation over every register of a group: one test of the kind per group, not one per register. */
#define TRI_WN_EACH(z, FV, C, EXPR)                                                                                  \
  do {                                                                                                               \
    _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v) _Pragma("GCC unroll 8") for (int r = 0; r < C; ++r)         \
    {                                                                                                                \
      const tri_vf x = z[v][r];                                                                                      \
      z[v][r] = (EXPR);                                                                                              \
    }                                                                                                                \
  } while (0)
#define TRI_WN_ACT(f, z, FV, C)                                                                                      \
  do {                                                                                                               \
    const tri_vf sl = VSET1((f)->slope);                                                                             \
    if ((f)->act == TRI_FUSED_TANH)                                                                                  \
      TRI_WN_EACH(z, FV, C, TRI_FN(v_tanh_)(x));                                                                     \
    else if ((f)->act == TRI_FUSED_FASTTANH)                                                                         \
      TRI_WN_EACH(z, FV, C, TRI_FN(v_fast_tanh_)(x));                                                                \
    else if ((f)->slope >= 0.0f && (f)->slope <= 1.0f) /* max(z, slope z): the same value in two operations */       \
      TRI_WN_EACH(z, FV, C, VMAX(x, VMUL(sl, x)));                                                                   \
    else                                                                                                             \
      TRI_WN_EACH(z, FV, C, VSELLT(VZERO(), x, x, VMUL(sl, x)));                                                     \
  } while (0)
/* One row of the conv + mixin product for a group: its FV vectors of frames from p, times its C weights w, summed
   into z. */
#define TRI_WN_ROW(C, FV, z, p, w)                                                                                   \
  do {                                                                                                               \
    tri_vf xv[FV];                                                                                                   \
    _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v) xv[v] = TRI_WN_LD((p) + v * TRI_VL);                        \
    _Pragma("GCC unroll 8") for (int r = 0; r < C; ++r)                                                              \
    {                                                                                                                \
      const tri_vf wr = VSET1((w)[r]);                                                                               \
      _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v) z[v][r] = VFMA(wr, xv[v], z[v][r]);                       \
    }                                                                                                                \
  } while (0)
/* FV vectors of frames from frame t (m frames when PART). */
#define TRI_WN_GROUP(C, FV, PART)                                                                                    \
  static inline TRI_ALWAYS_INLINE void TRI_FN(wn_group_c##C##_v##FV##_p##PART##_)(const TriWnFused* f,               \
                                                                                  const TriWnIo* io, int t, int m)   \
  {                                                                                                                  \
    enum { WN_PART = PART };                                                                                         \
    (void)m;                                                                                                         \
    tri_vf z[FV][C];                                                                                                 \
    _Pragma("GCC unroll 8") for (int r = 0; r < C; ++r)                                                              \
    {                                                                                                                \
      const tri_vf b = VSET1(f->zb[r]);                                                                              \
      _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v) z[v][r] = b;                                              \
    }                                                                                                                \
    const float* zw = f->zwt;                                                                                        \
    const float* xb = io->x + t;                                                                                     \
    for (int j = 0; j < f->nhist; ++j, zw += C) TRI_WN_ROW(C, FV, z, xb + f->off[j], zw);                            \
    const float* pc = io->c + t;                                                                                     \
    for (int k = 0; k < f->ncond; ++k, zw += C, pc += io->ldc) TRI_WN_ROW(C, FV, z, pc, zw);                         \
    TRI_WN_ACT(f, z, FV, C);                                                                                         \
    float* const S = io->S + t;                                                                                      \
    const long ldS = io->ldS;                                                                                        \
    _Pragma("GCC unroll 8") for (int r = 0; r < C; ++r) _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v)         \
    {                                                                                                                \
      float* s = S + r * ldS + v * TRI_VL;                                                                           \
      TRI_WN_ST(s, VADD(TRI_WN_LD(s), z[v][r]));                                                                     \
    }                                                                                                                \
    const float* const l1wt = f->l1wt;                                                                               \
    const float* const l1b = f->l1b;                                                                                 \
    const float* const X = io->x + t;                                                                                \
    float* const Y = io->next + t;                                                                                   \
    const long ldx = io->ldx, ldy = io->ldnext;                                                                      \
    _Pragma("GCC unroll 8") for (int o = 0; o < C; ++o)                                                              \
    {                                                                                                                \
      const tri_vf b = VSET1(l1b[o]);                                                                                \
      tri_vf acc[FV];                                                                                                \
      _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v) acc[v] = b;                                               \
      _Pragma("GCC unroll 8") for (int i = 0; i < C; ++i)                                                            \
      {                                                                                                              \
        const tri_vf w = VSET1(l1wt[i * C + o]);                                                                     \
        _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v) acc[v] = VFMA(w, z[v][i], acc[v]);                      \
      }                                                                                                              \
      _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v)                                                           \
          TRI_WN_ST(Y + o * ldy + v * TRI_VL, VADD(TRI_WN_LD(X + o * ldx + v * TRI_VL), acc[v]));                    \
    }                                                                                                                \
  }
#define TRI_WN_FUSED(C)                                                                                              \
  TRI_WN_GROUP(C, 4, 0)                                                                                              \
  TRI_WN_GROUP(C, 2, 0)                                                                                              \
  TRI_WN_GROUP(C, 1, 0)                                                                                              \
  TRI_WN_GROUP(C, 1, 1)                                                                                              \
  static void TRI_FN(wn_layer_c##C##_)(const TriWnFused* f, const TriWnIo* io, int n)                                \
  {                                                                                                                  \
    int t = 0;                                                                                                       \
    if (TRI_WN_FV(C) >= 4)                                                                                           \
      for (; t + 4 * TRI_VL <= n; t += 4 * TRI_VL) TRI_FN(wn_group_c##C##_v4_p0_)(f, io, t, TRI_VL);                 \
    if (TRI_WN_FV(C) >= 2)                                                                                           \
      for (; t + 2 * TRI_VL <= n; t += 2 * TRI_VL) TRI_FN(wn_group_c##C##_v2_p0_)(f, io, t, TRI_VL);                 \
    for (; t + TRI_VL <= n; t += TRI_VL) TRI_FN(wn_group_c##C##_v1_p0_)(f, io, t, TRI_VL);                           \
    if (t < n) TRI_FN(wn_group_c##C##_v1_p1_)(f, io, t, n - t);                                                      \
  }
TRI_WN_FUSED(1)
TRI_WN_FUSED(2)
TRI_WN_FUSED(3)
TRI_WN_FUSED(4)
TRI_WN_FUSED(5)
TRI_WN_FUSED(6)
TRI_WN_FUSED(7)
TRI_WN_FUSED(8)

static void
TRI_FN(wn_layer_)(const TriWnFused* f, const TriWnIo* io, int n)
{
  typedef void (*Fn)(const TriWnFused*, const TriWnIo*, int);
  static const Fn fns[TRI_FUSED_MAX_C + 1] = {NULL,
                                              TRI_FN(wn_layer_c1_),
                                              TRI_FN(wn_layer_c2_),
                                              TRI_FN(wn_layer_c3_),
                                              TRI_FN(wn_layer_c4_),
                                              TRI_FN(wn_layer_c5_),
                                              TRI_FN(wn_layer_c6_),
                                              TRI_FN(wn_layer_c7_),
                                              TRI_FN(wn_layer_c8_)};
  fns[f->C](f, io, n);
}

const TriKernels TRI_FN(tri_kernels_) = {
  .isa = TRI_ISA_ID,
  .name = TRI_ISA_NAME,
  .lanes = TRI_VL,
  .masked = TRI_MASKED,
  .gemm = TRI_FN(gemm_),
  .tanh = TRI_FN(map_tanh_),
  .fast_tanh = TRI_FN(map_fast_tanh_),
  .sigmoid = TRI_FN(map_sigmoid_),
  .fast_sigmoid = TRI_FN(map_fast_sigmoid_),
  .silu = TRI_FN(map_silu_),
  .add = TRI_FN(zip_add_),
  .mul = TRI_FN(zip_mul_),
  .scale = TRI_FN(scale_),
  .matvec = TRI_FN(matvec_),
  .lstm_cell = TRI_FN(lstm_cell_),
  .leaky = TRI_FN(leaky_),
  .clamp = TRI_FN(clamp_),
  .wn_layer = TRI_FN(wn_layer_),
  .lstm_run = TRI_FN(lstm_run_),
};
