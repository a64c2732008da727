/* A small vector vocabulary so one kernel body serves every ISA. The including stub defines exactly one of
   TRI_SIMD_AVX512, TRI_SIMD_AVX2, TRI_SIMD_SSE2, TRI_SIMD_NEON or TRI_SIMD_SCALAR, and TRI_SUFFIX.
   VFMA(a, b, c) = a b + c and VFNMA(a, b, c) = c - a b (one rounding where the level has FMA). VPOW2M(t, e) = 2^(k + e)
   for t = 1.5 * 2^23 + k (k a small integer held in t's low mantissa bits, see kernels_math.h), by bit moves alone. */
#ifndef TRIODE_CPU_SIMD_H
#define TRIODE_CPU_SIMD_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(TRI_SIMD_AVX512)
#include <immintrin.h>
#define TRI_VL 16
#define TRI_RMAX 16
#define TRI_ACC 16 /* accumulator registers one product step may use */
typedef __m512 tri_vf;
#define VLOAD(p) _mm512_loadu_ps(p)
#define VSTORE(p, v) _mm512_storeu_ps(p, v)
#define VSET1(x) _mm512_set1_ps(x)
#define VZERO() _mm512_setzero_ps()
#define VADD(a, b) _mm512_add_ps(a, b)
#define VSUB(a, b) _mm512_sub_ps(a, b)
#define VMUL(a, b) _mm512_mul_ps(a, b)
#define VDIV(a, b) _mm512_div_ps(a, b)
#define VMIN(a, b) _mm512_min_ps(a, b)
#define VMAX(a, b) _mm512_max_ps(a, b)
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define SFMA(a, b, c) fmaf(a, b, c) /* the scalar twin of VFMA, same rounding */
#define VBITS(a) _mm512_castps_si512(a)
#define VFLOAT(i) _mm512_castsi512_ps(i)
#define VABS(a) VFLOAT(_mm512_and_si512(VBITS(a), _mm512_set1_epi32(0x7fffffff)))
#define VCOPYSIGN(m, s)                                                                                              \
  VFLOAT(_mm512_or_si512(VBITS(m), _mm512_and_si512(VBITS(s), _mm512_set1_epi32((int)0x80000000u))))
#define VSELLT(a, b, x, y) _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_LT_OQ), y, x)
#define VFNMA(a, b, c) _mm512_fnmadd_ps(a, b, c)
#define VPOW2M(t, e) VFLOAT(_mm512_add_epi32(_mm512_slli_epi32(VBITS(t), 23), _mm512_set1_epi32((127 + (e)) << 23)))
#define VLOAD_N(p, n) _mm512_maskz_loadu_ps((__mmask16)((1u << (n)) - 1u), p)
#define TRI_MASKED 1 /* partial vectors are cheap */
#define VSTORE_N(p, v, n) _mm512_mask_storeu_ps(p, (__mmask16)((1u << (n)) - 1u), v)
#define TRI_HAS_PERM 1 /* lanes move within a register by an index vector */
typedef __m512i tri_vi;
#define VIDX(p) _mm512_loadu_si512((const void*)(p))
#define VPERM(v, i) _mm512_permutexvar_ps(i, v)

