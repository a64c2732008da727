/* ConvNet model, spec §3.2: blocks of (K=2 dilated conv, optional batchnorm folded to scale+offset, activation),
   then a pointwise head. */
#include "models/convnet.h"
#include "core/node.h"
#include "dsp/activation.h"
#include "dsp/conv.h"
#include "format/json_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef TriConvBlock ConvBlock;
typedef TriConvNet ConvNet;

typedef struct {
  TriHist* hist; /* one per block */
  float* buf;    /* C x max_block */
  int max_block;
} ConvNetState;

static TriodeStatus
convnet_parse(TriLoadCtx* ctx, const cJSON* cfg, const char* path, TriNode* node)
{
  ConvNet* m = calloc(1, sizeof *m);
  if (!m) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  node->impl = m;
  long channels, groups, in, out;
  char p[TRI_PATH_MAX];
  TRI_TRY(tri_json_int(ctx, cfg, path, "channels", true, 0, 1, TRI_MAX_CHANNELS, &channels));
  TRI_TRY(tri_json_bool(ctx, cfg, path, "batchnorm", true, false, &m->batchnorm));
  TRI_TRY(tri_json_int(ctx, cfg, path, "groups", false, 1, 1, TRI_MAX_CHANNELS, &groups));
  TRI_TRY(tri_json_int(ctx, cfg, path, "in_channels", false, 1, 1, TRI_MAX_CHANNELS, &in));
  TRI_TRY(tri_json_int(ctx, cfg, path, "out_channels", false, 1, 1, TRI_MAX_CHANNELS, &out));
  const cJSON* act = cJSON_GetObjectItemCaseSensitive(cfg, "activation");
  if (!act) return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_key(p, sizeof p, path, "activation"), "required key is missing");
  TRI_TRY(tri_act_parse(ctx, act, tri_path_key(p, sizeof p, path, "activation"), &m->act));
  TRI_TRY(tri_act_check_rows(ctx, &m->act, p, (int)channels));
  const cJSON* dil = NULL;
  TRI_TRY(tri_json_array(ctx, cfg, path, "dilations", true, 1, TRI_MAX_LAYERS, &dil));
  int* d = NULL;
  int nd = 0;
  TRI_TRY(tri_json_int_list(ctx, dil, tri_path_key(p, sizeof p, path, "dilations"), 1, TRI_MAX_DILATION, -1,
                            TRI_MAX_LAYERS, &d, &nd));
  m->channels = (int)channels;
  m->blocks = calloc((size_t)nd, sizeof *m->blocks);
  if (!m->blocks) {
    free(d);
    return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  }
  m->nblocks = nd;
  TriodeStatus st = TRIODE_SUCCESS;
  for (int i = 0; i < nd && st == TRIODE_SUCCESS; ++i) {
    char q[TRI_PATH_MAX];
    tri_path_index(q, sizeof q, p, i);
    st = tri_conv_init(&m->blocks[i].conv, ctx, q, i == 0 ? (int)in : m->channels, m->channels, 2, d[i], (int)groups,
                       !m->batchnorm);
  }
  free(d);
  TRI_TRY(st);
  TRI_TRY(tri_conv_init(&m->head, ctx, path, m->channels, (int)out, 1, 1, 1, true));
  node->nin = (int)in;
  node->nout = (int)out;
  return TRIODE_SUCCESS;
}

static TriodeStatus
convnet_read(TriNode* node, TriWeights* w)
{
  ConvNet* m = node->impl;
  const size_t C = (size_t)m->channels;
  for (int i = 0; i < m->nblocks; ++i) {
    ConvBlock* b = &m->blocks[i];
    TRI_TRY(tri_conv_read(&b->conv, w));
    if (!m->batchnorm) continue;
    if (w->counting) {
      TRI_TRY(tri_weights_take(w, NULL, 4 * C + 1));
      continue;
    }
    float* bn = malloc((4 * C + 1) * sizeof *bn);
    b->scale = malloc(C * sizeof *b->scale);
    b->offset = malloc(C * sizeof *b->offset);
    if (!bn || !b->scale || !b->offset) {
      free(bn);
      return tri_fail(w->ctx, TRIODE_ERR_NO_MEMORY, w->path, "out of memory");
    }
    TriodeStatus st = tri_weights_take(w, bn, 4 * C + 1);
    const float* mean = bn;
    const float* var = bn + C;
    const float* gamma = bn + 2 * C;
    const float* beta = bn + 3 * C;
    const float eps = bn[4 * C];
    for (size_t c = 0; st == TRIODE_SUCCESS && c < C; ++c) {
      b->scale[c] = gamma[c] / sqrtf(eps + var[c]);
      b->offset[c] = beta[c] - b->scale[c] * mean[c];
      if (!isfinite(b->scale[c]) || !isfinite(b->offset[c]))
        st = tri_fail(w->ctx, TRIODE_ERR_BAD_WEIGHTS, w->path,
                      "batchnorm of block %d channel %zu is not finite (eps + running_var must be > 0)", i, c);
    }
    free(bn);
    TRI_TRY(st);
  }
  return tri_conv_read(&m->head, w);
}

static void
convnet_destroy(void* impl)
{
  ConvNet* m = impl;
  for (int i = 0; m->blocks && i < m->nblocks; ++i) {
    tri_conv_free(&m->blocks[i].conv);
    free(m->blocks[i].scale);
    free(m->blocks[i].offset);
  }
  free(m->blocks);
  tri_conv_free(&m->head);
  tri_act_free(&m->act);
  free(m);
}

