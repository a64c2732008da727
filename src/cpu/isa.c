/* CPU feature detection (CPUID and the OS-enabled state from XGETBV) and the kernel tables by level. */
#include "cpu/isa.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static unsigned long long
xgetbv0(void)
{
  unsigned int lo, hi;
  __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0)); /* xgetbv, without needing -mxsave */
  return ((unsigned long long)hi << 32) | lo;
}

static TriIsa
detect(void)
{
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return TRI_ISA_SCALAR;
  TriIsa best = (d & (1u << 26)) ? TRI_ISA_SSE2 : TRI_ISA_SCALAR;
  const bool osxsave = c & (1u << 27), fma = c & (1u << 12), avx = c & (1u << 28);
  if (!osxsave || !avx) return best;
  const unsigned long long xcr0 = xgetbv0();
  if ((xcr0 & 0x6) != 0x6) return best; /* the OS does not save YMM state */
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return best;
  if ((b & (1u << 5)) && fma) best = TRI_ISA_AVX2;
  if ((b & (1u << 16)) && (xcr0 & 0xe0) == 0xe0 && best == TRI_ISA_AVX2) best = TRI_ISA_AVX512;
  return best;
}

#elif defined(__aarch64__)

static TriIsa
detect(void)
{
  return TRI_ISA_NEON; /* Advanced SIMD is mandatory on AArch64 */
}

#else

static TriIsa
detect(void)
{
  return TRI_ISA_SCALAR;
}

#endif

TriIsa
tri_isa_detect(void)
{
  return detect(); /* a few hundred cycles, only at instance creation: no cache, so no shared state between threads */
}

bool
tri_isa_supported(TriIsa isa)
{
  const TriIsa best = tri_isa_detect();
  if (isa == TRI_ISA_SCALAR) return true;
  if (best == TRI_ISA_NEON) return isa == TRI_ISA_NEON;
  return isa != TRI_ISA_NEON && isa <= best;
}

bool
tri_isa_parse(const char* name, TriIsa* isa)
{
  static const char* const names[TRI_ISA_COUNT] = {"scalar", "sse2", "avx2", "avx512", "neon"};
  for (int i = 0; name && i < TRI_ISA_COUNT; ++i)
    if (strcmp(name, names[i]) == 0) {
      *isa = (TriIsa)i;
      return true;
    }
  return false;
}

TriIsa
tri_isa_default(void)
{
  TriIsa isa;
  const char* env = getenv("TRIODE_ISA");
  if (env && tri_isa_parse(env, &isa) && tri_isa_supported(isa)) return isa;
  return tri_isa_detect();
}

const TriKernels*
tri_kernels(TriIsa isa)
{
  switch (isa) {
#if defined(__x86_64__) || defined(__i386__)
  case TRI_ISA_AVX512: return &tri_kernels_avx512;
  case TRI_ISA_AVX2: return &tri_kernels_avx2;
  case TRI_ISA_SSE2: return &tri_kernels_sse2;
#endif
#if defined(__aarch64__)
  case TRI_ISA_NEON: return &tri_kernels_neon;
#endif
  default: return &tri_kernels_scalar;
  }
}