#elif defined(TRI_SIMD_AVX2)
#include <immintrin.h>
#define TRI_VL 8
#define TRI_RMAX 8
#define TRI_ACC 8
typedef __m256 tri_vf;
#define VLOAD(p) _mm256_loadu_ps(p)
#define VSTORE(p, v) _mm256_storeu_ps(p, v)
#define VSET1(x) _mm256_set1_ps(x)
#define VZERO() _mm256_setzero_ps()
#define VADD(a, b) _mm256_add_ps(a, b)
#define VSUB(a, b) _mm256_sub_ps(a, b)
#define VMUL(a, b) _mm256_mul_ps(a, b)
#define VDIV(a, b) _mm256_div_ps(a, b)
#define VMIN(a, b) _mm256_min_ps(a, b)
#define VMAX(a, b) _mm256_max_ps(a, b)
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define SFMA(a, b, c) fmaf(a, b, c) /* the scalar twin of VFMA, same rounding */
#define VABS(a) _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a)
#define VCOPYSIGN(m, s) _mm256_or_ps(m, _mm256_and_ps(s, _mm256_set1_ps(-0.0f)))
#define VSELLT(a, b, x, y) _mm256_blendv_ps(y, x, _mm256_cmp_ps(a, b, _CMP_LT_OQ))
#define VFNMA(a, b, c) _mm256_fnmadd_ps(a, b, c)
#define VPOW2M(t, e)                                                                                                 \
  _mm256_castsi256_ps(_mm256_add_epi32(_mm256_slli_epi32(_mm256_castps_si256(t), 23), _mm256_set1_epi32((127 + (e)) << 23)))
