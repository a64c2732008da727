/* The kernels compiled for neon; this stub only selects the vocabulary (see kernels_impl.h). */
#if !defined(__ARM_NEON)
#error "kernels_neon.c must be compiled for AArch64"
#endif
#define TRI_SIMD_NEON
#define TRI_SUFFIX neon
#define TRI_ISA_ID TRI_ISA_NEON
#define TRI_ISA_NAME "neon"
#include "cpu/kernels_impl.h"
