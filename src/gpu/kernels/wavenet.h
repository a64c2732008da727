/* WaveNet block kernel (spec §3.4.5-3.4.7) for one slot: every frame of the block, layer by layer.
 *
 * Thread mapping: work items are frames; an item computes a whole layer for its frame (z = conv + mixin in
 * registers, activation, residual, head contribution). Layers are separated by barriers because a dilated tap
 * reads frames of the block that other items wrote. Each layer's input lives in its own ring (its history):
 * the producer of layer l's input (the rechannel or layer l-1) writes the frame straight into that ring.
 * The head accumulator S stays in shared memory for the whole block; the last layer of an array also writes S into
 * the array's head ring, whose conv (kernel Kh, dilation) runs after one more barrier.
 * Shared memory: [staged layer weights][S: s_rows x n][xo: xo_rows x n].
 */
#ifndef TRIODE_GPU_KERNELS_WAVENET_H
#define TRIODE_GPU_KERNELS_WAVENET_H

#include "gpu/kernels/act.h"

/* z[0, Z) = conv bias + dilated conv over the input ring at frame position p + mixin of the frame's input x. */
TRI_KFN void
tri_k_wn_conv(const TriKWnLayer* L, const float* lw, const float* ring, int C, unsigned p, float x, float* z)
{
  const int Z = L->conv.cout, K = L->conv.k;
  const float* b = lw + L->conv.b;
  for (int o = 0; o < Z; ++o) z[o] = b[o];
  for (int tap = 0; tap < K; ++tap) {
    const unsigned q = p - (unsigned)((K - 1 - tap) * L->conv.dil);
    for (int i = 0; i < C; ++i) {
      const float xv = ring[tri_k_ring((unsigned)L->mask, i, q)];
      const float* w = lw + L->conv.w + (tap * C + i) * Z;
      for (int o = 0; o < Z; ++o) z[o] += w[o] * xv;
    }
  }
  const float* m = lw + L->mixin.w; /* one condition channel: the model input */
  for (int o = 0; o < Z; ++o) z[o] += m[o] * x;
}

/* Gated / blended / plain activation (spec §2.5), leaving a = z[0, B). */
TRI_KFN void
tri_k_wn_activate(const TriKWnLayer* L, const float* lw, float* z)
{
  const int B = L->B;
  const float* p1 = lw + L->act.p;
  const float* p2 = lw + L->act2.p;
  for (int j = 0; j < B; ++j) {
    const float za = z[j];
    if (L->gating == TRI_KG_NONE) {
      z[j] = tri_k_act(&L->act, p1, j, za);
    } else if (L->gating == TRI_KG_GATED) {
      z[j] = tri_k_act(&L->act, p1, j, za) * tri_k_act(&L->act2, p2, j, z[B + j]);
    } else {
      const float alpha = tri_k_act(&L->act2, p2, j, z[B + j]);
      z[j] = alpha * tri_k_act(&L->act, p1, j, za) + (1.0f - alpha) * za;
    }
  }
}

/* Residual output of channel c: x + layer1x1(a) (or x when layer1x1 is inactive, as the reference). */
TRI_KFN float
tri_k_wn_residual(const TriKWnLayer* L, const float* lw, const float* z, float x, int c)
{
  if (L->l1x1.cout == 0) return x;
  const float* w = lw + L->l1x1.w + c * L->B;
  float acc = lw[L->l1x1.b + c];
  for (int j = 0; j < L->B; ++j) acc += w[j] * z[j];
  return x + acc;
}

/* Head contribution of row h: head1x1(a), or a itself. */
TRI_KFN float
tri_k_wn_head1x1(const TriKWnLayer* L, const float* lw, const float* z, int h)
{
  if (L->h1x1.cout == 0) return z[h];
  const float* w = lw + L->h1x1.w + h * L->B;
  float acc = lw[L->h1x1.b + h];
  for (int j = 0; j < L->B; ++j) acc += w[j] * z[j];
  return acc;
}

/* One layer for the frame at block index t (position p). Writes the residual into the next layer's ring, into xo
   (last layer of an array feeding another array) or nowhere, and adds the head contribution to S. */
