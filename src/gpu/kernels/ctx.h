/* The kernels' whole vocabulary for parallelism, so one source compiles for CUDA and for the host.
 *
 * A kernel body computes one slot (instance) as one thread block. It is written as phases separated by barriers;
 * inside a phase every work item is independent and is visited by
 *     for (int t = TRI_TID0; t < count; t += TRI_TSTEP)
 * On CUDA the threads of the block share the items (TID0 = threadIdx.x, STEP = blockDim.x) and TRI_BARRIER() is
 * __syncthreads(). On the host one loop runs all items (TID0 = 0, STEP = 1) and the barrier is a no-op: the phase
 * boundary itself orders the work. A phase may therefore only read what earlier phases wrote, plus what its own
 * item wrote; nothing is kept in local variables across a barrier unless every thread computes it identically.
 * Shared memory is a pointer the launcher passes in (dynamic shared memory on CUDA, a scratch buffer on the host).
 */
#ifndef TRIODE_GPU_KERNELS_CTX_H
#define TRIODE_GPU_KERNELS_CTX_H

#include "gpu/kernels/desc.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

/* TRI_KFN_INLINE: always inlined on CUDA, so a constant argument fixes trip counts (TRI_UNROLL: unrolled there) and
   per-thread arrays indexed by them stay in registers instead of local memory. */
#if defined(__CUDACC__)
#define TRI_KFN static __device__ inline
#define TRI_KFN_INLINE static __device__ __forceinline__
#define TRI_UNROLL _Pragma("unroll")
#define TRI_TID0 ((int)threadIdx.x)
#define TRI_TSTEP ((int)blockDim.x)
#define TRI_BARRIER() __syncthreads()
#elif defined(TRI_KERNEL_THREADS)
/* Test-only (tests/batch_threads.c): the threads of a block are host threads meeting at a pthread barrier, so the
   CUDA thread mapping and barrier placement are checked without a GPU. */
int tri_kt_tid(void);
int tri_kt_nthreads(void);
void tri_kt_barrier(void);
#define TRI_KFN static inline
#define TRI_KFN_INLINE static inline
#define TRI_UNROLL
#define TRI_TID0 tri_kt_tid()
#define TRI_TSTEP tri_kt_nthreads()
#define TRI_BARRIER() tri_kt_barrier()
#else
#define TRI_KFN static inline
#define TRI_KFN_INLINE static inline
#define TRI_UNROLL
#define TRI_TID0 0
#define TRI_TSTEP 1
#define TRI_BARRIER() ((void)0)
#endif

/* Copies `count` weights to shared memory (`dst`) and returns where to read them; when staging is off the weights
   are read where they are. Every thread of the block must call it with the same arguments (it holds a barrier). */
TRI_KFN const float*
tri_k_stage(float* dst, const float* src, int count, int stage)
{
  if (!stage) return src;
  for (int i = TRI_TID0; i < count; i += TRI_TSTEP) dst[i] = src[i];
  TRI_BARRIER();
  return dst;
}

/* Element (row, frame position p) of a ring of `mask + 1` floats per row. Unsigned arithmetic: positions before
   the cursor wrap around instead of going negative. */
TRI_KFN unsigned
tri_k_ring(unsigned mask, int row, unsigned p)
{
  return (unsigned)row * (mask + 1u) + (p & mask);
}

/* One slot's view of a launch: its weight set, state, audio rows, ring cursor and frame count. */
typedef struct {
  const float* W;
  float* st;
  const float* in;
  float* out;
  unsigned cur;
  int n;
} TriKSlot;

TRI_KFN TriKSlot
tri_k_slot(const TriKArgs* a, int slot)
{
  const TriKProg* P = a->prog;
  const size_t row = (size_t)(a->slot_io ? a->slot_io[slot] : 0) * (size_t)a->n;
  TriKSlot s;
  s.W = a->params + (size_t)a->slot_set[slot] * (size_t)P->nparams;
  s.st = a->state + (size_t)slot * (size_t)P->state_floats;
  s.in = a->in + row;
  s.out = a->out + row;
  s.cur = a->cursor[slot];
  s.n = a->n;
  return s;
}

/* The item array that follows a program header. */
TRI_KFN const void*
tri_k_items(const TriKProg* prog)
{
  return (const void*)((const char*)prog + prog->items);
}

#endif
