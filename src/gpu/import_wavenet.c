/* WaveNet import: checks the features the kernel implements and lays out weights and histories (kernels/wavenet.h
   documents the layout it reads). */
#include "gpu/import_build.h"
#include "models/wavenet.h"

#include <string.h>

static long
imaxl(long a, long b)
{
  return a > b ? a : b;
}

/* Refuses what the kernel cannot run. */
static TriodeStatus
check(const WaveNet* wn, TriBuild* b)
{
  if (wn->cond) return tri_build_refuse(b, "condition_dsp (a conditioning model in front)");
  if (wn->npost > 0) return tri_build_refuse(b, "a post-stack head (config.head)");
  if (wn->in_channels != 1)
    return tri_build_refuse(b, "%d input channels (the batch runs mono models)", wn->in_channels);
  const int nout = wn->arrays[wn->narrays - 1].head_size;
  if (nout != 1) return tri_build_refuse(b, "%d output channels (the batch runs mono models)", nout);
  if (wn->arrays[0].in_size != 1)
    return tri_build_refuse(b, "layers[0] with input_size %d (the batch runs mono models)", wn->arrays[0].in_size);
  if (wn->narrays > TRI_K_WN_MAX_ARRAYS)
    return tri_build_refuse(b, "%d layer arrays (at most %d)", wn->narrays, TRI_K_WN_MAX_ARRAYS);
  for (int i = 0; i < wn->narrays; ++i) {
    const WnArray* a = &wn->arrays[i];
    if (i > 0 && (a->in_size != wn->arrays[i - 1].C || a->Hw != wn->arrays[i - 1].head_size))
      return tri_build_refuse(b, "layers[%d] whose input or head width differs from layers[%d]", i, i - 1);
    if (a->dc != 1) return tri_build_refuse(b, "layers[%d] with condition_size %d", i, a->dc);
    for (int l = 0; l < a->nlayers; ++l) {
      const WnLayer* L = &a->layers[l];
      for (int f = 0; f < WN_FILM_COUNT; ++f)
        if (L->film[f].active) return tri_build_refuse(b, "FiLM (layers[%d] layer %d %s)", i, l, tri_wn_film_keys[f]);
      if (L->conv.cout > TRI_K_ZMAX)
        return tri_build_refuse(b, "a layer with %d conv outputs (layers[%d] layer %d; at most %d)", L->conv.cout, i,
                                l, TRI_K_ZMAX);
    }
  }
  return TRIODE_SUCCESS;
}

/* Dense TriConv weights w[(tap * cout + o) * cin + i] re-laid as dst[(tap * cin + i) * cout + o]. */
static long
put_conv_by_input(TriBuild* b, const TriConv* c)
{
  const long off = tri_build_params(b, NULL, (long)c->k * c->cin * c->cout);
  if (b->oom) return off;
  for (int tap = 0; tap < c->k; ++tap)
    for (int i = 0; i < c->cin; ++i)
      for (int o = 0; o < c->cout; ++o)
        b->params[off + ((long)tap * c->cin + i) * c->cout + o] = c->w[((long)tap * c->cout + o) * c->cin + i];
  return off;
}

/* Dense head conv re-laid as dst[(o * K + tap) * cin + i] (one output's taps contiguous). */
static long
put_conv_by_output(TriBuild* b, const TriConv* c)
{
  const long off = tri_build_params(b, NULL, (long)c->k * c->cin * c->cout);
  if (b->oom) return off;
  for (int o = 0; o < c->cout; ++o)
    for (int tap = 0; tap < c->k; ++tap)
      for (int i = 0; i < c->cin; ++i)
        b->params[off + ((long)o * c->k + tap) * c->cin + i] = c->w[((long)tap * c->cout + o) * c->cin + i];
  return off;
}

static void
kconv(const TriConv* c, long w, long bias, TriKConv* k)
{
  k->cin = c->cin;
  k->cout = c->cout;
  k->k = c->k;
  k->dil = c->dil;
  k->w = (int)w;
  k->b = (int)bias;
}

/* The fixed-channel body's shape: plain activation, Z = B = C, one mixin input, layer1x1 on, no head1x1, the head
   taking a (Hw = C), and C in TRI_K_WN_FIXED_LIST. */
