/* WaveNet block forward pass (spec §3.4.5-3.4.7) through the dispatched kernels. */
#include "models/wavenet_run.h"

#include <string.h>

static void
add_rows(const TriKernels* k, float* dst, const float* src, int ld, int rows, int n)
{
  if (ld == n) { /* block scratch is packed at stride n: one run */
    k->add(dst, src, rows * n);
    return;
  }
  for (int i = 0; i < rows; ++i) k->add(dst + (long)i * ld, src + (long)i * ld, n);
}

static void
copy_rows(float* dst, int ldd, const float* src, int lds, int rows, int n)
{
  for (int i = 0; i < rows; ++i) memcpy(dst + (long)i * ldd, src + (long)i * lds, (size_t)n * sizeof *dst);
}

/* The gated / blended / plain activation of §2.5, leaving a (B rows) in z. v is free scratch. */
static void
activate(const TriKernels* k, const WnLayer* L, int B, float* z, float* v, int ld, int n)
{
  float* za = z;
  float* zb = z + (long)B * ld;
  switch (L->gating) {
  case TRI_GATE_NONE: tri_act_run(k, &L->act, za, ld, B, n); break;
  case TRI_GATE_GATED:
    tri_act_run(k, &L->act, za, ld, B, n);
    tri_act_run(k, &L->act2, zb, ld, B, n);
    if (ld == n)
      k->mul(za, zb, B * n);
    else
      for (int i = 0; i < B; ++i) k->mul(za + (long)i * ld, zb + (long)i * ld, n);
    break;
  case TRI_GATE_BLENDED:
    copy_rows(v, ld, za, ld, B, n);
    tri_act_run(k, &L->act, za, ld, B, n);
    tri_act_run(k, &L->act2, zb, ld, B, n);
    for (int i = 0; i < B; ++i)
      for (int t = 0; t < n; ++t) {
        const long j = (long)i * ld + t;
        const float alpha = zb[j];
        za[j] = alpha * za[j] + (1.0f - alpha) * v[j];
      }
    break;
  }
}

/* A planar block: rows of `ld` floats. */
typedef struct {
  float* p;
  int ld;
} Blk;

/* A layer whose conv reads x itself (no conv_pre_film) has its input written straight into its history block. */
static bool
reads_history(const WnLayer* L)
{
  return !L->film[WN_FILM_CONV_PRE].active;
}

/* Where the producer of layer L's input writes it: the layer's next history block, or a scratch buffer
   (alternating, so a layer's input and output never share one). */
static Blk
input_slot(const WnLayer* L, TriHist* hist, WnRun* r, int* flip, int n)
{
  if (L && reads_history(L)) return (Blk){tri_hist_advance(hist, n), (int)hist->cap};
  *flip ^= 1;
  return (Blk){r->x[*flip], n};
}

/* Unfused path: the conv output and the mixin, each with its FiLMs, summed into z. */
static void
layer_mixin(const TriKernels* k, const WnArray* a, const WnLayer* L, WnRun* r, const float* c, int ldc, int n)
{
  const int ld = n, Z = L->conv.cout;
  const TriFilm* F = L->film;
  tri_film_apply(k, &F[WN_FILM_CONV_POST], r->z, ld, c, ldc, r->film, ld, n);
  const float* cin = c;
  int ldcin = ldc;
  if (F[WN_FILM_MIXIN_PRE].active) {
    copy_rows(r->cp, ld, c, ldc, a->dc, n);
    tri_film_apply(k, &F[WN_FILM_MIXIN_PRE], r->cp, ld, c, ldc, r->film, ld, n);
    cin = r->cp;
    ldcin = ld;
  }
  tri_conv1x1_run(k, &L->mixin, cin, ldcin, r->v, ld, n, false);
  tri_film_apply(k, &F[WN_FILM_MIXIN_POST], r->v, ld, c, ldc, r->film, ld, n);
  add_rows(k, r->z, r->v, ld, Z, n);
}

