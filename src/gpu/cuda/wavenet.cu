/* CUDA entry of the wavenet kernel (body in src/gpu/kernels/wavenet.h, shared with the host backend). */
#include "gpu/cuda/launch.cuh"
#include "gpu/kernels/wavenet.h"

TRI_CUDA_ENTRY(tri_cuda_wavenet, tri_k_wavenet, tri_cuda_launch_wavenet, tri_cuda_allow_wavenet)
