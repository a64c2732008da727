/* WaveNet run state: per-layer histories, block scratch and the condition DSP's state for one plan. */
#include "models/wavenet_run.h"

#include <stdlib.h>
#include <string.h>


static int
imax(int a, int b)
{
  return a > b ? a : b;
}

void
tri_wn_run_free(const WaveNet* wn, WnRun* r)
{
  if (!r) return;
  int nl = 0;
  for (int i = 0; i < wn->narrays; ++i) nl += wn->arrays[i].nlayers;
  for (int i = 0; r->hist && i < nl; ++i) tri_hist_free(&r->hist[i]);
  for (int i = 0; r->head_hist && i < wn->narrays; ++i) tri_hist_free(&r->head_hist[i]);
  for (int i = 0; r->post_hist && i < wn->npost; ++i) tri_hist_free(&r->post_hist[i]);
  free(r->hist);
  free(r->fused);
  free(r->off);
  free(r->head_hist);
  free(r->post_hist);
  tri_state_free(&r->cond);
  float* bufs[] = {r->c, r->x[0], r->x[1], r->z, r->v, r->cp, r->r, r->h, r->S, r->hout[0], r->hout[1],
                   r->film, r->post[0], r->post[1]};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; ++i) free(bufs[i]);
  free(r);
}

static float*
buf(WnRun* r, int rows, bool* ok)
{
  size_t n = (size_t)(rows > 0 ? rows : 1) * (size_t)r->ld;
  float* p = calloc(n, sizeof *p);
  if (!p) *ok = false;
  r->bytes += n * sizeof *p;
  return p;
}

/* Whether the plan runs this layer through the fused kernel (its product is fused and its shape matches). */
static bool
layer_fuses(const WnLayer* L)
{
  return L->zwt && L->fused_act >= 0;
}

/* The fused layers' descriptors: weights from the plan, history offsets for this run's row stride. */
static bool
fused_init(const WaveNet* wn, WnRun* r, int nl)
{
  long total = 0;
  for (int i = 0; i < wn->narrays; ++i)
    for (int l = 0; l < wn->arrays[i].nlayers; ++l) {
      const WnLayer* L = &wn->arrays[i].layers[l];
      if (layer_fuses(L)) total += (long)L->conv.k * L->conv.cin;
    }
  r->fused = calloc((size_t)imax(nl, 1), sizeof *r->fused);
  r->off = calloc((size_t)(total > 0 ? total : 1), sizeof *r->off);
  if (!r->fused || !r->off) return false;
  r->bytes += (size_t)nl * sizeof *r->fused + (size_t)total * sizeof *r->off;
  long* off = r->off;
  for (int i = 0, li = 0; i < wn->narrays; ++i) {
    const WnArray* a = &wn->arrays[i];
    for (int l = 0; l < a->nlayers; ++l, ++li) {
      const WnLayer* L = &a->layers[l];
      if (!layer_fuses(L)) continue;
      const long cap = r->hist[li].cap;
      const int K = L->conv.k, C = L->conv.cin;
      for (int tap = 0, j = 0; tap < K; ++tap)
        for (int c = 0; c < C; ++c, ++j) off[j] = (long)c * cap - (long)(K - 1 - tap) * L->conv.dil;
      r->fused[li] = (TriWnFused){a->C,         K * C,          off,          L->mixin.cin, L->zwt,
                                  L->conv.b,    L->fused_act,   L->fused_slope, L->l1x1.wt, L->l1x1.b};
      off += (long)K * C;
    }
  }
  return true;
}

