/* CUDA backend: device copies of every group (program, weight sets, slot maps, slot states), pinned staging for the
 * audio, and one kernel launch per group and block on one stream.
 *
 * process(): the input is copied into a pinned buffer, then copied to the device, every group's kernel is launched
 * and the output copied back, all enqueued asynchronously on the backend's stream, and an event marks the end.
 * The call then waits for that event at most the batch's deadline (polling); when the deadline passes it returns
 * TRIODE_FAILURE with silence and leaves the work running (the slot states still advance). Two pinned buffer pairs
 * alternate so the next call never overwrites a buffer a late copy may still read; a call that finds both busy
 * drops its block. Every other operation synchronises the stream first (instantiation class).
 * Device 0 is used; CUDA calls made from another host thread also default to device 0.
 */
#include "gpu/backend.h"
#include "gpu/cuda/launch.cuh"

#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

namespace {

struct CudaGroup {
  TriKProg* prog;   /* device copy of the program */
  float* params;    /* cap_sets x nparams */
  int cap_sets;
  int* slot_set;
  int* slot_io;
  int cap_maps;
  float* state;     /* cap_state x state_floats */
  unsigned* cursor; /* cap_state */
  int cap_state;
  float* gscratch;  /* cap_scratch x shm_floats, only when the program does not fit in shared memory */
  int cap_scratch;
  bool use_smem;
  size_t shm_floats; /* per slot at max_block */
};

struct CudaCtx {
  int max_block;
  bool general; /* tri_backend_general_kernels() at open */
  int smem_optin;
  cudaStream_t stream;
  float* pin_in[2];
  float* pin_out[2];
  cudaEvent_t done[2];
  bool pending[2]; /* a late block still owns this pair */
  int turn;
  float* d_in;
  float* d_out;
  size_t io_cap; /* instances the audio buffers hold */
  float* d_zeros;
  float* d_junk;
};

TriodeStatus
status_of(cudaError_t e)
{
  if (e == cudaSuccess) return TRIODE_SUCCESS;
  return e == cudaErrorMemoryAllocation ? TRIODE_ERR_NO_MEMORY : TRIODE_ERR_UNKNOWN;
}

#define CU_TRY(expr)                                                                                               \
  do {                                                                                                             \
    const cudaError_t cu_e_ = (expr);                                                                              \
    if (cu_e_ != cudaSuccess) return status_of(cu_e_);                                                             \
  } while (0)

#define ST_TRY(expr)                                                                                               \
  do {                                                                                                             \
    const TriodeStatus st_ = (expr);                                                                               \
    if (st_ != TRIODE_SUCCESS) return st_;                                                                         \
  } while (0)

void
set_error(TriodeError* error, TriodeStatus st, const char* what, cudaError_t e)
{
  if (!error) return;
  error->status = st;
  snprintf(error->message, sizeof error->message, "batch backend \"cuda\": %s (%s)", what, cudaGetErrorString(e));
}

double
now_seconds()
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

template <typename T>
cudaError_t
dev_alloc(T** p, size_t count)
{
  *p = NULL;
  return cudaMalloc((void**)p, (count ? count : 1) * sizeof(T));
}

void
cuda_close(void* ctx)
{
  CudaCtx* c = (CudaCtx*)ctx;
  if (!c) return;
  if (c->stream) cudaStreamSynchronize(c->stream);
  for (int k = 0; k < 2; ++k) {
    cudaFreeHost(c->pin_in[k]);
    cudaFreeHost(c->pin_out[k]);
    if (c->done[k]) cudaEventDestroy(c->done[k]);
  }
  cudaFree(c->d_in);
  cudaFree(c->d_out);
  cudaFree(c->d_zeros);
  cudaFree(c->d_junk);
  if (c->stream) cudaStreamDestroy(c->stream);
  free(c);
}

TriodeStatus
open_device(CudaCtx* c, TriodeError* error)
{
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    set_error(error, TRIODE_FAILURE, "no usable CUDA device", e == cudaSuccess ? cudaErrorNoDevice : e);
    return TRIODE_FAILURE;
  }
  if ((e = cudaSetDevice(0)) != cudaSuccess ||
      (e = cudaDeviceGetAttribute(&c->smem_optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, 0)) != cudaSuccess ||
      (e = cudaStreamCreateWithFlags(&c->stream, cudaStreamNonBlocking)) != cudaSuccess ||
      (e = cudaEventCreateWithFlags(&c->done[0], cudaEventDisableTiming)) != cudaSuccess ||
      (e = cudaEventCreateWithFlags(&c->done[1], cudaEventDisableTiming)) != cudaSuccess ||
      (e = dev_alloc(&c->d_zeros, (size_t)c->max_block)) != cudaSuccess ||
      (e = dev_alloc(&c->d_junk, (size_t)c->max_block)) != cudaSuccess ||
      (e = cudaMemset(c->d_zeros, 0, (size_t)c->max_block * sizeof(float))) != cudaSuccess ||
      (e = tri_cuda_allow_wavenet(c->smem_optin)) != cudaSuccess ||
      (e = tri_cuda_allow_lstm(c->smem_optin)) != cudaSuccess ||
      (e = tri_cuda_allow_convnet(c->smem_optin)) != cudaSuccess ||
      (e = tri_cuda_allow_linear(c->smem_optin)) != cudaSuccess) {
    set_error(error, status_of(e) == TRIODE_ERR_NO_MEMORY ? TRIODE_ERR_NO_MEMORY : TRIODE_FAILURE,
              "could not set up device 0", e);
    return status_of(e) == TRIODE_ERR_NO_MEMORY ? TRIODE_ERR_NO_MEMORY : TRIODE_FAILURE;
  }
  return TRIODE_SUCCESS;
}

