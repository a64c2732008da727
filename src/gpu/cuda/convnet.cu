/* CUDA entry of the convnet kernel (body in src/gpu/kernels/convnet.h, shared with the host backend). */
#include "gpu/cuda/launch.cuh"
#include "gpu/kernels/convnet.h"

TRI_CUDA_ENTRY(tri_cuda_convnet, tri_k_convnet, tri_cuda_launch_convnet, tri_cuda_allow_convnet)
