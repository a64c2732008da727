/* The kernels compiled for avx2; this stub only selects the vocabulary (see kernels_impl.h). */
#if !defined(__AVX2__) || !defined(__FMA__)
#error "kernels_avx2.c must be compiled with -mavx2 -mfma"
#endif
#define TRI_SIMD_AVX2
#define TRI_SUFFIX avx2
#define TRI_ISA_ID TRI_ISA_AVX2
#define TRI_ISA_NAME "avx2"
#include "cpu/kernels_impl.h"