TriodeStatus
cuda_open(int max_block, void** ctx, TriodeError* error)
{
  CudaCtx* c = (CudaCtx*)calloc(1, sizeof *c);
  if (!c) return TRIODE_ERR_NO_MEMORY;
  c->max_block = max_block;
  c->general = tri_backend_general_kernels();
  const TriodeStatus st = open_device(c, error);
  if (st != TRIODE_SUCCESS) {
    cuda_close(c);
    return st;
  }
  *ctx = c;
  return TRIODE_SUCCESS;
}

/* Audio buffers for `ninst` instances (pinned host pairs and device in / out). */
TriodeStatus
ensure_io(CudaCtx* c, size_t ninst)
{
  if (ninst <= c->io_cap) return TRIODE_SUCCESS;
  size_t cap = c->io_cap ? c->io_cap : 64;
  while (cap < ninst) cap *= 2;
  const size_t bytes = cap * (size_t)c->max_block * sizeof(float);
  for (int k = 0; k < 2; ++k) {
    cudaFreeHost(c->pin_in[k]);
    cudaFreeHost(c->pin_out[k]);
    c->pin_in[k] = c->pin_out[k] = NULL;
    c->pending[k] = false;
  }
  cudaFree(c->d_in);
  cudaFree(c->d_out);
  c->d_in = c->d_out = NULL;
  c->io_cap = 0;
  for (int k = 0; k < 2; ++k) {
    CU_TRY(cudaHostAlloc((void**)&c->pin_in[k], bytes, cudaHostAllocDefault));
    CU_TRY(cudaHostAlloc((void**)&c->pin_out[k], bytes, cudaHostAllocDefault));
  }
  CU_TRY(cudaMalloc((void**)&c->d_in, bytes));
  CU_TRY(cudaMalloc((void**)&c->d_out, bytes));
  c->io_cap = cap;
  return TRIODE_SUCCESS;
}

/* Grows a device array to `cap` elements keeping the first `keep` and zeroing the rest. */
template <typename T>
TriodeStatus
grow(T** p, size_t keep, size_t cap)
{
  T* n = NULL;
  CU_TRY(dev_alloc(&n, cap));
  if (keep > 0) CU_TRY(cudaMemcpy(n, *p, keep * sizeof(T), cudaMemcpyDeviceToDevice));
  CU_TRY(cudaMemset(n + keep, 0, (cap - keep) * sizeof(T)));
  cudaFree(*p);
  *p = n;
  return TRIODE_SUCCESS;
}

