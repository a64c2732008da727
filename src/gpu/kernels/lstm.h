/* LSTM block kernel (spec §3.3) for one slot: all frames of the block in one launch, sample after sample.
 *
 * Thread mapping: work items are hidden units. Item j computes the four gate rows of unit j ([i; f; g; o] rows j,
 * H+j, 2H+j, 3H+j; the packed weights put those rows side by side, so neighbouring threads read neighbouring
 * floats) and then updates c_j and h_j itself. h is double-buffered (old h read, new h written), so one barrier per
 * layer and sample suffices. The weight set is staged in shared memory once per block when it fits.
 * Shared memory: [staged weights][h: 2 x L x H][c: L x H]. State: h (L x H) then c (L x H).
 */
#ifndef TRIODE_GPU_KERNELS_LSTM_H
#define TRIODE_GPU_KERNELS_LSTM_H

#include "gpu/kernels/act.h"

/* Unit j of one layer: q = W [v; h_old] + b, then c and h (the reference's cell, fast or exact sigmoid/tanh). */
TRI_KFN void
tri_k_lstm_unit(const TriKLstmLayer* Ly, const float* w, int H, int fast, const float* v, const float* hold, float* c,
                float* hnew, int j)
{
  const int G = 4 * H;
  const float* b = w + Ly->b;
  const float* wt = w + Ly->wt;
  float qi = b[j], qf = b[H + j], qg = b[2 * H + j], qo = b[3 * H + j];
  for (int col = 0; col < Ly->in + H; ++col) {
    const float x = col < Ly->in ? v[col] : hold[col - Ly->in];
    const float* r = wt + col * G + j;
    qi += r[0] * x;
    qf += r[H] * x;
    qg += r[2 * H] * x;
    qo += r[3 * H] * x;
  }
  float cn, hn;
  if (fast) {
    cn = tri_k_fast_sigmoid(qf) * c[j] + tri_k_fast_sigmoid(qi) * tri_k_fast_tanh(qg);
    hn = tri_k_fast_sigmoid(qo) * tri_k_fast_tanh(cn);
  } else {
    cn = tri_k_sigmoid(qf) * c[j] + tri_k_sigmoid(qi) * tanhf(qg);
    hn = tri_k_sigmoid(qo) * tanhf(cn);
  }
  c[j] = cn;
  hnew[j] = hn;
}

TRI_KFN void
tri_k_lstm(const TriKArgs* a, int slot, float* shm)
{
  const TriKProg* P = a->prog;
  const TriKLstm* M = &P->u.lstm;
  const TriKLstmLayer* layers = (const TriKLstmLayer*)tri_k_items(P);
  float* st = a->state + (size_t)slot * (size_t)P->state_floats;
  const int n = a->n;
  const size_t row = (size_t)(a->slot_io ? a->slot_io[slot] : 0) * (size_t)n;
  const float* in = a->in + row;
  float* out = a->out + row;
  const int H = M->H, LH = M->L * M->H;
  const float* w = tri_k_stage(shm, a->params + (size_t)a->slot_set[slot] * (size_t)P->nparams, P->stage_floats,
                               a->stage);
  float* hb = shm + P->stage_floats; /* after the staged weights */
  float* cb = hb + 2 * LH;
  for (int j = TRI_TID0; j < LH; j += TRI_TSTEP) {
    hb[j] = st[j];
    cb[j] = st[LH + j];
  }
  TRI_BARRIER();
  int par = 0; /* hb + par * LH holds the current h of every layer */
  for (int t = 0; t < n; ++t) {
    for (int l = 0; l < M->L; ++l) {
      float* hnew = hb + (par ^ 1) * LH + l * H;
      const float* v = l == 0 ? in + t : hnew - H; /* the previous layer's new h */
      for (int j = TRI_TID0; j < H; j += TRI_TSTEP)
        tri_k_lstm_unit(&layers[l], w, H, M->fast, v, hb + par * LH + l * H, cb + l * H, hnew, j);
      TRI_BARRIER();
    }
    par ^= 1;
    const float* hl = hb + par * LH + (M->L - 1) * H;
    for (int o = TRI_TID0; o < M->O; o += TRI_TSTEP) {
      const float* wr = w + M->head_w + o * H;
      float acc = 0.0f;
      for (int j = 0; j < H; ++j) acc += wr[j] * hl[j];
      out[(size_t)o * (size_t)n + t] = acc + w[M->head_b + o];
    }
  }
  for (int j = TRI_TID0; j < LH; j += TRI_TSTEP) {
    st[j] = hb[par * LH + j];
    st[LH + j] = cb[j];
  }
}

#endif
