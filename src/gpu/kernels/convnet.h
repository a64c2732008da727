/* ConvNet block kernel (spec §3.2) for one slot. Work items are frames; a block (K = 2 dilated conv, folded
 * batchnorm, activation) is one phase, separated from the next by a barrier because the next block's taps read
 * frames other items wrote. Each block's input lives in its own ring; the last block feeds the pointwise head
 * directly from registers. No shared memory.
 */
#ifndef TRIODE_GPU_KERNELS_CONVNET_H
#define TRIODE_GPU_KERNELS_CONVNET_H

#include "gpu/kernels/act.h"

/* One block for one frame at position p: z[0, C) = act(bn(conv)). */
TRI_KFN void
tri_k_cn_block(const TriKConvNet* M, const TriKConvBlock* Bk, const float* W, const float* st, unsigned p, float* z)
{
  const int C = M->C, cin = Bk->conv.cin;
  for (int o = 0; o < C; ++o) z[o] = Bk->conv.b >= 0 ? W[Bk->conv.b + o] : 0.0f;
  for (int tap = 0; tap < 2; ++tap) {
    const unsigned q = p - (unsigned)((1 - tap) * Bk->conv.dil);
    for (int i = 0; i < cin; ++i) {
      const float xv = st[Bk->ring + tri_k_ring((unsigned)Bk->mask, i, q)];
      const float* w = W + Bk->conv.w + (tap * cin + i) * C;
      for (int o = 0; o < C; ++o) z[o] += w[o] * xv;
    }
  }
  for (int o = 0; o < C; ++o) {
    float v = z[o];
    if (Bk->scale >= 0) v = v * W[Bk->scale + o] + W[Bk->offset + o];
    z[o] = tri_k_act(&M->act, W + M->act.p, o, v);
  }
}

TRI_KFN void
tri_k_convnet(const TriKArgs* a, int slot, float* shm)
{
  (void)shm;
  const TriKProg* P = a->prog;
  const TriKConvNet* M = &P->u.cn;
  const TriKConvBlock* blocks = (const TriKConvBlock*)tri_k_items(P);
  const TriKSlot s = tri_k_slot(a, slot);
  const float* W = s.W;
  float* st = s.st;
  const int n = s.n;
  const float* in = s.in;
  float* out = s.out;
  const unsigned cur = s.cur;
  for (int t = TRI_TID0; t < n; t += TRI_TSTEP)
    st[blocks[0].ring + tri_k_ring((unsigned)blocks[0].mask, 0, cur + (unsigned)t)] = in[t];
  for (int bi = 0; bi < M->nblocks; ++bi) {
    const TriKConvBlock* Bk = &blocks[bi];
    const TriKConvBlock* next = bi + 1 < M->nblocks ? Bk + 1 : 0;
    TRI_BARRIER();
    for (int t = TRI_TID0; t < n; t += TRI_TSTEP) {
      const unsigned p = cur + (unsigned)t;
      float z[TRI_K_ZMAX];
      tri_k_cn_block(M, Bk, W, st, p, z);
      if (next) {
        for (int o = 0; o < M->C; ++o) st[next->ring + tri_k_ring((unsigned)next->mask, o, p)] = z[o];
      } else {
        float acc = W[M->head_b];
        for (int o = 0; o < M->C; ++o) acc += W[M->head_w + o] * z[o];
        out[t] = acc;
      }
    }
  }
  TRI_BARRIER();
  if (TRI_TID0 == 0) a->cursor[slot] = (cur + (unsigned)n) & (unsigned)P->cursor_mask;
}

#endif
