/* LSTM import: gate weights packed so the item of hidden unit j reads its four gate rows side by side
   (kernels/lstm.h); the file's initial state becomes the restart image. */
#include "gpu/import_build.h"
#include "models/lstm.h"

#include <string.h>

/* Shared floats one slot may use for h, c and staged weights (the CUDA backend falls back to global memory above
   its device limit; this bound keeps the host scratch reasonable too). */
enum { LSTM_MAX_HIDDEN = 1024 };

TriodeStatus
tri_import_lstm(const TriNode* node, TriBuild* b, TriKProg* head)
{
  const TriLstm* m = node->impl;
  if (m->nlayers < 1) return tri_build_refuse(b, "an LSTM without layers");
  if (m->input_size != 1 || node->nout != 1)
    return tri_build_refuse(b, "%d -> %d channels (the batch runs mono models)", m->input_size, node->nout);
  if (m->hidden > LSTM_MAX_HIDDEN)
    return tri_build_refuse(b, "hidden_size %d (at most %d)", m->hidden, LSTM_MAX_HIDDEN);
  const int H = m->hidden, G = 4 * H;
  TriKLstm* k = &head->u.lstm;
  k->L = m->nlayers;
  k->H = H;
  k->O = node->nout;
  k->fast = m->fast;
  for (int l = 0; l < m->nlayers; ++l) {
    const TriLstmLayer* L = &m->layers[l];
    const int J = L->in + H;
    TriKLstmLayer kl = {L->in, 0, 0};
    const long wt = tri_build_params(b, NULL, (long)J * G);
    for (int r = 0; !b->oom && r < G; ++r)
      for (int j = 0; j < J; ++j) b->params[wt + (long)j * G + r] = L->w[(long)r * J + j];
    kl.wt = (int)wt;
    kl.b = (int)tri_build_params(b, L->b, G);
    tri_build_item(b, &kl, sizeof kl);
  }
  k->head_w = (int)tri_build_params(b, m->head_w, (long)node->nout * H);
  k->head_b = (int)tri_build_params(b, m->head_b, node->nout);
  const long weights = b->np;
  /* Restart image, state order: h of every layer, then c of every layer. */
  head->init_off = (int)b->np;
  for (int l = 0; l < m->nlayers; ++l) tri_build_params(b, m->layers[l].h0, H);
  for (int l = 0; l < m->nlayers; ++l) tri_build_params(b, m->layers[l].c0, H);
  head->init_floats = 2 * m->nlayers * H;
  b->state = 2L * m->nlayers * H;
  head->kind = TRI_K_LSTM;
  head->nitems = m->nlayers;
  head->stage_floats = (int)weights;
  head->shm_fixed = (int)(weights + 3L * m->nlayers * H);
  head->threads = H;
  head->clear_on_reset = 0; /* the reference keeps the LSTM state across Reset() */
  return TRIODE_SUCCESS;
}
