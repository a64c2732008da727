/* CUDA entry of the linear kernel (body in src/gpu/kernels/linear.h, shared with the host backend). */
#include "gpu/cuda/launch.cuh"
#include "gpu/kernels/linear.h"

TRI_CUDA_ENTRY(tri_cuda_linear, tri_k_linear, tri_cuda_launch_linear, tri_cuda_allow_linear)
