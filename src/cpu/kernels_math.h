/* Transcendentals (exact and the reference's fast tanh) and the element-wise maps over runs of values.
   Part of the kernel source: included once per ISA by kernels_impl.h, after simd.h (no include guard). */

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

/* The reference's fast sigmoid, which it defines from its fast tanh: (fast_tanh(x / 2) + 1) / 2. */
static inline tri_vf
TRI_FN(v_fast_sigmoid_)(tri_vf x)
{
  return VMUL(VSET1(0.5f), VADD(TRI_FN(v_fast_tanh_)(VMUL(VSET1(0.5f), x)), VSET1(1.0f)));
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
