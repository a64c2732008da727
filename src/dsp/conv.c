/* Dilated causal convolution and its history (spec §2.1, §4.2). Portable reference kernels: every loop runs over
   frames innermost so compilers vectorise it; the SIMD back ends specialise the same shapes. */
#include "dsp/conv.h"

#include <stdlib.h>
#include <string.h>

TriodeStatus
tri_conv_init(TriConv* c, TriLoadCtx* ctx, const char* path, int cin, int cout, int k, int dil, int groups,
              bool has_bias)
{
  memset(c, 0, sizeof *c);
  if (cin < 1 || cout < 1 || cin > TRI_MAX_CHANNELS || cout > TRI_MAX_CHANNELS)
    return tri_fail(ctx, cin < 1 || cout < 1 ? TRIODE_ERR_BAD_CONFIG : TRIODE_ERR_LIMIT, path,
                    "conv channels must be in [1, %d], found %d -> %d", TRI_MAX_CHANNELS, cin, cout);
  if (k < 1 || k > TRI_MAX_KERNEL)
    return tri_fail(ctx, k < 1 ? TRIODE_ERR_BAD_CONFIG : TRIODE_ERR_LIMIT, path,
                    "kernel size must be in [1, %d], found %d", TRI_MAX_KERNEL, k);
  if (dil < 1 || dil > TRI_MAX_DILATION)
    return tri_fail(ctx, dil < 1 ? TRIODE_ERR_BAD_CONFIG : TRIODE_ERR_LIMIT, path,
                    "dilation must be in [1, %d], found %d", TRI_MAX_DILATION, dil);
  if ((long)(k - 1) * dil > TRI_MAX_LOOKBACK)
    return tri_fail(ctx, TRIODE_ERR_LIMIT, path, "look-back (kernel-1)*dilation = %ld exceeds %ld",
                    (long)(k - 1) * dil, (long)TRI_MAX_LOOKBACK);
  if (groups < 1 || cin % groups != 0 || cout % groups != 0)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, path,
                    "groups must be >= 1 and divide both channel counts, found groups %d for %d -> %d", groups, cin,
                    cout);
  c->cin = cin;
  c->cout = cout;
  c->k = k;
  c->dil = dil;
  c->groups = groups;
  c->has_bias = has_bias;
  return tri_account_dense(ctx, path, (long)cin * cout * k);
}

