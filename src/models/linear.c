/* Linear (FIR) model, spec §3.1: y[t] = bias + sum_k h[k] x[t-k], h[0] on the current sample. Every channel
   min(in, out) is filtered with the same taps; further output channels are zero. */
#include "models/linear.h"
#include "core/node.h"
#include "dsp/conv.h"
#include "format/json_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef TriLinear Linear;

typedef struct {
  TriHist hist; /* min(in, out) channels, look-back taps - 1 */
} LinearState;

static TriodeStatus
linear_parse(TriLoadCtx* ctx, const cJSON* cfg, const char* path, TriNode* node)
{
  Linear* m = calloc(1, sizeof *m);
  if (!m) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  node->impl = m;
  long r, in, out;
  TRI_TRY(tri_json_int(ctx, cfg, path, "receptive_field", true, 0, 1, TRI_MAX_LINEAR_TAPS, &r));
  TRI_TRY(tri_json_bool(ctx, cfg, path, "bias", true, false, &m->has_bias));
  TRI_TRY(tri_json_int(ctx, cfg, path, "in_channels", false, 1, 1, TRI_MAX_CHANNELS, &in));
  TRI_TRY(tri_json_int(ctx, cfg, path, "out_channels", false, 1, 1, TRI_MAX_CHANNELS, &out));
  const cJSON* impl = cJSON_GetObjectItemCaseSensitive(cfg, "implementation");
  snprintf(m->implementation, sizeof m->implementation, "auto");
  if (impl) {
    static const char* const names[] = {"auto", "direct", "legacy", "old", "fft", "partitioned_fft", "partitioned-fft"};
    char p[TRI_PATH_MAX];
    tri_path_key(p, sizeof p, path, "implementation");
    bool ok = false;
    for (size_t i = 0; cJSON_IsString(impl) && i < sizeof names / sizeof names[0]; ++i)
      ok = ok || strcasecmp(impl->valuestring, names[i]) == 0;
    if (!ok)
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected auto, direct or fft, found %s",
                      cJSON_IsString(impl) ? impl->valuestring : tri_json_type(impl));
    snprintf(m->implementation, sizeof m->implementation, "%s", impl->valuestring);
  }
  m->taps = (int)r;
  node->nin = (int)in;
  node->nout = (int)out;
  return TRIODE_SUCCESS;
}

static TriodeStatus
linear_read(TriNode* node, TriWeights* w)
{
  Linear* m = node->impl;
  if (!w->counting) {
    m->h = malloc((size_t)m->taps * sizeof *m->h);
    if (!m->h) return tri_fail(w->ctx, TRIODE_ERR_NO_MEMORY, w->path, "out of memory");
  }
  TRI_TRY(tri_weights_take(w, m->h, (size_t)m->taps));
  return m->has_bias ? tri_weights_take1(w, &m->bias) : TRIODE_SUCCESS;
}

static void
linear_destroy(void* impl)
{
  Linear* m = impl;
  free(m->h);
  free(m);
}

static int
linear_channels(const TriNode* node)
{
  return node->nin < node->nout ? node->nin : node->nout;
}

static TriodeStatus
linear_state_new(const TriNode* node, void** state)
{
  (void)node;
  *state = calloc(1, sizeof(LinearState));
  return *state ? TRIODE_SUCCESS : TRIODE_ERR_NO_MEMORY;
}

static void
linear_state_free(const TriNode* node, void* state)
{
  (void)node;
  LinearState* s = state;
  tri_hist_free(&s->hist);
  free(s);
}

static TriodeStatus
linear_state_resize(const TriNode* node, void* state, int max_block)
{
  LinearState* s = state;
  const Linear* m = node->impl;
  if (!s->hist.data) return tri_hist_init(&s->hist, linear_channels(node), m->taps - 1, max_block);
  return tri_hist_resize(&s->hist, max_block);
}

static void
linear_state_clear(const TriNode* node, void* state)
{
  (void)node; /* the reference keeps the direct-path history across Reset() */
  (void)state;
}

static void
linear_state_restart(const TriNode* node, void* state)
{
  (void)node;
  tri_hist_clear(&((LinearState*)state)->hist);
}

static size_t
linear_state_bytes(const TriNode* node, const void* state)
{
  (void)node;
  return sizeof(LinearState) + tri_hist_bytes(&((const LinearState*)state)->hist);
}

static void
linear_process(const TriNode* node, void* state, const TriKernels* k, const float* in, int ldin, float* out, int ldout, int n)
{
  const Linear* m = node->impl;
  LinearState* s = state;
  const int ch = linear_channels(node);
  tri_hist_push(&s->hist, in, ldin, n);
  /* One output row whose inputs are the history shifted by each tap: the FIR is a 1-row product. */
  enum { CHUNK = 256 };
  const float* rows[CHUNK];
  for (int c = 0; c < ch; ++c) {
    const float* x = tri_hist_row(&s->hist, c);
    float* y = out + (long)c * ldout;
    for (int j0 = 0; j0 < m->taps; j0 += CHUNK) {
      const int cnt = m->taps - j0 < CHUNK ? m->taps - j0 : CHUNK;
      for (int j = 0; j < cnt; ++j) rows[j] = x - (j0 + j);
      const TriGemm g = {m->h + j0, j0 == 0 && m->has_bias ? &m->bias : NULL, 1, cnt};
      k->gemm(&g, rows, y, ldout, n, j0 > 0 ? y : NULL, ldout);
    }
  }
  for (int c = ch; c < node->nout; ++c) memset(out + (long)c * ldout, 0, (size_t)n * sizeof *out);
}

static long
linear_prewarm(const TriNode* node, const void* state)
{
  (void)node;
  (void)state;
  return 0;
}

static long
linear_rf(const TriNode* node)
{
  return ((const Linear*)node->impl)->taps;
}

static double
linear_macs(const TriNode* node, const void* state)
{
  (void)state;
  return ((const Linear*)node->impl)->taps;
}

static void
linear_activations(const TriNode* node, const void* state, TriodeActivationCounts* counts)
{
  (void)node;
  (void)state;
  (void)counts; /* an FIR: none */
}

static void
linear_describe(const TriNode* node, cJSON* obj)
{
  const Linear* m = node->impl;
  cJSON_AddNumberToObject(obj, "taps", m->taps);
  cJSON_AddBoolToObject(obj, "bias", m->has_bias);
  cJSON_AddStringToObject(obj, "implementation", m->implementation);
}

const TriArchOps tri_arch_linear = {
  .name = "Linear",
  .parse = linear_parse,
  .read_weights = linear_read,
  .destroy = linear_destroy,
  .state_new = linear_state_new,
  .state_free = linear_state_free,
  .state_resize = linear_state_resize,
  .state_clear = linear_state_clear,
  .state_restart = linear_state_restart,
  .state_bytes = linear_state_bytes,
  .process = linear_process,
  .prewarm_samples = linear_prewarm,
  .receptive_field = linear_rf,
  .macs = linear_macs,
  .activations = linear_activations,
  .describe = linear_describe,
};
