/* WaveNet plan: weights read in stream order (spec §3.4.3-3.4.4), the fused per-layer matrices, receptive fields,
   and freeing. */
#include "models/wavenet.h"

#include <stdlib.h>
#include <string.h>

static TriodeStatus
read_layer(WnArray* a, WnLayer* L, TriWeights* w)
{
  TRI_TRY(tri_conv_read(&L->conv, w));
  TRI_TRY(tri_conv_read(&L->mixin, w));
  if (a->l1x1) TRI_TRY(tri_conv_read(&L->l1x1, w));
  if (a->h1x1) TRI_TRY(tri_conv_read(&L->h1x1, w));
  for (int f = 0; f < WN_FILM_COUNT; ++f) TRI_TRY(tri_film_read(&L->film[f], w));
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_wn_read_node(TriNode* node, TriWeights* w)
{
  WaveNet* wn = node->impl;
  for (int i = 0; i < wn->narrays; ++i) {
    WnArray* a = &wn->arrays[i];
    TRI_TRY(tri_conv_read(&a->rechannel, w));
    for (int l = 0; l < a->nlayers; ++l) TRI_TRY(read_layer(a, &a->layers[l], w));
    TRI_TRY(tri_conv_read(&a->head, w));
  }
  for (int i = 0; i < wn->npost; ++i) TRI_TRY(tri_conv_read(&wn->post[i], w));
  TRI_TRY(tri_weights_take1(w, &wn->head_scale)); /* overrides config.head_scale */
  if (!w->counting && tri_wn_prepare(wn) != TRIODE_SUCCESS)
    return tri_fail(w->ctx, TRIODE_ERR_NO_MEMORY, w->path, "out of memory");
  return TRIODE_SUCCESS;
}

void
tri_wn_free(WaveNet* wn)
{
  if (!wn) return;
  for (int i = 0; wn->arrays && i < wn->narrays; ++i) {
    WnArray* a = &wn->arrays[i];
    for (int l = 0; a->layers && l < a->nlayers; ++l) {
      WnLayer* L = &a->layers[l];
      tri_act_free(&L->act);
      tri_act_free(&L->act2);
      tri_conv_free(&L->conv);
      tri_conv_free(&L->mixin);
      tri_conv_free(&L->l1x1);
      tri_conv_free(&L->h1x1);
      for (int f = 0; f < WN_FILM_COUNT; ++f) tri_film_free(&L->film[f]);
      free(L->zwt);
    }
    free(a->layers);
    tri_conv_free(&a->rechannel);
    tri_conv_free(&a->head);
    free(a->allowed);
  }
  free(wn->arrays);
  for (int i = 0; wn->post && i < wn->npost; ++i) tri_conv_free(&wn->post[i]);
  free(wn->post);
  tri_act_free(&wn->post_act);
  if (wn->owns_cond) tri_node_free(wn->cond);
  free(wn);
}

/* Whether a layer (already with a fused conv + mixin product) matches the fused whole-layer kernel. */
static void
fuse_layer(const WnArray* a, WnLayer* L)
{
  const TriFilm* F = L->film;
  L->fused_act = -1;
  if (L->gating != TRI_GATE_NONE || F[WN_FILM_ACT_PRE].active || F[WN_FILM_ACT_POST].active || !a->l1x1 ||
      L->l1x1_film_applies || a->h1x1 || a->B != a->C || a->C > TRI_FUSED_MAX_C)
    return;
  switch (L->act.kind) {
  case TRI_ACT_TANH: L->fused_act = TRI_FUSED_TANH; break;
  case TRI_ACT_FASTTANH: L->fused_act = TRI_FUSED_FASTTANH; break;
  case TRI_ACT_RELU: L->fused_act = TRI_FUSED_LEAKY; L->fused_slope = 0.0f; break;
  case TRI_ACT_LEAKYRELU: L->fused_act = TRI_FUSED_LEAKY; L->fused_slope = L->act.p[0]; break;
  case TRI_ACT_PRELU:
    if (L->act.nslopes == 0) {
      L->fused_act = TRI_FUSED_LEAKY;
      L->fused_slope = L->act.p[0];
    }
    break;
  default: break;
  }
}

TriodeStatus
tri_wn_prepare(WaveNet* wn)
{
  for (int i = 0; i < wn->narrays; ++i)
    for (int l = 0; l < wn->arrays[i].nlayers; ++l) {
      WnLayer* L = &wn->arrays[i].layers[l];
      free(L->zwt);
      L->zwt = NULL;
      L->fused_act = -1;
      const TriFilm* F = L->film;
      const int J1 = L->conv.k * L->conv.cin, J = J1 + L->mixin.cin, Z = L->conv.cout;
      if (F[WN_FILM_CONV_POST].active || F[WN_FILM_MIXIN_PRE].active || F[WN_FILM_MIXIN_POST].active ||
          J > WN_FUSED_ROWS_MAX)
        continue;
      L->zwt = malloc((size_t)J * (size_t)Z * sizeof *L->zwt);
      if (!L->zwt) return TRIODE_ERR_NO_MEMORY;
      memcpy(L->zwt, L->conv.wt, (size_t)J1 * (size_t)Z * sizeof *L->zwt);
      memcpy(L->zwt + (size_t)J1 * Z, L->mixin.wt, (size_t)L->mixin.cin * (size_t)Z * sizeof *L->zwt);
      fuse_layer(&wn->arrays[i], L);
    }
  return TRIODE_SUCCESS;
}

long
tri_wn_array_rf(const WnArray* a)
{
  long rf = (long)a->head_dil * (a->head_k - 1);
  for (int l = 0; l < a->nlayers; ++l) rf += tri_conv_lookback(&a->layers[l].conv);
  return rf;
}

long
tri_wn_prewarm(const WaveNet* wn)
{
  long p = wn->cond ? wn->cond->ops->prewarm_samples(wn->cond, NULL) : 1;
  for (int i = 0; i < wn->narrays; ++i) p += tri_wn_array_rf(&wn->arrays[i]);
  for (int i = 0; i < wn->npost; ++i) p += wn->post[i].k - 1;
  return p;
}

double
tri_wn_macs(const WaveNet* wn)
{
  double macs = 0.0;
  for (int i = 0; i < wn->narrays; ++i) {
    const WnArray* a = &wn->arrays[i];
    macs += tri_conv_macs(&a->rechannel) + tri_conv_macs(&a->head);
    for (int l = 0; l < a->nlayers; ++l) {
      const WnLayer* L = &a->layers[l];
      macs += tri_conv_macs(&L->conv) + tri_conv_macs(&L->mixin);
      if (a->l1x1) macs += tri_conv_macs(&L->l1x1);
      if (a->h1x1) macs += tri_conv_macs(&L->h1x1);
      for (int f = 0; f < WN_FILM_COUNT; ++f) macs += tri_film_macs(&L->film[f]);
    }
  }
  for (int i = 0; i < wn->npost; ++i) macs += tri_conv_macs(&wn->post[i]);
  return macs;
}

void
tri_wn_activations(const WaveNet* wn, TriodeActivationCounts* counts)
{
  for (int i = 0; i < wn->narrays; ++i) {
    const WnArray* a = &wn->arrays[i];
    for (int l = 0; l < a->nlayers; ++l) {
      const WnLayer* L = &a->layers[l];
      tri_act_count(&L->act, a->B, counts);
      if (L->gating != TRI_GATE_NONE) tri_act_count(&L->act2, a->B, counts); /* the gate / blend half */
    }
  }
  for (int i = 0; i < wn->npost; ++i) tri_act_count(&wn->post_act, wn->post[i].cin, counts);
}

long
tri_wn_rf(const WaveNet* wn)
{
  long rf = 1 + (wn->cond ? wn->cond->ops->receptive_field(wn->cond) - 1 : 0);
  for (int i = 0; i < wn->narrays; ++i) rf += tri_wn_array_rf(&wn->arrays[i]);
  for (int i = 0; i < wn->npost; ++i) rf += wn->post[i].k - 1;
  return rf;
}
