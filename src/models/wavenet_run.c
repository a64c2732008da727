/* WaveNet streaming (spec §3.4.5-3.4.7): per-instance histories and block buffers, and the block forward pass. */
#include "models/wavenet.h"

#include <stdlib.h>
#include <string.h>

/* Buffers and histories for one plan at one block size. */
typedef struct {
  int ld;
  TriHist* hist;      /* one per layer, all arrays in order */
  TriHist* head_hist; /* one per array */
  TriHist* post_hist; /* one per post-stack conv */
  TriState cond;
  float *c, *x[2], *xp, *z, *v, *cp, *r, *h, *S, *hout[2], *film, *post[2];
  size_t bytes;
} WnRun;

typedef struct {
  WaveNet* slim;       /* owned slimmed plan, or NULL at full size */
  const WaveNet* plan; /* active plan */
  WnRun* run;
} WnState;

static int
imax(int a, int b)
{
  return a > b ? a : b;
}

static void
run_free(const WaveNet* wn, WnRun* r)
{
  if (!r) return;
  int nl = 0;
  for (int i = 0; i < wn->narrays; ++i) nl += wn->arrays[i].nlayers;
  for (int i = 0; r->hist && i < nl; ++i) tri_hist_free(&r->hist[i]);
  for (int i = 0; r->head_hist && i < wn->narrays; ++i) tri_hist_free(&r->head_hist[i]);
  for (int i = 0; r->post_hist && i < wn->npost; ++i) tri_hist_free(&r->post_hist[i]);
  free(r->hist);
  free(r->head_hist);
  free(r->post_hist);
  tri_state_free(&r->cond);
  float* bufs[] = {r->c, r->x[0], r->x[1], r->xp, r->z, r->v, r->cp, r->r, r->h, r->S, r->hout[0], r->hout[1],
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

static TriodeStatus
run_new(const WaveNet* wn, int max_block, WnRun** out)
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
  if (ok && wn->cond) {
    ok = tri_state_new(wn->cond, &r->cond) == TRIODE_SUCCESS &&
         wn->cond->ops->state_resize(wn->cond, r->cond.impl, max_block) == TRIODE_SUCCESS;
    if (ok) r->bytes += wn->cond->ops->state_bytes(wn->cond, r->cond.impl);
  }
  if (ok) {
    r->c = buf(r, wn->dc, &ok);
    r->x[0] = buf(r, cmax, &ok);
    r->x[1] = buf(r, cmax, &ok);
    r->xp = buf(r, cmax, &ok);
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
    run_free(wn, r);
    return TRIODE_ERR_NO_MEMORY;
  }
  *out = r;
  return TRIODE_SUCCESS;
}

static void
run_clear(const WaveNet* wn, WnRun* r, bool restart)
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
    const float* rows[256];
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

static void
wn_forward(const WaveNet* wn, WnRun* r, const TriKernels* k, const float* in, int ldin, float* out, int ldout, int n)
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
      layer_process(k, a, &a->layers[l], &r->hist[li], r, x, next, c, ldc, n);
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

/* ---- node operations ---------------------------------------------------------------------------------------- */

static void
wavenet_destroy(void* impl)
{
  tri_wn_free(impl);
}

static void
wavenet_state_free(const TriNode* node, void* state)
{
  (void)node;
  WnState* s = state;
  if (!s) return;
  run_free(s->plan, s->run);
  tri_wn_free(s->slim);
  free(s);
}

static TriodeStatus
wavenet_state_new(const TriNode* node, void** state)
{
  WnState* s = calloc(1, sizeof *s);
  if (!s) return TRIODE_ERR_NO_MEMORY;
  s->plan = node->impl;
  *state = s;
  return TRIODE_SUCCESS;
}

static TriodeStatus
wavenet_state_resize(const TriNode* node, void* state, int max_block)
{
  (void)node;
  WnState* s = state;
  WnRun* r = NULL;
  TRI_TRY(run_new(s->plan, max_block, &r));
  if (r->bytes > (size_t)TRI_MAX_STATE_BYTES) {
    run_free(s->plan, r);
    return TRIODE_ERR_LIMIT;
  }
  run_free(s->plan, s->run);
  s->run = r;
  return TRIODE_SUCCESS;
}

static void
wavenet_state_clear(const TriNode* node, void* state)
{
  (void)node;
  WnState* s = state;
  run_clear(s->plan, s->run, false);
}

static void
wavenet_state_restart(const TriNode* node, void* state)
{
  (void)node;
  WnState* s = state;
  run_clear(s->plan, s->run, true);
}

static size_t
wavenet_state_bytes(const TriNode* node, const void* state)
{
  (void)node;
  const WnState* s = state;
  return sizeof *s + (s->run ? sizeof *s->run + s->run->bytes : 0);
}

static void
wavenet_process(const TriNode* node, void* state, const TriKernels* k, const float* in, int ldin, float* out, int ldout, int n)
{
  (void)node;
  WnState* s = state;
  wn_forward(s->plan, s->run, k, in, ldin, out, ldout, n);
}

static long
wavenet_prewarm(const TriNode* node, const void* state)
{
  const WnState* s = state;
  return tri_wn_prewarm(s ? s->plan : node->impl);
}

static long
wavenet_rf(const TriNode* node)
{
  return tri_wn_rf(node->impl);
}

static TriodeStatus
wavenet_set_slim(const TriNode* node, void* state, const TriKernels* k, double value, int max_block, bool prewarm)
{
  const WaveNet* full = node->impl;
  if (!full->slimmable) return TRIODE_FAILURE;
  WnState* s = state;
  WaveNet* slim = NULL;
  TRI_TRY(tri_wn_slim(full, value, &slim));
  const WaveNet* plan = slim ? slim : full;
  WnRun* r = NULL;
  TriodeStatus st = run_new(plan, max_block, &r);
  if (st != TRIODE_SUCCESS) {
    tri_wn_free(slim);
    return st;
  }
  /* State is not carried over between sizes (§3.5). */
  run_free(s->plan, s->run);
  tri_wn_free(s->slim);
  s->slim = slim;
  s->plan = plan;
  s->run = r;
  return prewarm ? tri_node_prewarm(node, s, k, max_block) : TRIODE_SUCCESS;
}

static int
wavenet_breakpoints(const TriNode* node, double* points, int capacity)
{
  return tri_wn_breakpoints(node->impl, points, capacity);
}

static void
describe_conv(cJSON* obj, const char* key, const TriConv* c)
{
  cJSON* o = cJSON_AddObjectToObject(obj, key);
  if (!o) return;
  cJSON_AddNumberToObject(o, "in", c->cin);
  cJSON_AddNumberToObject(o, "out", c->cout);
  cJSON_AddNumberToObject(o, "kernel", c->k);
  cJSON_AddNumberToObject(o, "dilation", c->dil);
  if (c->groups != 1) cJSON_AddNumberToObject(o, "groups", c->groups);
}

static void
wavenet_describe(const TriNode* node, cJSON* obj)
{
  const WaveNet* wn = node->impl;
  static const char* const gating[] = {"none", "gated", "blended"};
  cJSON_AddNumberToObject(obj, "head_scale", wn->head_scale);
  cJSON* arrays = cJSON_AddArrayToObject(obj, "layer_arrays");
  for (int i = 0; arrays && i < wn->narrays; ++i) {
    const WnArray* a = &wn->arrays[i];
    cJSON* o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddItemToArray(arrays, o);
    cJSON_AddNumberToObject(o, "input_size", a->in_size);
    cJSON_AddNumberToObject(o, "condition_size", a->dc);
    cJSON_AddNumberToObject(o, "channels", a->C);
    cJSON_AddNumberToObject(o, "bottleneck", a->B);
    cJSON_AddNumberToObject(o, "head_size", a->head_size);
    cJSON_AddBoolToObject(o, "layer1x1", a->l1x1);
    cJSON_AddBoolToObject(o, "head1x1", a->h1x1);
    cJSON_AddNumberToObject(o, "receptive_field", tri_wn_array_rf(a));
    if (a->allowed) {
      cJSON* al = cJSON_AddArrayToObject(o, "slimmable_channels");
      for (int j = 0; al && j < a->nallowed; ++j) cJSON_AddItemToArray(al, cJSON_CreateNumber(a->allowed[j]));
    }
    cJSON* layers = cJSON_AddArrayToObject(o, "layers");
    for (int l = 0; layers && l < a->nlayers; ++l) {
      const WnLayer* L = &a->layers[l];
      cJSON* lo = cJSON_CreateObject();
      if (!lo) break;
      cJSON_AddItemToArray(layers, lo);
      cJSON_AddNumberToObject(lo, "kernel", L->conv.k);
      cJSON_AddNumberToObject(lo, "dilation", L->conv.dil);
      cJSON_AddStringToObject(lo, "activation", tri_act_name(&L->act));
      cJSON_AddStringToObject(lo, "gating", gating[L->gating]);
      if (L->gating != TRI_GATE_NONE) cJSON_AddStringToObject(lo, "secondary_activation", tri_act_name(&L->act2));
      cJSON* films = NULL;
      for (int f = 0; f < WN_FILM_COUNT; ++f) {
        if (!L->film[f].active) continue;
        if (!films) films = cJSON_AddArrayToObject(lo, "films");
        if (films) cJSON_AddItemToArray(films, cJSON_CreateString(tri_wn_film_keys[f]));
      }
    }
    describe_conv(o, "head", &a->head);
  }
  if (wn->npost > 0) {
    cJSON* ph = cJSON_AddObjectToObject(obj, "post_head");
    if (ph) {
      cJSON_AddStringToObject(ph, "activation", tri_act_name(&wn->post_act));
      cJSON* convs = cJSON_AddArrayToObject(ph, "convs");
      for (int i = 0; convs && i < wn->npost; ++i) {
        cJSON* co = cJSON_CreateObject();
        if (!co) break;
        cJSON_AddItemToArray(convs, co);
        describe_conv(co, "conv", &wn->post[i]);
      }
    }
  }
}

/* Declared by describe.c: adds a nested node's description under `key`. */
void tri_describe_child(cJSON* obj, const char* key, const TriNode* child);

static void
wavenet_describe_all(const TriNode* node, cJSON* obj)
{
  const WaveNet* wn = node->impl;
  wavenet_describe(node, obj);
  if (wn->cond) tri_describe_child(obj, "condition_dsp", wn->cond);
}

const TriArchOps tri_arch_wavenet = {
  .name = "WaveNet",
  .parse = tri_wn_parse_node,
  .read_weights = tri_wn_read_node,
  .destroy = wavenet_destroy,
  .state_new = wavenet_state_new,
  .state_free = wavenet_state_free,
  .state_resize = wavenet_state_resize,
  .state_clear = wavenet_state_clear,
  .state_restart = wavenet_state_restart,
  .state_bytes = wavenet_state_bytes,
  .process = wavenet_process,
  .prewarm_samples = wavenet_prewarm,
  .receptive_field = wavenet_rf,
  .set_slim = wavenet_set_slim,
  .slim_breakpoints = wavenet_breakpoints,
  .describe = wavenet_describe_all,
};
