/* Sequential (spec §3.8): complete child models run in series, each child's outputs feeding the next child's
   inputs. Prewarm feeds enough zeros for every child to settle in turn (the sum of their counts). */
#include "core/node.h"
#include "format/json_util.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
  int n;
  TriNode** models;
  int maxch; /* widest intermediate signal */
} Sequential;

typedef struct {
  TriState* children;
  float* buf[2];
  int ld;
} SequentialState;

TriodeStatus tri_check_rate(TriLoadCtx* ctx, const char* path, const TriNode* child, const TriNode* parent);

static TriodeStatus
sequential_parse(TriLoadCtx* ctx, const cJSON* cfg, const char* path, TriNode* node)
{
  Sequential* m = calloc(1, sizeof *m);
  if (!m) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  node->impl = m;
  const cJSON* models = NULL;
  TRI_TRY(tri_json_array(ctx, cfg, path, "models", true, 1, TRI_MAX_LAYERS, &models));
  m->models = calloc((size_t)cJSON_GetArraySize(models), sizeof *m->models);
  if (!m->models) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  m->maxch = 1;
  const cJSON* e;
  cJSON_ArrayForEach(e, models)
  {
    char p[TRI_PATH_MAX];
    snprintf(p, sizeof p, "%s.models[%d]", path, m->n);
    TRI_TRY(tri_node_parse(ctx, e, p, &m->models[m->n]));
    const TriNode* child = m->models[m->n++];
    node->params += child->params;
    TRI_TRY(tri_check_rate(ctx, p, child, node));
    if (m->n > 1 && child->nin != m->models[m->n - 2]->nout)
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "has %d inputs but the previous model has %d outputs", child->nin,
                      m->models[m->n - 2]->nout);
    if (child->nout > m->maxch) m->maxch = child->nout;
  }
  node->nin = m->models[0]->nin;
  node->nout = m->models[m->n - 1]->nout;
  return TRIODE_SUCCESS;
}

static TriodeStatus
sequential_read(TriNode* node, TriWeights* w)
{
  (void)node; /* children carry their own weights */
  (void)w;
  return TRIODE_SUCCESS;
}

static void
sequential_destroy(void* impl)
{
  Sequential* m = impl;
  for (int i = 0; m->models && i < m->n; ++i) tri_node_free(m->models[i]);
  free(m->models);
  free(m);
}

static void
sequential_state_free(const TriNode* node, void* state)
{
  const Sequential* m = node->impl;
  SequentialState* s = state;
  if (!s) return;
  for (int i = 0; s->children && i < m->n; ++i) tri_state_free(&s->children[i]);
  free(s->children);
  free(s->buf[0]);
  free(s->buf[1]);
  free(s);
}

static TriodeStatus
sequential_state_new(const TriNode* node, void** state)
{
  const Sequential* m = node->impl;
  SequentialState* s = calloc(1, sizeof *s);
  if (!s) return TRIODE_ERR_NO_MEMORY;
  s->children = calloc((size_t)m->n, sizeof *s->children);
  TriodeStatus st = s->children ? TRIODE_SUCCESS : TRIODE_ERR_NO_MEMORY;
  for (int i = 0; st == TRIODE_SUCCESS && i < m->n; ++i) st = tri_state_new(m->models[i], &s->children[i]);
  if (st != TRIODE_SUCCESS) {
    sequential_state_free(node, s);
    return st;
  }
  *state = s;
  return TRIODE_SUCCESS;
}

static TriodeStatus
sequential_state_resize(const TriNode* node, void* state, int max_block)
{
  const Sequential* m = node->impl;
  SequentialState* s = state;
  for (int i = 0; i < m->n; ++i) TRI_TRY(m->models[i]->ops->state_resize(m->models[i], s->children[i].impl, max_block));
  for (int b = 0; b < 2; ++b) {
    free(s->buf[b]);
    s->buf[b] = calloc((size_t)m->maxch * (size_t)max_block, sizeof(float));
    if (!s->buf[b]) return TRIODE_ERR_NO_MEMORY;
  }
  s->ld = max_block;
  return TRIODE_SUCCESS;
}