TriodeStatus
tri_conv_alloc(TriConv* c)
{
  c->w = calloc((size_t)c->k * c->cout * c->cin, sizeof *c->w);
  if (c->has_bias) c->b = calloc((size_t)c->cout, sizeof *c->b);
  if (!c->w || (c->has_bias && !c->b)) return TRIODE_ERR_NO_MEMORY;
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_conv_read(TriConv* c, TriWeights* w)
{
  const int gi = c->cin / c->groups, go = c->cout / c->groups;
  if (w->counting) {
    TRI_TRY(tri_weights_take(w, NULL, (size_t)c->cout * gi * c->k));
    return tri_weights_take(w, NULL, c->has_bias ? (size_t)c->cout : 0);
  }
  if (tri_conv_alloc(c) != TRIODE_SUCCESS) return tri_fail(w->ctx, TRIODE_ERR_NO_MEMORY, w->path, "out of memory");
  for (int o = 0; o < c->cout; ++o) {
    const int g = o / go;
    for (int j = 0; j < gi; ++j)
      for (int t = 0; t < c->k; ++t) {
        float v;
        TRI_TRY(tri_weights_take1(w, &v));
        c->w[((long)t * c->cout + o) * c->cin + g * gi + j] = v;
      }
  }
  if (c->has_bias) TRI_TRY(tri_weights_take(w, c->b, (size_t)c->cout));
  if (tri_conv_pack(c) != TRIODE_SUCCESS) return tri_fail(w->ctx, TRIODE_ERR_NO_MEMORY, w->path, "out of memory");
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_conv_pack(TriConv* c)
{
  free(c->wt);
  const size_t J = (size_t)c->k * (size_t)c->cin;
  c->wt = malloc(J * (size_t)c->cout * sizeof *c->wt);
  if (!c->wt) return TRIODE_ERR_NO_MEMORY;
  for (int t = 0; t < c->k; ++t)
    for (int i = 0; i < c->cin; ++i)
      for (int o = 0; o < c->cout; ++o)
        c->wt[((size_t)t * c->cin + i) * c->cout + o] = c->w[((size_t)t * c->cout + o) * c->cin + i];
  return TRIODE_SUCCESS;
}

long
tri_conv_params(const TriConv* c)
{
  return (long)c->cout * (c->cin / c->groups) * c->k + (c->has_bias ? c->cout : 0);
}

double
tri_conv_macs(const TriConv* c)
{
  return (double)c->cout * (c->cin / c->groups) * c->k;
}

long
tri_conv_lookback(const TriConv* c)
{
  return (long)(c->k - 1) * c->dil;
}

TriodeStatus
tri_conv_slice(TriConv* dst, const TriConv* src, int cin, int cout)
{
  memset(dst, 0, sizeof *dst);
  if (src->groups != 1 || cin > src->cin || cout > src->cout || cin < 1 || cout < 1) return TRIODE_ERR_BAD_ARG;
  *dst = *src;
  dst->cin = cin;
  dst->cout = cout;
  dst->w = NULL;
  dst->b = NULL;
  dst->wt = NULL;
  TRI_TRY(tri_conv_alloc(dst));
  for (int t = 0; t < src->k; ++t)
    for (int o = 0; o < cout; ++o)
      memcpy(dst->w + ((long)t * cout + o) * cin, src->w + ((long)t * src->cout + o) * src->cin,
             (size_t)cin * sizeof *dst->w);
  if (src->has_bias) memcpy(dst->b, src->b, (size_t)cout * sizeof *dst->b);
  return tri_conv_pack(dst);
}

void
tri_conv_free(TriConv* c)
{
  if (!c) return;
  free(c->w);
  free(c->b);
  free(c->wt);
  c->w = c->b = c->wt = NULL;
}

/* ---- history ---------------------------------------------------------------------------------------------- */

TriodeStatus
tri_hist_init(TriHist* h, int ch, long lookback, int max_block)
{
  memset(h, 0, sizeof *h);
  h->ch = ch;
  h->lookback = lookback;
  /* Room for two look-backs plus a block, as the reference: the wrap copy then runs at most once per look-back. A
     short look-back would wrap every block or so (a copy call per channel for a few floats), so it gets slack for at
     least 256 frames between wraps whatever the block size (at block 16 this measured 2-3 % faster on the small
     models than slack of four blocks, for 35-140 KiB more per instance). */
  const long span = 256;
  h->cap = 2 * lookback + max_block + (lookback < span ? span - lookback : 0);
  h->data = calloc((size_t)ch * (size_t)h->cap, sizeof *h->data);
  if (!h->data) return TRIODE_ERR_NO_MEMORY;
  h->pos = lookback;
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_hist_resize(TriHist* h, int max_block)
{
  TriHist n;
  TRI_TRY(tri_hist_init(&n, h->ch, h->lookback, max_block));
  if (h->data) {
    const long end = h->pos + h->cur;
    for (int c = 0; c < h->ch; ++c)
      memcpy(n.data + (long)c * n.cap, h->data + (long)c * h->cap + end - h->lookback,
             (size_t)h->lookback * sizeof *n.data);
  }
  tri_hist_free(h);
  *h = n;
  return TRIODE_SUCCESS;
}

void
tri_hist_free(TriHist* h)
{
  if (!h) return;
  free(h->data);
  h->data = NULL;
}

size_t
tri_hist_bytes(const TriHist* h)
{
  return (size_t)h->ch * (size_t)h->cap * sizeof(float);
}

void
tri_hist_clear(TriHist* h)
{
  if (h->data) memset(h->data, 0, tri_hist_bytes(h));
  h->pos = h->lookback;
  h->cur = 0;
}

void
tri_hist_wrap(TriHist* h)
{
  for (int c = 0; c < h->ch; ++c) {
    float* row = h->data + (long)c * h->cap;
    memmove(row, row + h->pos - h->lookback, (size_t)h->lookback * sizeof *row);
  }
  h->pos = h->lookback;
}

void
tri_hist_push(TriHist* h, const float* src, int ld, int n)
{
  float* dst = tri_hist_advance(h, n);
  for (int c = 0; c < h->ch; ++c) memcpy(dst + (long)c * h->cap, src + (long)c * ld, (size_t)n * sizeof *src);
}

/* ---- compute through the dispatched kernels -------------------------------------------------------------- */

/* Row pointers are gathered in chunks so any conv size works without scratch memory. */
enum { ROWS_CHUNK = 256 };

void
tri_conv_run_hist(const TriKernels* k, const TriConv* c, const TriHist* h, float* out, int ld, int n, bool accumulate)
{
  const float* rows[ROWS_CHUNK];
  const int J = c->k * c->cin;
  int j0 = 0, m = 0;
  for (int tap = 0; tap < c->k; ++tap)
    for (int i = 0; i < c->cin; ++i) {
      rows[m++] = tri_hist_row(h, i) - (long)(c->k - 1 - tap) * c->dil;
      if (m == ROWS_CHUNK || j0 + m == J) {
        const TriGemm g = {c->wt + (size_t)j0 * c->cout, j0 == 0 ? c->b : NULL, c->cout, m};
        const bool acc = accumulate || j0 > 0;
        k->gemm(&g, rows, out, ld, n, acc ? out : NULL, ld);
        j0 += m;
        m = 0;
      }
    }
}

void
tri_conv1x1_run_add(const TriKernels* k, const TriConv* c, const float* in, int ldin, float* out, int ldout, int n,
                    const float* add, int ldadd)
{
  const float* rows[ROWS_CHUNK];
  for (int j0 = 0; j0 < c->cin; j0 += ROWS_CHUNK) {
    const int m = c->cin - j0 < ROWS_CHUNK ? c->cin - j0 : ROWS_CHUNK;
    for (int j = 0; j < m; ++j) rows[j] = in + (long)(j0 + j) * ldin;
    const TriGemm g = {c->wt + (size_t)j0 * c->cout, j0 == 0 ? c->b : NULL, c->cout, m};
    if (j0 == 0)
      k->gemm(&g, rows, out, ldout, n, add, ldadd);
    else
      k->gemm(&g, rows, out, ldout, n, out, ldout);
  }
}

void
tri_conv1x1_run(const TriKernels* k, const TriConv* c, const float* in, int ldin, float* out, int ldout, int n,
                bool accumulate)
{
  tri_conv1x1_run_add(k, c, in, ldin, out, ldout, n, accumulate ? out : NULL, ldout);
}

/* ---- reference compute ---------------------------------------------------------------------------------------------- */

void
tri_conv_apply_hist(const TriConv* c, const TriHist* h, float* out, int ld, int n)
{
  for (int o = 0; o < c->cout; ++o) {
    float* y = out + (long)o * ld;
    memset(y, 0, (size_t)n * sizeof *y);
    for (int t = 0; t < c->k; ++t) {
      const long back = (long)(c->k - 1 - t) * c->dil;
      const float* wr = c->w + ((long)t * c->cout + o) * c->cin;
      for (int i = 0; i < c->cin; ++i) {
        const float wv = wr[i];
        if (wv == 0.0f) continue; /* outside the group blocks */
        const float* x = tri_hist_row(h, i) - back;
        for (int f = 0; f < n; ++f) y[f] += wv * x[f];
      }
    }
    if (c->b) {
      const float bv = c->b[o];
      for (int f = 0; f < n; ++f) y[f] += bv;
    }
  }
}

void
tri_conv1x1_apply(const TriConv* c, const float* in, int ldin, float* out, int ldout, int n, bool accumulate)
{
  for (int o = 0; o < c->cout; ++o) {
    float* y = out + (long)o * ldout;
    float acc_buf[256];
    /* Accumulate W*x separately so "+=" callers add the finished product, as the reference does. */
    for (int f0 = 0; f0 < n; f0 += 256) {
      const int m = n - f0 < 256 ? n - f0 : 256;
      memset(acc_buf, 0, (size_t)m * sizeof *acc_buf);
      const float* wr = c->w + (long)o * c->cin;
      for (int i = 0; i < c->cin; ++i) {
        const float wv = wr[i];
        if (wv == 0.0f) continue;
        const float* x = in + (long)i * ldin + f0;
        for (int f = 0; f < m; ++f) acc_buf[f] += wv * x[f];
      }
      if (c->b) {
        const float bv = c->b[o];
        for (int f = 0; f < m; ++f) acc_buf[f] += bv;
      }
      if (accumulate)
        for (int f = 0; f < m; ++f) y[f0 + f] += acc_buf[f];
      else
        memcpy(y + f0, acc_buf, (size_t)m * sizeof *y);
    }
  }
}
