/* Transcendentals (exact and the reference's fast tanh) and the element-wise maps over runs of values.
   Part of the kernel source: included once per ISA by kernels_impl.h, after simd.h (no include guard). */

/* Range reduction without a rounding instruction: t = y / ln2 + 1.5 * 2^23 rounds y / ln2 to the nearest integer k,
   held in t's low mantissa bits; k = t - 1.5 * 2^23 exactly, and VPOW2M builds 2^k from t's bits with no conversion
   (two operations fewer per value than rounding, converting and shifting). */
#define TRI_EXP_MAGIC 12582912.0f
#define TRI_LOG2E 1.44269504088896341f

/* exp(y) = 2^k (1 + p) for t = y / ln2 + TRI_EXP_MAGIC (see above): Cody-Waite reduction y = k ln2 + r in two steps
   (k reaches 127 here, where one step's error in ln2 would cost sigmoid 4 ulp), |r| <= ln2/2, and
   p = expm1(r) = r + r^2 q(r) with q of degree 4 fitted to expm1 on that interval (Chebyshev fit, |error in q| below
   7e-8, under 1e-8 relative on exp); q only enters scaled by r^2, so its rounding is immaterial. Estrin's scheme:
   half the dependent steps of Horner's, which is what a recurrent cell waits on. *s receives 2^k. Used by sigmoid. */
static inline tri_vf
TRI_FN(v_exp_parts_)(tri_vf y, tri_vf t, tri_vf* s)
{
  const tri_vf k = VSUB(t, VSET1(TRI_EXP_MAGIC));
  tri_vf r = VFMA(k, VSET1(-0.693359375f), y);
  r = VFMA(k, VSET1(2.12194440e-4f), r);
  const tri_vf r2 = VMUL(r, r);
  const tri_vf a = VFMA(r, VSET1(0.16666576266288757f), VSET1(0.5f));
  const tri_vf b = VFMA(r, VSET1(0.008363292552530766f), VSET1(0.04166655242443085f));
  const tri_vf q = VFMA(VFMA(VSET1(0.0013926326064392924f), r2, b), r2, a);
  *s = VPOW2M(t, 0);
  return VFMA(q, r2, r);
}

/* tanh |x| = (1 - e) / (1 + e) with e = exp(-2|x|), written for few operations: k = round(-2a / ln2) (a = |x|),
   u = a + k ln2/2 (one step: k stays below 28, and the error of ln2/2 in float moves e by under 6e-8 relative only where
   e is small against 1), so e = 2^k exp(-2u) = s - 2s w with w = -expm1(-2u)/2 = u - u^2 h(u), h of degree 4 fitted on
   |u| <= ln2/4 (Chebyshev fit, |error| below 1.4e-7). Numerator (1 - s) + 2s w and denominator (1 + s) - 2s w are
   each one rounding (2s w is exact: 2s is a power of two, and 1 -/+ s is exact), so small |x| keep full relative
   accuracy without a separate series. One division; saturates at |x| >= 9.5 where tanhf is 1. Within 2 ulp of the
   correctly rounded tanh over all floats (glibc's tanhf is also within 2 ulp of it, so the two differ by at most
   3 ulp); swept in the tests. Measured (Zen 4, AVX-512) against the previous form (two-step reduction, degree-5
   series, rounding and converting k): 15.5 vs 17.7 cycles per 16 values, latency 47.5 vs 53 cycles. */
static inline tri_vf
TRI_FN(v_tanh_)(tri_vf x)
{
  const tri_vf a = VMIN(VABS(x), VSET1(9.5f));
  const tri_vf t = VFMA(a, VSET1(-2.0f * TRI_LOG2E), VSET1(TRI_EXP_MAGIC));
  const tri_vf k = VSUB(t, VSET1(TRI_EXP_MAGIC));
  const tri_vf u = VFMA(k, VSET1(0.3465735912322998f), a);
  const tri_vf u2 = VMUL(u, u);
  const tri_vf hl = VFMA(u, VSET1(-0.6666630506515503f), VSET1(1.0f));
  const tri_vf hh = VFMA(u, VSET1(-0.13381268084049225f), VSET1(0.3333324193954468f));
  const tri_vf h = VFMA(VFMA(VSET1(0.04456424340605736f), u2, hh), u2, hl);
  const tri_vf w = VFNMA(u2, h, u);
  const tri_vf s2 = VPOW2M(t, 1); /* 2s */
  const tri_vf num = VFMA(s2, w, VFNMA(s2, VSET1(0.5f), VSET1(1.0f)));
  const tri_vf den = VFNMA(s2, w, VFMA(s2, VSET1(0.5f), VSET1(1.0f)));
  return VCOPYSIGN(VDIV(num, den), x);
}

/* 1 / (1 + exp(-x)), with exp(-x) for x clamped to [-88.3, 87.3]. */
static inline tri_vf
TRI_FN(v_sigmoid_)(tri_vf x)
{
  tri_vf s;
  const tri_vf xc = VMIN(VMAX(x, VSET1(-88.3f)), VSET1(87.3f));
  const tri_vf t = VFMA(xc, VSET1(-TRI_LOG2E), VSET1(TRI_EXP_MAGIC)); /* from xc, so k does not wait on y = -xc */
  const tri_vf p = TRI_FN(v_exp_parts_)(VSUB(VZERO(), xc), t, &s);
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

/* The reference's fast sigmoid, which it defines from its fast tanh: (fast_tanh(x / 2) + 1) / 2. */
static inline tri_vf
TRI_FN(v_fast_sigmoid_)(tri_vf x)
{
  return VMUL(VSET1(0.5f), VADD(TRI_FN(v_fast_tanh_)(VMUL(VSET1(0.5f), x)), VSET1(1.0f)));
}

/* `iters` evaluations each waiting on the last (triode_isa_activation_latency). tanh and the fast tanh drift towards
   0 and the sigmoid towards its fixed point near 0.66, never reaching values that cost anything different. */
static float
TRI_FN(act_chain_)(int kind, long iters)
{
  tri_vf x = VSET1(0.5f);
  if (kind == TRI_CHAIN_TANH)
    for (long i = 0; i < iters; ++i) x = TRI_FN(v_tanh_)(x);
  else if (kind == TRI_CHAIN_SIGMOID)
    for (long i = 0; i < iters; ++i) x = TRI_FN(v_sigmoid_)(x);
  else
    for (long i = 0; i < iters; ++i) x = TRI_FN(v_fast_tanh_)(x);
  float lanes[TRI_VL];
  VSTORE(lanes, x);
  return lanes[0];
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
TRI_MAP(map_fast_sigmoid_, TRI_FN(v_fast_sigmoid_)(x))

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
