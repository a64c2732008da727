/* The fused WaveNet layer: conv + mixin, activation, head sum and residual with a block's frames in registers.
   Part of the kernel source: included once per ISA by kernels_impl.h, after simd.h (no include guard). */

/* The fused layer for C channels: per vector of frames, z[C] stays in registers through the activation, the head
   accumulation and the layer1x1 residual. All sums run in the unfused path's order (bias, then inputs in
   order; the residual added last). With few channels, one vector of frames leaves too few independent FMA chains to
   cover the FMA latency, so whole groups of TRI_WN_FV(C) vectors run side by side. Every frame's sums run in the
   same order whichever group holds it, so the output does not depend on the block size. (Splitting a lone vector's
   rows into partial sums for more chains was measured no faster, and would break that.) */
/* AVX2 (16 registers) runs 5-8 channels two vectors at a time anyway, in passes of TRI_WN_RB rows: one vector per
   row step needs a load for every multiply-add (the frames and C broadcast weights for C multiply-adds), two need
   3 for 4. Measured (Zen 4, block 64): A2 Full 67x -> 71-75x, A1 feather 159-165x -> 170-173x. */
#if defined(TRI_SIMD_AVX2)
#define TRI_WN_FV(C) ((C) * 4 <= TRI_ACC ? 4 : 2)
#else
#define TRI_WN_FV(C) ((C) * 4 <= TRI_ACC ? 4 : (C) * 2 <= TRI_ACC ? 2 : 1)
#endif
#define TRI_WN_RB(C, FV) ((C) * (FV) <= TRI_ACC ? (C) : TRI_ACC / (FV))
/* Widest layer of this level: one vector of frames for C channels keeps C accumulators live through the activation
   and the layer1x1 beside its outputs, which 32 vector registers hold for C = 16 (AVX-512, NEON) and 16 for C = 8.
   AVX2 also fuses up to 16 (the z of a group then partly waits on the stack, once per group rather than per row):
   measured against its unfused path, A1 standard 43x -> 46x and A1 lite 76x -> 84x at block 16, 90x -> 92x for lite
   at block 64. Wider layers, and these on SSE2 and scalar, run the unfused path (the same sums in the same order). */
#if TRI_ACC >= 16 || defined(TRI_SIMD_AVX2)
#define TRI_WN_MAX_C 16
#else
#define TRI_WN_MAX_C 8
#endif
/* The groups are inlined into their layer function (TRI_ALWAYS_INLINE): called out of line they measured 7 % slower
   (avx512, block 64). */
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
    _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v) _Pragma("GCC unroll 16") for (int r = 0; r < C; ++r)         \
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
/* One row of the conv + mixin product for a group, for output rows r0 .. r1-1: its FV vectors of frames from p,
   times those of its weights w, summed into z. */
#define TRI_WN_ROWS(FV, z, p, w, r0, r1)                                                                             \
  do {                                                                                                               \
    tri_vf xv[FV];                                                                                                   \
    _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v) xv[v] = TRI_WN_LD((p) + v * TRI_VL);                        \
    _Pragma("GCC unroll 16") for (int r = (r0); r < (r1); ++r)                                                        \
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
    _Pragma("GCC unroll 16") for (int r = 0; r < C; ++r)                                                              \
    {                                                                                                                \
      const tri_vf b = VSET1(f->zb[r]);                                                                              \
      _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v) z[v][r] = b;                                              \
    }                                                                                                                \
    /* In passes of TRI_WN_RB(C, FV) output rows when all of z would not fit the accumulator registers. */          \
    _Pragma("GCC unroll 4") for (int r0 = 0; r0 < C; r0 += TRI_WN_RB(C, FV))                                         \
    {                                                                                                                \
      const int r1 = r0 + TRI_WN_RB(C, FV) < C ? r0 + TRI_WN_RB(C, FV) : C;                                          \
      const float* zw = f->zwt;                                                                                      \
      const float* xb = io->x + t;                                                                                   \
      for (int j = 0; j < f->nhist; ++j, zw += C) TRI_WN_ROWS(FV, z, xb + f->off[j], zw, r0, r1);                    \
      const float* pc = io->c + t;                                                                                   \
      for (int k = 0; k < f->ncond; ++k, zw += C, pc += io->ldc) TRI_WN_ROWS(FV, z, pc, zw, r0, r1);                 \
    }                                                                                                                \
    TRI_WN_ACT(f, z, FV, C);                                                                                         \
    float* const S = io->S + t;                                                                                      \
    const long ldS = io->ldS;                                                                                        \
    _Pragma("GCC unroll 16") for (int r = 0; r < C; ++r) _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v)         \
    {                                                                                                                \
      float* s = S + r * ldS + v * TRI_VL;                                                                           \
      TRI_WN_ST(s, VADD(TRI_WN_LD(s), z[v][r]));                                                                     \
    }                                                                                                                \
    const float* const l1wt = f->l1wt;                                                                               \
    const float* const l1b = f->l1b;                                                                                 \
    const float* const X = io->x + t;                                                                                \
    float* const Y = io->next + t;                                                                                   \
    const long ldx = io->ldx, ldy = io->ldnext;                                                                      \
    _Pragma("GCC unroll 16") for (int o = 0; o < C; ++o)                                                              \
    {                                                                                                                \
      const tri_vf b = VSET1(l1b[o]);                                                                                \
      tri_vf acc[FV];                                                                                                \
      _Pragma("GCC unroll 4") for (int v = 0; v < FV; ++v) acc[v] = b;                                               \
      _Pragma("GCC unroll 16") for (int i = 0; i < C; ++i)                                                            \
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
#if TRI_WN_MAX_C >= 16
TRI_WN_FUSED(9)
TRI_WN_FUSED(10)
TRI_WN_FUSED(11)
TRI_WN_FUSED(12)
TRI_WN_FUSED(13)
TRI_WN_FUSED(14)
TRI_WN_FUSED(15)
TRI_WN_FUSED(16)
#endif

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
                                              TRI_FN(wn_layer_c8_),
#if TRI_WN_MAX_C >= 16
                                              TRI_FN(wn_layer_c9_),
                                              TRI_FN(wn_layer_c10_),
                                              TRI_FN(wn_layer_c11_),
                                              TRI_FN(wn_layer_c12_),
                                              TRI_FN(wn_layer_c13_),
                                              TRI_FN(wn_layer_c14_),
                                              TRI_FN(wn_layer_c15_),
                                              TRI_FN(wn_layer_c16_),
#endif
  };
  fns[f->C](f, io, n);
}