static void
convnet_state_free(const TriNode* node, void* state)
{
  const ConvNet* m = node->impl;
  ConvNetState* s = state;
  if (!s) return;
  for (int i = 0; s->hist && i < m->nblocks; ++i) tri_hist_free(&s->hist[i]);
  free(s->hist);
  free(s->buf);
  free(s);
}

static TriodeStatus
convnet_state_new(const TriNode* node, void** state)
{
  const ConvNet* m = node->impl;
  ConvNetState* s = calloc(1, sizeof *s);
  if (!s) return TRIODE_ERR_NO_MEMORY;
  s->hist = calloc((size_t)m->nblocks, sizeof *s->hist);
  if (!s->hist) {
    free(s);
    return TRIODE_ERR_NO_MEMORY;
  }
  *state = s;
  return TRIODE_SUCCESS;
}

static TriodeStatus
convnet_state_resize(const TriNode* node, void* state, int max_block)
{
  const ConvNet* m = node->impl;
  ConvNetState* s = state;
  for (int i = 0; i < m->nblocks; ++i) {
    tri_hist_free(&s->hist[i]);
    TRI_TRY(tri_hist_init(&s->hist[i], m->blocks[i].conv.cin, tri_conv_lookback(&m->blocks[i].conv), max_block));
  }
  free(s->buf);
  s->buf = malloc((size_t)m->channels * (size_t)max_block * sizeof *s->buf);
  s->max_block = max_block;
  return s->buf ? TRIODE_SUCCESS : TRIODE_ERR_NO_MEMORY;
}

static void
convnet_state_clear(const TriNode* node, void* state)
{
  const ConvNet* m = node->impl;
  ConvNetState* s = state;
  for (int i = 0; i < m->nblocks; ++i) tri_hist_clear(&s->hist[i]);
}

static size_t
convnet_state_bytes(const TriNode* node, const void* state)
{
  const ConvNet* m = node->impl;
  const ConvNetState* s = state;
  size_t b = sizeof *s + (size_t)m->channels * (size_t)s->max_block * sizeof(float);
  for (int i = 0; i < m->nblocks; ++i) b += tri_hist_bytes(&s->hist[i]);
  return b;
}

static void
convnet_process(const TriNode* node, void* state, const TriKernels* k, const float* in, int ldin, float* out, int ldout, int n)
{
  const ConvNet* m = node->impl;
  ConvNetState* s = state;
  const int ld = n; /* scratch packed at stride n */
  const float* x = in;
  int ldx = ldin;
  for (int i = 0; i < m->nblocks; ++i) {
    const ConvBlock* b = &m->blocks[i];
    tri_hist_push(&s->hist[i], x, ldx, n); /* x is copied before buf is overwritten */
    tri_conv_run_hist(k, &b->conv, &s->hist[i], s->buf, ld, n, false);
    if (m->batchnorm)
      for (int c = 0; c < m->channels; ++c) {
        float* v = s->buf + (long)c * ld;
        for (int t = 0; t < n; ++t) v[t] = v[t] * b->scale[c] + b->offset[c];
      }
    tri_act_run(k, &m->act, s->buf, ld, m->channels, n);
    x = s->buf;
    ldx = ld;
  }
  tri_conv1x1_run(k, &m->head, x, ldx, out, ldout, n, false);
}

static long
convnet_prewarm(const TriNode* node, const void* state)
{
  (void)state;
  return node->ops->receptive_field(node);
}

static double
convnet_macs(const TriNode* node, const void* state)
{
  (void)state;
  const ConvNet* m = node->impl;
  double macs = tri_conv_macs(&m->head);
  for (int i = 0; i < m->nblocks; ++i) macs += tri_conv_macs(&m->blocks[i].conv);
  return macs;
}

static void
convnet_activations(const TriNode* node, const void* state, TriodeActivationCounts* counts)
{
  (void)state;
  const ConvNet* m = node->impl;
  tri_act_count(&m->act, (double)m->nblocks * m->channels, counts);
}

static long
convnet_rf(const TriNode* node)
{
  const ConvNet* m = node->impl;
  long rf = 1;
  for (int i = 0; i < m->nblocks; ++i) rf += m->blocks[i].conv.dil;
  return rf;
}

static void
convnet_describe(const TriNode* node, cJSON* obj)
{
  const ConvNet* m = node->impl;
  cJSON_AddNumberToObject(obj, "channels", m->channels);
  cJSON_AddNumberToObject(obj, "blocks", m->nblocks);
  cJSON_AddBoolToObject(obj, "batchnorm", m->batchnorm);
  cJSON_AddStringToObject(obj, "activation", tri_act_name(&m->act));
  cJSON* d = cJSON_AddArrayToObject(obj, "dilations");
  for (int i = 0; d && i < m->nblocks; ++i) cJSON_AddItemToArray(d, cJSON_CreateNumber(m->blocks[i].conv.dil));
}

const TriArchOps tri_arch_convnet = {
  .name = "ConvNet",
  .parse = convnet_parse,
  .read_weights = convnet_read,
  .destroy = convnet_destroy,
  .state_new = convnet_state_new,
  .state_free = convnet_state_free,
  .state_resize = convnet_state_resize,
  .state_clear = convnet_state_clear,
  .state_restart = convnet_state_clear,
  .state_bytes = convnet_state_bytes,
  .process = convnet_process,
  .prewarm_samples = convnet_prewarm,
  .receptive_field = convnet_rf,
  .macs = convnet_macs,
  .activations = convnet_activations,
  .describe = convnet_describe,
};