TRI_KFN void
tri_k_wn_layer_frame(const TriKWnArray* A, const TriKWnLayer* L, const TriKWnLayer* next, const float* lw, float* st,
                     float x, float* S, float* xo, int n, int t, unsigned p)
{
  float z[TRI_K_ZMAX];
  tri_k_wn_conv(L, lw, st + L->ring, A->C, p, x, z);
  tri_k_wn_activate(L, lw, z);
  for (int c = 0; c < A->C; ++c) {
    const float v = tri_k_wn_residual(L, lw, z, st[L->ring + tri_k_ring((unsigned)L->mask, c, p)], c);
    if (next)
      st[next->ring + tri_k_ring((unsigned)next->mask, c, p)] = v;
    else if (xo)
      xo[c * n + t] = v;
  }
  for (int h = 0; h < A->Hw; ++h) {
    const float s = S[h * n + t] + tri_k_wn_head1x1(L, lw, z, h);
    S[h * n + t] = s;
    if (!next) st[A->head_ring + tri_k_ring((unsigned)A->head_mask, h, p)] = s;
  }
}

/* The common layer shape (plain activation, Z = B = C, one mixin input, layer1x1 active, no head1x1, Hw = C) for C
   fixed at compile time: the same sums in the same order as the functions above, but with every loop over channels
   unrolled so z lives in registers (the general z[TRI_K_ZMAX] is in local memory on CUDA). Called with a literal C
   from tri_k_wn_layer_frames for the layers import marked (TriKWnLayer.fixed). */

TRI_KFN_INLINE void
tri_k_wn_layer_frame_fixed(const TriKWnArray* A, const TriKWnLayer* L, const TriKWnLayer* next, const float* lw,
                           float* st, float x, float* S, float* xo, int n, int t, unsigned p, const int C)
{
  float z[TRI_K_WN_FIXED_CMAX];
  const int K = L->conv.k;
  const float* b = lw + L->conv.b;
  TRI_UNROLL for (int o = 0; o < C; ++o) z[o] = b[o];
  const float* ring = st + L->ring;
  const unsigned mask = (unsigned)L->mask;
  for (int tap = 0; tap < K; ++tap) {
    const unsigned q = p - (unsigned)((K - 1 - tap) * L->conv.dil);
    const float* w = lw + L->conv.w + tap * C * C;
    TRI_UNROLL for (int i = 0; i < C; ++i) {
      const float xv = ring[tri_k_ring(mask, i, q)];
      TRI_UNROLL for (int o = 0; o < C; ++o) z[o] += w[i * C + o] * xv;
    }
  }
  const float* m = lw + L->mixin.w;
  TRI_UNROLL for (int o = 0; o < C; ++o) z[o] += m[o] * x;
  const float* pa = lw + L->act.p;
  TRI_UNROLL for (int j = 0; j < C; ++j) z[j] = tri_k_act(&L->act, pa, j, z[j]);
  TRI_UNROLL for (int c = 0; c < C; ++c) {
    const float* w = lw + L->l1x1.w + c * C;
    float acc = lw[L->l1x1.b + c];
    TRI_UNROLL for (int j = 0; j < C; ++j) acc += w[j] * z[j];
    const float v = ring[tri_k_ring(mask, c, p)] + acc;
    if (next)
      st[next->ring + tri_k_ring((unsigned)next->mask, c, p)] = v;
    else if (xo)
      xo[c * n + t] = v;
  }
  TRI_UNROLL for (int h = 0; h < C; ++h) {
    const float s = S[h * n + t] + z[h];
    S[h * n + t] = s;
    if (!next) st[A->head_ring + tri_k_ring((unsigned)A->head_mask, h, p)] = s;
  }
}

/* One layer for the frames of this thread: the fixed-C body for `fixed` = C (TriKWnLayer.fixed, or 0 to force the
   general body), else the general one. The same for every thread. */