TriodeStatus
tri_wn_run_new(const WaveNet* wn, int max_block, WnRun** out)
{
  *out = NULL;
  WnRun* r = calloc(1, sizeof *r);
  if (!r) return TRIODE_ERR_NO_MEMORY;
  r->ld = max_block;
  int nl = 0, cmax = 1, zmax = 1, hwmax = 1, hsmax = 1, fmax = 1;
  for (int i = 0; i < wn->narrays; ++i) {
    const WnArray* a = &wn->arrays[i];
    nl += a->nlayers;
    cmax = imax(cmax, a->C);
    hwmax = imax(hwmax, a->Hw);
    hsmax = imax(hsmax, a->head_size);
    for (int l = 0; l < a->nlayers; ++l) {
      zmax = imax(zmax, a->layers[l].conv.cout);
      for (int f = 0; f < WN_FILM_COUNT; ++f) fmax = imax(fmax, tri_film_scratch_rows(&a->layers[l].film[f]));
    }
  }
  int pmax = hsmax;
  for (int i = 0; i < wn->npost; ++i) pmax = imax(pmax, imax(wn->post[i].cin, wn->post[i].cout));
  bool ok = true;
  r->hist = calloc((size_t)imax(nl, 1), sizeof *r->hist);
  r->head_hist = calloc((size_t)wn->narrays, sizeof *r->head_hist);
  r->post_hist = calloc((size_t)imax(wn->npost, 1), sizeof *r->post_hist);
  ok = r->hist && r->head_hist && r->post_hist;
  for (int i = 0, k = 0; ok && i < wn->narrays; ++i) {
    const WnArray* a = &wn->arrays[i];
    for (int l = 0; ok && l < a->nlayers; ++l, ++k) {
      ok = tri_hist_init(&r->hist[k], a->C, tri_conv_lookback(&a->layers[l].conv), max_block) == TRIODE_SUCCESS;
      r->bytes += tri_hist_bytes(&r->hist[k]);
    }
    ok = ok && tri_hist_init(&r->head_hist[i], a->Hw, tri_conv_lookback(&a->head), max_block) == TRIODE_SUCCESS;
    r->bytes += tri_hist_bytes(&r->head_hist[i]);
  }
  for (int i = 0; ok && i < wn->npost; ++i) {
    ok = tri_hist_init(&r->post_hist[i], wn->post[i].cin, tri_conv_lookback(&wn->post[i]), max_block) == TRIODE_SUCCESS;
    r->bytes += tri_hist_bytes(&r->post_hist[i]);
  }
  ok = ok && fused_init(wn, r, nl);
  if (ok && wn->cond) {
    ok = tri_state_new(wn->cond, &r->cond) == TRIODE_SUCCESS &&
         wn->cond->ops->state_resize(wn->cond, r->cond.impl, max_block) == TRIODE_SUCCESS;
    if (ok) r->bytes += wn->cond->ops->state_bytes(wn->cond, r->cond.impl);
  }
  if (ok) {
    r->c = buf(r, wn->dc, &ok);
    r->x[0] = buf(r, cmax, &ok);
    r->x[1] = buf(r, cmax, &ok);
    r->z = buf(r, zmax, &ok);
    r->v = buf(r, zmax, &ok);
    r->cp = buf(r, wn->dc, &ok);
    r->r = buf(r, cmax, &ok);
    r->h = buf(r, hwmax, &ok);
    r->S = buf(r, hwmax, &ok);
    r->hout[0] = buf(r, hsmax, &ok);
    r->hout[1] = buf(r, hsmax, &ok);
    r->film = buf(r, fmax, &ok);
    r->post[0] = buf(r, pmax, &ok);
    r->post[1] = buf(r, pmax, &ok);
  }
  if (!ok) {
    tri_wn_run_free(wn, r);
    return TRIODE_ERR_NO_MEMORY;
  }
  *out = r;
  return TRIODE_SUCCESS;
}

void
tri_wn_run_clear(const WaveNet* wn, WnRun* r, bool restart)
{
  int nl = 0;
  for (int i = 0; i < wn->narrays; ++i) nl += wn->arrays[i].nlayers;
  for (int i = 0; i < nl; ++i) tri_hist_clear(&r->hist[i]);
  for (int i = 0; i < wn->narrays; ++i) tri_hist_clear(&r->head_hist[i]);
  for (int i = 0; i < wn->npost; ++i) tri_hist_clear(&r->post_hist[i]);
  if (wn->cond) {
    if (restart)
      wn->cond->ops->state_restart(wn->cond, r->cond.impl);
    else
      wn->cond->ops->state_clear(wn->cond, r->cond.impl);
  }
}

