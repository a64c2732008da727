/* CUDA entry of the lstm kernel (body in src/gpu/kernels/lstm.h, shared with the host backend). */
#include "gpu/cuda/launch.cuh"
#include "gpu/kernels/lstm.h"

TRI_CUDA_ENTRY(tri_cuda_lstm, tri_k_lstm, tri_cuda_launch_lstm, tri_cuda_allow_lstm)
