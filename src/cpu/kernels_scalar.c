/* The kernels compiled for scalar; this stub only selects the vocabulary (see kernels_impl.h). */

#define TRI_SIMD_SCALAR
#define TRI_SUFFIX scalar
#define TRI_ISA_ID TRI_ISA_SCALAR
#define TRI_ISA_NAME "scalar"
#include "cpu/kernels_impl.h"
