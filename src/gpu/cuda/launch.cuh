/* Kernel launchers of the CUDA backend, one per architecture (wavenet.cu, lstm.cu, convnet.cu, linear.cu). Each
   wraps the kernel body of src/gpu/kernels/ in a __global__ entry: one thread block per slot. */
#ifndef TRIODE_GPU_CUDA_LAUNCH_CUH
#define TRIODE_GPU_CUDA_LAUNCH_CUH

#include "gpu/kernels/desc.h"

#include <cuda_runtime.h>
#include <stddef.h>

/* Where a launch's shared floats live: dynamic shared memory (`gscratch` NULL, `smem` bytes per block), or a
   global buffer of `gstride` floats per slot when the program needs more than the device's opt-in limit. */
typedef struct {
  int count;   /* slots, one thread block each */
  int threads; /* threads per block */
  size_t smem; /* dynamic shared bytes per block */
  float* gscratch;
  size_t gstride;
  cudaStream_t stream;
} TriCudaLaunch;

/* Defines the __global__ entry of kernel body `body` and its launcher `launcher`. */
#define TRI_CUDA_ENTRY(entry, body, launcher, allow)                                                              \
  __global__ void entry(TriKArgs a, float* gscratch, size_t gstride)                                             \
  {                                                                                                              \
    extern __shared__ float tri_shm[];                                                                           \
    const int slot = a.slot0 + (int)blockIdx.x;                                                                  \
    body(&a, slot, gscratch ? gscratch + (size_t)slot * gstride : tri_shm);                                      \
  }                                                                                                              \
  cudaError_t launcher(const TriKArgs* a, const TriCudaLaunch* l)                                                \
  {                                                                                                              \
    entry<<<l->count, l->threads, l->smem, l->stream>>>(*a, l->gscratch, l->gstride);                            \
    return cudaGetLastError();                                                                                   \
  }                                                                                                              \
  cudaError_t allow(int bytes)                                                                                   \
  {                                                                                                              \
    return cudaFuncSetAttribute(entry, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes);                       \
  }

cudaError_t tri_cuda_launch_wavenet(const TriKArgs* a, const TriCudaLaunch* l);
cudaError_t tri_cuda_launch_lstm(const TriKArgs* a, const TriCudaLaunch* l);
cudaError_t tri_cuda_launch_convnet(const TriKArgs* a, const TriCudaLaunch* l);
cudaError_t tri_cuda_launch_linear(const TriKArgs* a, const TriCudaLaunch* l);

/* Lets each kernel use up to `bytes` of dynamic shared memory (the device's opt-in limit). */
cudaError_t tri_cuda_allow_wavenet(int bytes);
cudaError_t tri_cuda_allow_lstm(int bytes);
cudaError_t tri_cuda_allow_convnet(int bytes);
cudaError_t tri_cuda_allow_linear(int bytes);

#endif