#define TRI_FIXED_IS(CC) || C == (CC)
static int
fixed_c(const TriKWnArray* A, const TriKWnLayer* L)
{
  const int C = A->C;
  const bool plain = L->gating == TRI_KG_NONE && L->conv.cout == C && L->B == C && L->mixin.cout == C &&
                     L->l1x1.cout == C && L->h1x1.cout == 0 && A->Hw == C;
  return plain && (false TRI_K_WN_FIXED_LIST(TRI_FIXED_IS)) ? C : 0;
}
#undef TRI_FIXED_IS
#define TRI_FIXED_FITS(CC) _Static_assert((CC) <= TRI_K_WN_FIXED_CMAX, "a fixed-channel body larger than its array");
TRI_K_WN_FIXED_LIST(TRI_FIXED_FITS)
#undef TRI_FIXED_FITS

static TriodeStatus
put_layer(TriBuild* b, const WnArray* a, const WnLayer* L, TriKWnLayer* k)
{
  memset(k, 0, sizeof *k);
  const long w0 = b->np;
  k->w0 = (int)w0;
  k->B = a->B;
  k->gating = L->gating == TRI_GATE_GATED ? TRI_KG_GATED : L->gating == TRI_GATE_BLENDED ? TRI_KG_BLENDED : TRI_KG_NONE;
  long w = put_conv_by_input(b, &L->conv) - w0;
  kconv(&L->conv, w, tri_build_params(b, L->conv.b, L->conv.cout) - w0, &k->conv);
  kconv(&L->mixin, put_conv_by_input(b, &L->mixin) - w0, -1, &k->mixin);
  if (a->l1x1) { /* dense [o][i] is already the per-output layout the kernel reads */
    w = tri_build_params(b, L->l1x1.w, (long)L->l1x1.cout * L->l1x1.cin) - w0;
    kconv(&L->l1x1, w, tri_build_params(b, L->l1x1.b, L->l1x1.cout) - w0, &k->l1x1);
  }
  if (a->h1x1) {
    w = tri_build_params(b, L->h1x1.w, (long)L->h1x1.cout * L->h1x1.cin) - w0;
    kconv(&L->h1x1, w, tri_build_params(b, L->h1x1.b, L->h1x1.cout) - w0, &k->h1x1);
  }
  TRI_TRY(tri_build_act(b, &L->act, w0, &k->act));
  if (L->gating != TRI_GATE_NONE) TRI_TRY(tri_build_act(b, &L->act2, w0, &k->act2));
  k->wn = (int)(b->np - w0);
  k->ring = (int)tri_build_ring(b, a->C, tri_conv_lookback(&L->conv), &k->mask);
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_import_wavenet(const TriNode* node, TriBuild* b, TriKProg* head)
{
  const WaveNet* wn = node->impl; /* the full size of a slimmable WaveNet */
  TRI_TRY(check(wn, b));
  TriKWaveNet* k = &head->u.wn;
  k->narrays = wn->narrays;
  long s_rows = 1, xo_rows = 0, stage = 0;
  int nlayers = 0;
  for (int i = 0; i < wn->narrays; ++i) {
    const WnArray* a = &wn->arrays[i];
    TriKWnArray* ka = &k->arrays[i];
    ka->C = a->C;
    ka->B = a->B;
    ka->Hw = a->Hw;
    ka->head_size = a->head_size;
    ka->in_size = a->in_size;
    ka->layer0 = nlayers;
    ka->nlayers = a->nlayers;
    kconv(&a->rechannel, tri_build_params(b, a->rechannel.w, (long)a->C * a->in_size), -1, &ka->rechannel);
    for (int l = 0; l < a->nlayers; ++l, ++nlayers) {
      TriKWnLayer kl;
      TRI_TRY(put_layer(b, a, &a->layers[l], &kl));
      kl.fixed = fixed_c(ka, &kl);
      stage = imaxl(stage, kl.wn);
      tri_build_item(b, &kl, sizeof kl);
    }
    const long hw = put_conv_by_output(b, &a->head);
    kconv(&a->head, hw, a->head.b ? tri_build_params(b, a->head.b, a->head.cout) : -1, &ka->head);
    ka->head_ring = (int)tri_build_ring(b, a->Hw, tri_conv_lookback(&a->head), &ka->head_mask);
    s_rows = imaxl(s_rows, imaxl(a->Hw, a->head_size));
    if (i + 1 < wn->narrays) xo_rows = imaxl(xo_rows, a->C);
  }
  k->head_scale = (int)tri_build_params(b, &wn->head_scale, 1);
  k->s_rows = (int)s_rows;
  k->xo_rows = (int)xo_rows;
  head->kind = TRI_K_WAVENET;
  head->nitems = nlayers;
  head->stage_floats = (int)stage;
  head->shm_fixed = (int)stage;
  head->shm_rows = (int)(s_rows + xo_rows);
  head->clear_on_reset = 1;
  return TRIODE_SUCCESS;
}