TriodeStatus
cuda_group_sync(void* ctx, TriGroup* g)
{
  CudaCtx* c = (CudaCtx*)ctx;
  CU_TRY(cudaStreamSynchronize(c->stream)); /* no late block may still use what is reallocated */
  const TriKProg* P = g->prog;
  CudaGroup* d = (CudaGroup*)g->backend;
  if (!d) {
    d = (CudaGroup*)calloc(1, sizeof *d);
    if (!d) return TRIODE_ERR_NO_MEMORY;
    g->backend = d;
    d->shm_floats = (size_t)P->shm_fixed + (size_t)P->shm_rows * (size_t)c->max_block;
    d->use_smem = d->shm_floats * sizeof(float) <= (size_t)c->smem_optin;
  }
  if (!d->prog) {
    CU_TRY(cudaMalloc((void**)&d->prog, (size_t)P->bytes));
    CU_TRY(cudaMemcpy(d->prog, P, (size_t)P->bytes, cudaMemcpyHostToDevice));
  }
  /* Only what changed is uploaded (adding thousands of instances must not copy everything each time), unless a
     buffer was reallocated. */
  const size_t np = (size_t)P->nparams, sf = (size_t)P->state_floats;
  bool all_sets = false, all_maps = false;
  if (g->cap_sets > d->cap_sets) {
    ST_TRY(grow(&d->params, 0, (size_t)g->cap_sets * np));
    d->cap_sets = g->cap_sets;
    all_sets = true;
  }
  for (int s = 0; s < g->nsets; ++s)
    if (all_sets || g->set_dirty[s])
      CU_TRY(cudaMemcpy(d->params + (size_t)s * np, g->params + (size_t)s * np, np * sizeof(float),
                        cudaMemcpyHostToDevice));
  if (g->cap_slots > d->cap_maps) {
    ST_TRY(grow(&d->slot_set, 0, (size_t)g->cap_slots));
    ST_TRY(grow(&d->slot_io, 0, (size_t)g->cap_slots));
    d->cap_maps = g->cap_slots;
    all_maps = true;
  }
  const int lo = all_maps ? 0 : g->dirty_lo;
  const int hi = all_maps || g->dirty_hi > g->nslots ? g->nslots : g->dirty_hi;
  if (hi > lo) {
    CU_TRY(cudaMemcpy(d->slot_set + lo, g->slot_set + lo, (size_t)(hi - lo) * sizeof(int), cudaMemcpyHostToDevice));
    CU_TRY(cudaMemcpy(d->slot_io + lo, g->slot_io + lo, (size_t)(hi - lo) * sizeof(int), cudaMemcpyHostToDevice));
  }
  if (g->cap_slots > d->cap_state) {
    ST_TRY(grow(&d->state, (size_t)d->cap_state * sf, (size_t)g->cap_slots * sf));
    ST_TRY(grow(&d->cursor, (size_t)d->cap_state, (size_t)g->cap_slots));
    d->cap_state = g->cap_slots;
  }
  if (!d->use_smem && g->cap_slots > d->cap_scratch) {
    ST_TRY(grow(&d->gscratch, 0, (size_t)g->cap_slots * d->shm_floats));
    d->cap_scratch = g->cap_slots;
  }
  int ninst = 0;
  for (int s = lo; s < hi; ++s) ninst = g->slot_io[s] + 1 > ninst ? g->slot_io[s] + 1 : ninst;
  return ensure_io(c, (size_t)ninst);
}

void
cuda_group_release(void* ctx, TriGroup* g)
{
  CudaCtx* c = (CudaCtx*)ctx;
  CudaGroup* d = (CudaGroup*)g->backend;
  if (!d) return;
  cudaStreamSynchronize(c->stream);
  cudaFree(d->prog);
  cudaFree(d->params);
  cudaFree(d->slot_set);
  cudaFree(d->slot_io);
  cudaFree(d->state);
  cudaFree(d->cursor);
  cudaFree(d->gscratch);
  free(d);
  g->backend = NULL;
}

TriodeStatus
cuda_slot_fill(void* ctx, TriGroup* g, int slot, const float* head, int count)
{
  CudaCtx* c = (CudaCtx*)ctx;
  CudaGroup* d = (CudaGroup*)g->backend;
  CU_TRY(cudaStreamSynchronize(c->stream));
  const size_t sf = (size_t)g->prog->state_floats;
  float* st = d->state + (size_t)slot * sf;
  if (count > 0) CU_TRY(cudaMemcpy(st, head, (size_t)count * sizeof(float), cudaMemcpyHostToDevice));
  CU_TRY(cudaMemset(st + count, 0, (sf - (size_t)count) * sizeof(float)));
  CU_TRY(cudaMemset(d->cursor + slot, 0, sizeof(unsigned)));
  return TRIODE_SUCCESS;
}

TriodeStatus
cuda_slot_move(void* ctx, TriGroup* g, int from, int to)
{
  CudaCtx* c = (CudaCtx*)ctx;
  CudaGroup* d = (CudaGroup*)g->backend;
  CU_TRY(cudaStreamSynchronize(c->stream));
  const size_t sf = (size_t)g->prog->state_floats;
  CU_TRY(cudaMemcpy(d->state + (size_t)to * sf, d->state + (size_t)from * sf, sf * sizeof(float),
                    cudaMemcpyDeviceToDevice));
  CU_TRY(cudaMemcpy(d->cursor + to, d->cursor + from, sizeof(unsigned), cudaMemcpyDeviceToDevice));
  return TRIODE_SUCCESS;
}

