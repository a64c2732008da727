/* Denormal handling: recursive filters and LSTMs decay into denormals on silence, which costs 100x on x86. */
#include "core/fpmode.h"

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64)
#include <xmmintrin.h>

TriFpMode
tri_fp_enter(void)
{
  TriFpMode m = {_mm_getcsr()};
  _mm_setcsr((unsigned)m.saved | 0x8040u); /* FTZ (bit 15) | DAZ (bit 6) */
  return m;
}

void
tri_fp_leave(TriFpMode mode)
{
  _mm_setcsr((unsigned)mode.saved);
}

#elif defined(__aarch64__)

TriFpMode
tri_fp_enter(void)
{
  unsigned long fpcr;
  __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
  TriFpMode m = {fpcr};
  fpcr |= (1ul << 24); /* FZ */
  __asm__ volatile("msr fpcr, %0" : : "r"(fpcr));
  return m;
}

void
tri_fp_leave(TriFpMode mode)
{
  __asm__ volatile("msr fpcr, %0" : : "r"(mode.saved));
}

#else

TriFpMode
tri_fp_enter(void)
{
  TriFpMode m = {0};
  return m;
}

void
tri_fp_leave(TriFpMode mode)
{
  (void)mode;
}

#endif