static void
sequential_state_clear(const TriNode* node, void* state)
{
  const Sequential* m = node->impl;
  SequentialState* s = state;
  for (int i = 0; i < m->n; ++i) m->models[i]->ops->state_clear(m->models[i], s->children[i].impl);
}

static void
sequential_state_restart(const TriNode* node, void* state)
{
  const Sequential* m = node->impl;
  SequentialState* s = state;
  for (int i = 0; i < m->n; ++i) m->models[i]->ops->state_restart(m->models[i], s->children[i].impl);
}

static size_t
sequential_state_bytes(const TriNode* node, const void* state)
{
  const Sequential* m = node->impl;
  const SequentialState* s = state;
  size_t b = sizeof *s + 2 * (size_t)m->maxch * (size_t)s->ld * sizeof(float);
  for (int i = 0; i < m->n; ++i) b += m->models[i]->ops->state_bytes(m->models[i], s->children[i].impl);
  return b;
}

static void
sequential_process(const TriNode* node, void* state, const TriKernels* k, const float* in, int ldin, float* out, int ldout, int n)
{
  const Sequential* m = node->impl;
  SequentialState* s = state;
  const float* x = in;
  int ldx = ldin;
  for (int i = 0; i < m->n; ++i) {
    const TriNode* c = m->models[i];
    const bool last = i == m->n - 1;
    float* y = last ? out : s->buf[i & 1]; /* alternate so a child never reads and writes one buffer */
    c->ops->process(c, s->children[i].impl, k, x, ldx, y, last ? ldout : n, n);
    x = y;
    ldx = n;
  }
}

static long
sequential_prewarm(const TriNode* node, const void* state)
{
  const Sequential* m = node->impl;
  const SequentialState* s = state;
  long p = 0;
  for (int i = 0; i < m->n; ++i) p += m->models[i]->ops->prewarm_samples(m->models[i], s ? s->children[i].impl : NULL);
  return p;
}

static double
sequential_macs(const TriNode* node, const void* state)
{
  const Sequential* m = node->impl;
  const SequentialState* s = state;
  double macs = 0.0;
  for (int i = 0; i < m->n; ++i) macs += m->models[i]->ops->macs(m->models[i], s ? s->children[i].impl : NULL);
  return macs;
}

static void
sequential_activations(const TriNode* node, const void* state, TriodeActivationCounts* counts)
{
  const Sequential* m = node->impl;
  const SequentialState* s = state;
  for (int i = 0; i < m->n; ++i) m->models[i]->ops->activations(m->models[i], s ? s->children[i].impl : NULL, counts);
}

static long
sequential_rf(const TriNode* node)
{
  const Sequential* m = node->impl;
  long rf = 1;
  for (int i = 0; i < m->n; ++i) rf += m->models[i]->ops->receptive_field(m->models[i]) - 1;
  return rf;
}

void tri_describe_child(cJSON* obj, const char* key, const TriNode* child);

static void
sequential_describe(const TriNode* node, cJSON* obj)
{
  const Sequential* m = node->impl;
  cJSON* arr = cJSON_AddArrayToObject(obj, "models");
  for (int i = 0; arr && i < m->n; ++i) {
    cJSON* o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddItemToArray(arr, o);
    tri_describe_child(o, "model", m->models[i]);
  }
}

const TriArchOps tri_arch_sequential = {
  .name = "Sequential",
  .parse = sequential_parse,
  .read_weights = sequential_read,
  .destroy = sequential_destroy,
  .state_new = sequential_state_new,
  .state_free = sequential_state_free,
  .state_resize = sequential_state_resize,
  .state_clear = sequential_state_clear,
  .state_restart = sequential_state_restart,
  .state_bytes = sequential_state_bytes,
  .process = sequential_process,
  .prewarm_samples = sequential_prewarm,
  .receptive_field = sequential_rf,
  .macs = sequential_macs,
  .activations = sequential_activations,
  .describe = sequential_describe,
};