/* One layer (§3.4.5): reads x, writes the layer output to `next`, adds the head contribution to S. */
static void
layer_process(const TriKernels* k, const WnArray* a, const WnLayer* L, TriHist* hist, WnRun* r, Blk x, Blk next,
              const float* c, int ldc, int n)
{
  const int ld = n, Z = L->conv.cout; /* block scratch rows are packed at stride n */
  const TriFilm* F = L->film;
  if (!reads_history(L)) { /* the history holds FiLM(x); the residual still uses x */
    float* hp = tri_hist_advance(hist, n);
    copy_rows(hp, (int)hist->cap, x.p, x.ld, a->C, n);
    tri_film_apply(k, &F[WN_FILM_CONV_PRE], hp, (int)hist->cap, c, ldc, r->film, ld, n);
  }
  if (L->zwt) {
    /* z = conv(x history) + mixin(c) as one product over the rows of both. */
    const float* rows[WN_FUSED_ROWS_MAX];
    const int C = L->conv.cin, K = L->conv.k;
    int j = 0;
    for (int tap = 0; tap < K; ++tap) {
      const long back = (long)(K - 1 - tap) * L->conv.dil;
      for (int i = 0; i < C; ++i) rows[j++] = tri_hist_row(hist, i) - back;
    }
    for (int i = 0; i < L->mixin.cin; ++i) rows[j++] = c + (long)i * ldc;
    const TriGemm g = {L->zwt, L->conv.b, Z, j};
    k->gemm(&g, rows, r->z, ld, n, NULL, 0);
  } else {
    tri_conv_run_hist(k, &L->conv, hist, r->z, ld, n, false);
    layer_mixin(k, a, L, r, c, ldc, n);
  }
  tri_film_apply(k, &F[WN_FILM_ACT_PRE], r->z, ld, c, ldc, r->film, ld, n);
  activate(k, L, a->B, r->z, r->v, ld, n);
  tri_film_apply(k, &F[WN_FILM_ACT_POST], r->z, ld, c, ldc, r->film, ld, n);
  if (a->l1x1 && !L->l1x1_film_applies) {
    tri_conv1x1_run_add(k, &L->l1x1, r->z, ld, next.p, next.ld, n, x.p, x.ld); /* next = x + L1 a + b */
  } else if (a->l1x1) {
    tri_conv1x1_run(k, &L->l1x1, r->z, ld, r->r, ld, n, false);
    tri_film_apply(k, &F[WN_FILM_L1X1_POST], r->r, ld, c, ldc, r->film, ld, n);
    copy_rows(next.p, next.ld, x.p, x.ld, a->C, n);
    for (int i = 0; i < a->C; ++i) k->add(next.p + (long)i * next.ld, r->r + (long)i * ld, n); /* original x */
  } else {
    copy_rows(next.p, next.ld, x.p, x.ld, a->C, n); /* inactive layer1x1: the reference passes x through */
  }
  if (a->h1x1 && !F[WN_FILM_H1X1_POST].active) {
    tri_conv1x1_run(k, &L->h1x1, r->z, ld, r->S, ld, n, true);
  } else if (a->h1x1) {
    tri_conv1x1_run(k, &L->h1x1, r->z, ld, r->h, ld, n, false);
    tri_film_apply(k, &F[WN_FILM_H1X1_POST], r->h, ld, c, ldc, r->film, ld, n);
    add_rows(k, r->S, r->h, ld, a->Hw, n);
  } else {
    add_rows(k, r->S, r->z, ld, a->Hw, n);
  }
}

/* Whether a layer runs as one fused kernel (same sums, same order) for a block of n frames. The kernel runs frames
   as vector lanes; with cheap masks a block of half a vector or more runs as one partial vector, and so does any
   block of a layer of at most four channels (measured faster down to one frame). Other short blocks are left to the
   unfused path, whose frames run outputs-as-lanes (a one-frame block costs one multiply-add per weight there). */
static bool
fused_runs(const TriKernels* k, const TriWnFused* f, int n)
{
  if (!f->C || f->C > k->wn_max_c) return false; /* not a fused layer, or too wide for this level's registers */
  return n >= k->lanes || (k->masked && (2 * n >= k->lanes || f->C <= 4));
}

void
tri_wn_forward(const WaveNet* wn, WnRun* r, const TriKernels* k, const float* in, int ldin, float* out, int ldout, int n)
{
  const int ld = n; /* scratch buffers hold max_block frames per row; packing them at stride n keeps small blocks in
                       one contiguous run for the element-wise kernels */
  const float* c = in;
  int ldc = ldin;
  if (wn->cond) {
    wn->cond->ops->process(wn->cond, r->cond.impl, k, in, ldin, r->c, ld, n);
    c = r->c;
    ldc = ld;
  }
  const float* X = in; /* the array input; only read */
  int ldX = ldin;
  float* hout = NULL;
  int flip = 0;
  for (int i = 0, li = 0; i < wn->narrays; ++i) {
    const WnArray* a = &wn->arrays[i];
    Blk x = input_slot(&a->layers[0], &r->hist[li], r, &flip, n);
    tri_conv1x1_run(k, &a->rechannel, X, ldX, x.p, x.ld, n, false);
    if (i == 0)
      memset(r->S, 0, (size_t)a->Hw * (size_t)ld * sizeof(float));
    else
      copy_rows(r->S, ld, hout, ld, a->Hw, n);
    for (int l = 0; l < a->nlayers; ++l, ++li) {
      const bool last = l + 1 == a->nlayers;
      const Blk next = input_slot(last ? NULL : &a->layers[l + 1], last ? NULL : &r->hist[li + 1], r, &flip, n);
      if (fused_runs(k, &r->fused[li], n)) {
        const TriWnIo io = {x.p, x.ld, c, ldc, next.p, next.ld, r->S, ld};
        k->wn_layer(&r->fused[li], &io, n);
      } else {
        layer_process(k, a, &a->layers[l], &r->hist[li], r, x, next, c, ldc, n);
      }
      x = next;
    }
    hout = r->hout[i & 1];
    tri_hist_push(&r->head_hist[i], r->S, ld, n);
    tri_conv_run_hist(k, &a->head, &r->head_hist[i], hout, ld, n, false);
    X = x.p;
    ldX = x.ld;
  }
  const int hs = wn->arrays[wn->narrays - 1].head_size;
  k->scale(hout, wn->head_scale, hs * ld);
  if (wn->npost == 0) {
    copy_rows(out, ldout, hout, ld, hs, n);
    return;
  }
  float* y = hout;
  for (int i = 0; i < wn->npost; ++i) {
    const TriConv* pc = &wn->post[i];
    tri_act_run(k, &wn->post_act, y, ld, pc->cin, n); /* the history stores activated values */
    tri_hist_push(&r->post_hist[i], y, ld, n);
    if (i < wn->npost - 1) {
      y = r->post[i & 1];
      tri_conv_run_hist(k, pc, &r->post_hist[i], y, ld, n, false);
    } else {
      tri_conv_run_hist(k, pc, &r->post_hist[i], out, ldout, n, false);
    }
  }
}