static inline __m256i
tri_tail_mask(int n)
{
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
#define VLOAD_N(p, n) _mm256_maskload_ps(p, tri_tail_mask(n))
#define TRI_MASKED 1
#define VSTORE_N(p, v, n) _mm256_maskstore_ps(p, tri_tail_mask(n), v)
#define TRI_HAS_PERM 1
typedef __m256i tri_vi;
#define VIDX(p) _mm256_loadu_si256((const __m256i*)(const void*)(p))
#define VPERM(v, i) _mm256_permutevar8x32_ps(v, i)

#elif defined(TRI_SIMD_SSE2)
#include <emmintrin.h>
#define TRI_VL 4
#define TRI_RMAX 8
#define TRI_ACC 8
typedef __m128 tri_vf;
#define VLOAD(p) _mm_loadu_ps(p)
#define VSTORE(p, v) _mm_storeu_ps(p, v)
#define VSET1(x) _mm_set1_ps(x)
#define VZERO() _mm_setzero_ps()
#define VADD(a, b) _mm_add_ps(a, b)
#define VSUB(a, b) _mm_sub_ps(a, b)
#define VMUL(a, b) _mm_mul_ps(a, b)
#define VDIV(a, b) _mm_div_ps(a, b)
#define VMIN(a, b) _mm_min_ps(a, b)
#define VMAX(a, b) _mm_max_ps(a, b)
#define VFMA(a, b, c) _mm_add_ps(_mm_mul_ps(a, b), c) /* no FMA in SSE2 */
#define SFMA(a, b, c) ((a) * (b) + (c))               /* the scalar twin of VFMA, same rounding */
#define VABS(a) _mm_andnot_ps(_mm_set1_ps(-0.0f), a)
#define VCOPYSIGN(m, s) _mm_or_ps(m, _mm_and_ps(s, _mm_set1_ps(-0.0f)))
static inline __m128
tri_sellt(__m128 a, __m128 b, __m128 x, __m128 y)
{
  const __m128 m = _mm_cmplt_ps(a, b);
  return _mm_or_ps(_mm_and_ps(m, x), _mm_andnot_ps(m, y));
}
#define VSELLT(a, b, x, y) tri_sellt(a, b, x, y)
#define VFNMA(a, b, c) _mm_sub_ps(c, _mm_mul_ps(a, b))
#define VPOW2M(t, e) _mm_castsi128_ps(_mm_add_epi32(_mm_slli_epi32(_mm_castps_si128(t), 23), _mm_set1_epi32((127 + (e)) << 23)))

#elif defined(TRI_SIMD_NEON)
#include <arm_neon.h>
#include <math.h>
#define TRI_VL 4
#define TRI_RMAX 16
#define TRI_ACC 16
typedef float32x4_t tri_vf;
#define VLOAD(p) vld1q_f32(p)
#define VSTORE(p, v) vst1q_f32(p, v)
#define VSET1(x) vdupq_n_f32(x)
#define VZERO() vdupq_n_f32(0.0f)
#define VADD(a, b) vaddq_f32(a, b)
#define VSUB(a, b) vsubq_f32(a, b)
#define VMUL(a, b) vmulq_f32(a, b)
#define VDIV(a, b) vdivq_f32(a, b)
#define VMIN(a, b) vminq_f32(a, b)
#define VMAX(a, b) vmaxq_f32(a, b)
#define VFMA(a, b, c) vfmaq_f32(c, a, b)
#define SFMA(a, b, c) fmaf(a, b, c)
#define VABS(a) vabsq_f32(a)
#define VCOPYSIGN(m, s) vbslq_f32(vdupq_n_u32(0x80000000u), s, m)
#define VSELLT(a, b, x, y) vbslq_f32(vcltq_f32(a, b), x, y)
#define VFNMA(a, b, c) vfmsq_f32(c, a, b)
#define VPOW2M(t, e)                                                                                                 \
  vreinterpretq_f32_u32(vaddq_u32(vshlq_n_u32(vreinterpretq_u32_f32(t), 23), vdupq_n_u32((uint32_t)(127 + (e)) << 23)))

#elif defined(TRI_SIMD_SCALAR)
#include <math.h>
#define TRI_VL 1
#define TRI_RMAX 4
#define TRI_ACC 4
typedef float tri_vf;
#define VLOAD(p) (*(p))
#define VSTORE(p, v) (*(p) = (v))
#define VSET1(x) (x)
#define VZERO() 0.0f
#define VADD(a, b) ((a) + (b))
#define VSUB(a, b) ((a) - (b))
#define VMUL(a, b) ((a) * (b))
#define VDIV(a, b) ((a) / (b))
#define VMIN(a, b) fminf(a, b)
#define VMAX(a, b) fmaxf(a, b)
#define VFMA(a, b, c) ((a) * (b) + (c))
#define SFMA(a, b, c) VFMA(a, b, c)
#define VABS(a) fabsf(a)
#define VCOPYSIGN(m, s) copysignf(m, s)
#define VSELLT(a, b, x, y) ((a) < (b) ? (x) : (y))
#define VFNMA(a, b, c) ((c) - (a) * (b))
static inline float
tri_pow2m(float t, int e)
{
  uint32_t bits;
  memcpy(&bits, &t, sizeof bits);
  bits = (bits << 23) + ((uint32_t)(127 + e) << 23);
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}
#define VPOW2M(t, e) tri_pow2m(t, e)

#else
#error "define one TRI_SIMD_* level before including simd.h"
#endif

/* Kernel pieces that must be inlined into their caller (the compiler's own choice measured slower). */
#if defined(__GNUC__)
#define TRI_ALWAYS_INLINE __attribute__((always_inline))
#else
#define TRI_ALWAYS_INLINE
#endif

#ifndef TRI_MASKED
#define TRI_MASKED 0
#endif
#ifndef TRI_HAS_PERM
#define TRI_HAS_PERM 0
#endif

/* Partial vectors through a zero-padded stack copy where the ISA has no masked load / store. */
#ifndef VLOAD_N
static inline tri_vf
tri_load_n(const float* p, int n)
{
  float tmp[TRI_VL] = {0};
  memcpy(tmp, p, (size_t)n * sizeof *p);
  return VLOAD(tmp);
}
static inline void
tri_store_n(float* p, tri_vf v, int n)
{
  float tmp[TRI_VL];
  VSTORE(tmp, v);
  memcpy(p, tmp, (size_t)n * sizeof *p);
}
#define VLOAD_N(p, n) tri_load_n(p, n)
#define VSTORE_N(p, v, n) tri_store_n(p, v, n)
#endif

#define TRI_CAT2(a, b) a##b
#define TRI_CAT(a, b) TRI_CAT2(a, b)
#define TRI_FN(name) TRI_CAT(name, TRI_SUFFIX)

#endif
