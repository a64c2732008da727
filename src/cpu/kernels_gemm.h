/* Dense products: the row-pointer gemm behind every conv, and the one-frame mat-vec of a recurrent step.
   Part of the kernel source: included once per ISA by kernels_impl.h, after simd.h (no include guard). */

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

/* Output rows per pass. With 16 vector registers (SSE2, AVX2), passes of 4 rows x 2 frame vectors need 6 loads per
   8 multiply-adds where 8 rows x 1 vector need 9: the loads, not the multiply-adds, bounded the wide passes.
   Measured (Zen 4, block 64): A1 standard AVX2 45x -> 49x, SSE2 15.8x -> 18.1x; the sums are the same. */
#if defined(TRI_SIMD_AVX2) || defined(TRI_SIMD_SSE2)
#define TRI_GEMM_RSTEP 4
#else
#define TRI_GEMM_RSTEP TRI_RMAX
#endif
static void
TRI_FN(gemm_)(const TriGemm* g, const float* const* rows, float* out, int ldout, int n, const float* add, int lda)
{
  const int nv = n - n % TRI_VL; /* whole vectors of frames */
  if (nv < n) TRI_FN(gemm_frames_)(g, rows, out, ldout, nv, n, add, lda);
  n = nv;
  if (n == 0) return;
  const float* b = g->bias;
  for (int o = 0; o < g->cout; o += TRI_GEMM_RSTEP) {
    const int R = g->cout - o < TRI_GEMM_RSTEP ? g->cout - o : TRI_GEMM_RSTEP;
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

/* The multiply-add rate of this level (triode_isa_fma_peak): `iters` rounds of independent multiply-adds on
   registers, no memory traffic. TRI_PEAK_CHAINS chains cover latency x issue width on every core this level runs on
   (4-cycle FMA latency, up to two vector FMAs per cycle; AArch64 cores with four FMA pipes need sixteen). Returns
   a value of the sums so the work cannot be dropped. */
#define TRI_PEAK_CHAINS (TRI_ACC >= 16 ? 16 : 12)
static float
TRI_FN(fma_burst_)(long iters)
{
  tri_vf a[TRI_PEAK_CHAINS];
  const tri_vf w = VSET1(0.999999f), b = VSET1(1e-7f);
  _Pragma("GCC unroll 16") for (int i = 0; i < TRI_PEAK_CHAINS; ++i) a[i] = VSET1(1.0f + 1e-3f * (float)i);
  for (long n = 0; n < iters; ++n) {
    _Pragma("GCC unroll 16") for (int i = 0; i < TRI_PEAK_CHAINS; ++i) a[i] = VFMA(a[i], w, b);
  }
  _Pragma("GCC unroll 16") for (int i = 1; i < TRI_PEAK_CHAINS; ++i) a[0] = VADD(a[0], a[i]);
  float lanes[TRI_VL];
  VSTORE(lanes, a[0]);
  return lanes[0];
}
