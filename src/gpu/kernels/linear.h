/* Linear (FIR) block kernel (spec §3.1) for one slot: the input is pushed into a ring, then every frame is one
 * dot product over the taps (work items are frames). No shared memory.
 */
#ifndef TRIODE_GPU_KERNELS_LINEAR_H
#define TRIODE_GPU_KERNELS_LINEAR_H

#include "gpu/kernels/ctx.h"

TRI_KFN void
tri_k_linear(const TriKArgs* a, int slot, float* shm)
{
  (void)shm;
  const TriKProg* P = a->prog;
  const TriKLinear* M = &P->u.lin;
  const float* W = a->params + (size_t)a->slot_set[slot] * (size_t)P->nparams;
  float* st = a->state + (size_t)slot * (size_t)P->state_floats;
  const int n = a->n;
  const size_t row = (size_t)(a->slot_io ? a->slot_io[slot] : 0) * (size_t)n;
  const unsigned cur = a->cursor[slot];
  const unsigned mask = (unsigned)M->mask;
  for (int t = TRI_TID0; t < n; t += TRI_TSTEP) st[M->ring + ((cur + (unsigned)t) & mask)] = a->in[row + (size_t)t];
  TRI_BARRIER();
  for (int t = TRI_TID0; t < n; t += TRI_TSTEP) {
    const unsigned p = cur + (unsigned)t;
    float v = M->bias >= 0 ? W[M->bias] : 0.0f;
    for (int k = 0; k < M->taps; ++k) v += W[M->h + k] * st[M->ring + ((p - (unsigned)k) & mask)];
    a->out[row + (size_t)t] = v;
  }
  TRI_BARRIER();
  if (TRI_TID0 == 0) a->cursor[slot] = (cur + (unsigned)n) & (unsigned)P->cursor_mask;
}

#endif
