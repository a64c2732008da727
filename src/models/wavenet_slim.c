/* Slimmable WaveNet (spec §3.5): a smaller ordinary WaveNet whose matrices keep the first rows and columns of
   the full ones. */
#include "models/wavenet.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int
slim_channels(const WnArray* a, double value)
{
  if (!a->allowed) return a->C;
  int idx = (int)floor(value * a->nallowed);
  if (idx > a->nallowed - 1) idx = a->nallowed - 1;
  if (idx < 0) idx = 0;
  return a->allowed[idx];
}

static TriodeStatus
slim_layer(const WnArray* fa, const WnLayer* fl, WnLayer* L, int C, int B, int Hw)
{
  const int g = fl->gating == TRI_GATE_NONE ? 1 : 2;
  L->gating = fl->gating;
  L->l1x1_film_applies = fl->l1x1_film_applies;
  L->zwt = NULL;
  TRI_TRY(tri_act_copy(&L->act, &fl->act));
  TRI_TRY(tri_act_copy(&L->act2, &fl->act2));
  TRI_TRY(tri_conv_slice(&L->conv, &fl->conv, C, g * B));
  TRI_TRY(tri_conv_slice(&L->mixin, &fl->mixin, fl->mixin.cin, g * B));
  if (fa->l1x1) TRI_TRY(tri_conv_slice(&L->l1x1, &fl->l1x1, B, C));
  if (fa->h1x1) TRI_TRY(tri_conv_slice(&L->h1x1, &fl->h1x1, B, fl->h1x1.cout));
  const int dims[WN_FILM_COUNT] = {C, g * B, fa->dc, g * B, g * B, B, C, Hw};
  for (int f = 0; f < WN_FILM_COUNT; ++f) TRI_TRY(tri_film_slice(&L->film[f], &fl->film[f], dims[f]));
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_wn_slim(const WaveNet* full, double value, WaveNet** out)
{
  *out = NULL;
  int* cs = malloc((size_t)full->narrays * sizeof *cs);
  if (!cs) return TRIODE_ERR_NO_MEMORY;
  bool same = true;
  for (int i = 0; i < full->narrays; ++i) {
    cs[i] = slim_channels(&full->arrays[i], value);
    same = same && cs[i] == full->arrays[i].C;
  }
  if (same) { /* full size: the loaded plan is used as it is */
    free(cs);
    return TRIODE_SUCCESS;
  }
  WaveNet* wn = calloc(1, sizeof *wn);
  TriodeStatus st = wn ? TRIODE_SUCCESS : TRIODE_ERR_NO_MEMORY;
  if (st == TRIODE_SUCCESS) {
    *wn = *full;
    wn->owns_cond = false; /* the condition DSP is shared with the full plan */
    wn->arrays = calloc((size_t)full->narrays, sizeof *wn->arrays);
    wn->post = NULL;
    wn->npost = 0;
    memset(&wn->post_act, 0, sizeof wn->post_act);
    wn->narrays = 0;
    if (!wn->arrays) st = TRIODE_ERR_NO_MEMORY;
  }
  for (int i = 0; st == TRIODE_SUCCESS && i < full->narrays; ++i) {
    const WnArray* fa = &full->arrays[i];
    WnArray* a = &wn->arrays[i];
    *a = *fa;
    a->layers = NULL;
    a->allowed = NULL;
    a->nallowed = 0;
    memset(&a->rechannel, 0, sizeof a->rechannel);
    memset(&a->head, 0, sizeof a->head);
    wn->narrays = i + 1;
    a->C = cs[i];
    a->B = fa->l1x1 ? (int)fmax(1.0, floor((double)fa->B * a->C / fa->C)) : a->C;
    a->in_size = i == 0 ? fa->in_size : cs[i - 1];
    a->head_size = i + 1 < full->narrays ? cs[i + 1] : fa->head_size;
    a->Hw = fa->h1x1 ? fa->Hw : a->B;
    a->layers = calloc((size_t)fa->nlayers, sizeof *a->layers);
    if (!a->layers) {
      st = TRIODE_ERR_NO_MEMORY;
      break;
    }
    st = tri_conv_slice(&a->rechannel, &fa->rechannel, a->in_size, a->C);
    for (int l = 0; st == TRIODE_SUCCESS && l < fa->nlayers; ++l)
      st = slim_layer(fa, &fa->layers[l], &a->layers[l], a->C, a->B, a->Hw);
    if (st == TRIODE_SUCCESS) st = tri_conv_slice(&a->head, &fa->head, a->Hw, a->head_size);
  }
  free(cs);
  if (st == TRIODE_SUCCESS) st = tri_wn_prepare(wn);
  if (st != TRIODE_SUCCESS) {
    tri_wn_free(wn);
    return st;
  }
  *out = wn;
  return TRIODE_SUCCESS;
}

static int
cmp_double(const void* a, const void* b)
{
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int
tri_wn_breakpoints(const WaveNet* wn, double* points, int capacity)
{
  int total = 0;
  for (int i = 0; i < wn->narrays; ++i)
    if (wn->arrays[i].allowed) total += wn->arrays[i].nallowed - 1;
  if (total == 0) return 0;
  double* all = malloc((size_t)total * sizeof *all);
  if (!all) return 0;
  int n = 0;
  for (int i = 0; i < wn->narrays; ++i)
    for (int j = 1; wn->arrays[i].allowed && j < wn->arrays[i].nallowed; ++j)
      all[n++] = (double)j / wn->arrays[i].nallowed;
  qsort(all, (size_t)n, sizeof *all, cmp_double);
  int u = 0;
  for (int i = 0; i < n; ++i)
    if (u == 0 || all[i] != all[u - 1]) all[u++] = all[i];
  for (int i = 0; i < u && i < capacity; ++i) points[i] = all[i];
  free(all);
  return u;
}
