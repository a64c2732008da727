/* The kernels compiled for sse2; this stub only selects the vocabulary (see kernels_impl.h). */
#if !defined(__SSE2__)
#error "kernels_sse2.c must be compiled with SSE2 enabled"
#endif
#define TRI_SIMD_SSE2
#define TRI_SUFFIX sse2
#define TRI_ISA_ID TRI_ISA_SSE2
#define TRI_ISA_NAME "sse2"
#include "cpu/kernels_impl.h"