TRI_KFN void
tri_k_wn_layer_frames(const TriKWnArray* A, const TriKWnLayer* L, const TriKWnLayer* next, const float* lw, float* st,
                      const float* in, float* S, float* xo, int n, unsigned cur, int fixed)
{
#define TRI_K_WN_FIXED_CASE(CC)                                                                                      \
  case CC:                                                                                                           \
    for (int t = TRI_TID0; t < n; t += TRI_TSTEP)                                                                    \
      tri_k_wn_layer_frame_fixed(A, L, next, lw, st, in[t], S, xo, n, t, cur + (unsigned)t, CC);                     \
    return;
  switch (fixed) {
    TRI_K_WN_FIXED_LIST(TRI_K_WN_FIXED_CASE)
  default:
    for (int t = TRI_TID0; t < n; t += TRI_TSTEP)
      tri_k_wn_layer_frame(A, L, next, lw, st, in[t], S, xo, n, t, cur + (unsigned)t);
  }
#undef TRI_K_WN_FIXED_CASE
}

/* Head rechannel of output row o at position p: a dilated conv over the head ring. */
TRI_KFN float
tri_k_wn_head(const TriKWnArray* A, const float* W, const float* st, int o, unsigned p)
{
  const int K = A->head.k, Hw = A->Hw;
  float v = A->head.b >= 0 ? W[A->head.b + o] : 0.0f;
  for (int tap = 0; tap < K; ++tap) {
    const unsigned q = p - (unsigned)((K - 1 - tap) * A->head.dil);
    const float* w = W + A->head.w + (o * K + tap) * Hw;
    for (int h = 0; h < Hw; ++h) v += w[h] * st[A->head_ring + tri_k_ring((unsigned)A->head_mask, h, q)];
  }
  return v;
}

TRI_KFN void
tri_k_wavenet(const TriKArgs* a, int slot, float* shm)
{
  const TriKProg* P = a->prog;
  const TriKWaveNet* wn = &P->u.wn;
  const TriKWnLayer* layers = (const TriKWnLayer*)tri_k_items(P);
  const TriKSlot s = tri_k_slot(a, slot);
  const float* W = s.W;
  float* st = s.st;
  const int n = s.n;
  const float* in = s.in;
  float* out = s.out;
  const unsigned cur = s.cur;
  float* S = shm + P->shm_fixed;
  float* xo = S + wn->s_rows * n;
  for (int ai = 0; ai < wn->narrays; ++ai) {
    const TriKWnArray* A = &wn->arrays[ai];
    const TriKWnLayer* L0 = &layers[A->layer0];
    /* Rechannel into layer 0's history. S starts at zero (array 0) or already holds the previous head output. */
    for (int t = TRI_TID0; t < n; t += TRI_TSTEP) {
      const unsigned p = cur + (unsigned)t;
      for (int c = 0; c < A->C; ++c) {
        const float* r = W + A->rechannel.w + c * A->in_size;
        float v = 0.0f;
        if (ai == 0)
          v = r[0] * in[t];
        else
          for (int i = 0; i < A->in_size; ++i) v += r[i] * xo[i * n + t];
        st[L0->ring + tri_k_ring((unsigned)L0->mask, c, p)] = v;
      }
      if (ai == 0)
        for (int h = 0; h < A->Hw; ++h) S[h * n + t] = 0.0f;
    }
    for (int l = 0; l < A->nlayers; ++l) {
      const TriKWnLayer* L = &layers[A->layer0 + l];
      const TriKWnLayer* next = l + 1 < A->nlayers ? L + 1 : 0;
      TRI_BARRIER(); /* the input ring is complete; the previous layer no longer reads the staged weights */
      const float* lw = tri_k_stage(shm, W + L->w0, L->wn, a->stage);
      float* xout = ai + 1 < wn->narrays ? xo : 0;
      tri_k_wn_layer_frames(A, L, next, lw, st, in, S, xout, n, cur, a->general ? 0 : L->fixed);
    }
    TRI_BARRIER(); /* the head ring is complete */
    const bool last = ai + 1 == wn->narrays;
    for (int t = TRI_TID0; t < n; t += TRI_TSTEP) {
      const unsigned p = cur + (unsigned)t;
      if (last) {
        out[t] = tri_k_wn_head(A, W, st, 0, p) * W[wn->head_scale];
      } else {
        for (int o = 0; o < A->head_size; ++o) S[o * n + t] = tri_k_wn_head(A, W, st, o, p);
      }
    }
  }
  TRI_BARRIER();
  if (TRI_TID0 == 0) a->cursor[slot] = (cur + (unsigned)n) & (unsigned)P->cursor_mask;
}

#endif
