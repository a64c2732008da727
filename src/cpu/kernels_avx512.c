/* The kernels compiled for avx512; this stub only selects the vocabulary (see kernels_impl.h). */
#if !defined(__AVX512F__)
#error "kernels_avx512.c must be compiled with -mavx512f"
#endif
#define TRI_SIMD_AVX512
#define TRI_SUFFIX avx512
#define TRI_ISA_ID TRI_ISA_AVX512
#define TRI_ISA_NAME "avx512"
#include "cpu/kernels_impl.h"