/* Enqueues one launch of `count` slots from `slot0` of group g. */
cudaError_t
launch(const CudaCtx* c, const TriGroup* g, const float* in, float* out, const int* slot_io, int n, int slot0,
       int count)
{
  const CudaGroup* d = (const CudaGroup*)g->backend;
  const TriKProg* P = g->prog;
  TriKArgs a;
  memset(&a, 0, sizeof a);
  a.prog = d->prog;
  a.params = d->params;
  a.slot_set = d->slot_set;
  a.slot_io = slot_io;
  a.state = d->state;
  a.cursor = d->cursor;
  a.in = in;
  a.out = out;
  a.n = n;
  a.slot0 = slot0;
  a.stage = d->use_smem && P->stage_floats > 0;
  a.general = c->general;
  TriCudaLaunch l;
  l.count = count;
  const int items = P->threads > 0 ? P->threads : (n < 128 ? n : 128); /* frames per thread block: tuned on GPU */
  l.threads = (items + 31) / 32 * 32;
  l.smem = d->use_smem ? ((size_t)P->shm_fixed + (size_t)P->shm_rows * (size_t)n) * sizeof(float) : 0;
  l.gscratch = d->use_smem ? NULL : d->gscratch;
  l.gstride = d->shm_floats;
  l.stream = c->stream;
  switch (P->kind) {
  case TRI_K_WAVENET: return tri_cuda_launch_wavenet(&a, &l);
  case TRI_K_LSTM: return tri_cuda_launch_lstm(&a, &l);
  case TRI_K_CONVNET: return tri_cuda_launch_convnet(&a, &l);
  case TRI_K_LINEAR: return tri_cuda_launch_linear(&a, &l);
  default: return cudaErrorInvalidValue;
  }
}

TriodeStatus
cuda_slot_prewarm(void* ctx, TriGroup* g, int slot0, int count, long blocks)
{
  CudaCtx* c = (CudaCtx*)ctx;
  for (long b = 0; b < blocks; ++b) CU_TRY(launch(c, g, c->d_zeros, c->d_junk, NULL, c->max_block, slot0, count));
  CU_TRY(cudaStreamSynchronize(c->stream));
  return TRIODE_SUCCESS;
}

TriodeStatus
cuda_process(void* ctx, TriGroup* const* groups, int ngroups, const float* in, float* out, int ninst, int n,
             double deadline)
{
  CudaCtx* c = (CudaCtx*)ctx;
  const double start = now_seconds();
  const size_t bytes = (size_t)ninst * (size_t)n * sizeof(float);
  const int k = c->turn;
  if (c->pending[k]) { /* a late block still owns this pair: it may have finished by now */
    if (cudaEventQuery(c->done[k]) != cudaSuccess) {
      memset(out, 0, bytes);
      return TRIODE_FAILURE;
    }
    c->pending[k] = false;
  }
  memcpy(c->pin_in[k], in, bytes);
  cudaError_t e = cudaMemcpyAsync(c->d_in, c->pin_in[k], bytes, cudaMemcpyHostToDevice, c->stream);
  for (int i = 0; e == cudaSuccess && i < ngroups; ++i)
    e = launch(c, groups[i], c->d_in, c->d_out, ((const CudaGroup*)groups[i]->backend)->slot_io, n, 0,
               groups[i]->nslots);
  if (e == cudaSuccess) e = cudaMemcpyAsync(c->pin_out[k], c->d_out, bytes, cudaMemcpyDeviceToHost, c->stream);
  if (e == cudaSuccess) e = cudaEventRecord(c->done[k], c->stream);
  if (e != cudaSuccess) {
    memset(out, 0, bytes);
    return status_of(e);
  }
  if (deadline <= 0.0) {
    e = cudaEventSynchronize(c->done[k]);
  } else {
    while ((e = cudaEventQuery(c->done[k])) == cudaErrorNotReady && now_seconds() - start < deadline) {
    }
  }
  if (e == cudaErrorNotReady) { /* late: the block completes on its own; the next call uses the other pair */
    c->pending[k] = true;
    c->turn ^= 1;
    memset(out, 0, bytes);
    return TRIODE_FAILURE;
  }
  if (e != cudaSuccess) {
    memset(out, 0, bytes);
    return status_of(e);
  }
  memcpy(out, c->pin_out[k], bytes);
  return TRIODE_SUCCESS;
}

} // namespace

extern "C" const TriBackend tri_backend_cuda = {
  "cuda",
  cuda_open,
  cuda_close,
  cuda_group_sync,
  cuda_group_release,
  cuda_slot_fill,
  cuda_slot_move,
  cuda_slot_prewarm,
  cuda_process,
};
