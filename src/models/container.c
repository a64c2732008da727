/* SlimmableContainer (spec §3.6): submodels of increasing size; the slim value picks the first whose
   max_value exceeds it. Every submodel has its own state, so switching allocates nothing. */
#include "models/container.h"
#include "core/node.h"
#include "format/json_util.h"

#include <stdio.h>
#include <stdlib.h>

typedef TriContainer Container;

typedef struct {
  TriState* children;
  int active;
} ContainerState;

/* Shared by Sequential: rates must agree unless one of them is unknown. */
TriodeStatus tri_check_rate(TriLoadCtx* ctx, const char* path, const TriNode* child, const TriNode* parent);

TriodeStatus
tri_check_rate(TriLoadCtx* ctx, const char* path, const TriNode* child, const TriNode* parent)
{
  if (child->sample_rate > 0 && parent->sample_rate > 0 && child->sample_rate != parent->sample_rate)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, path, "sample rate %g differs from the container's %g",
                    child->sample_rate, parent->sample_rate);
  return TRIODE_SUCCESS;
}

static TriodeStatus
container_parse(TriLoadCtx* ctx, const cJSON* cfg, const char* path, TriNode* node)
{
  Container* m = calloc(1, sizeof *m);
  if (!m) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  node->impl = m;
  const cJSON* subs = NULL;
  TRI_TRY(tri_json_array(ctx, cfg, path, "submodels", true, 1, TRI_MAX_LAYERS, &subs));
  const int n = cJSON_GetArraySize(subs);
  m->max_value = calloc((size_t)n, sizeof *m->max_value);
  m->models = calloc((size_t)n, sizeof *m->models);
  if (!m->max_value || !m->models) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  const cJSON* e;
  cJSON_ArrayForEach(e, subs)
  {
    char p[TRI_PATH_MAX], q[TRI_PATH_MAX];
    snprintf(p, sizeof p, "%s.submodels[%d]", path, m->n);
    if (!cJSON_IsObject(e))
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected an object {max_value, model}, found %s", tri_json_type(e));
    double mv;
    TRI_TRY(tri_json_number(ctx, e, p, "max_value", true, 0.0, &mv));
    if (m->n > 0 && !(mv > m->max_value[m->n - 1]))
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_key(q, sizeof q, p, "max_value"),
                      "max_value must be strictly increasing (%g after %g)", mv, m->max_value[m->n - 1]);
    const cJSON* model = NULL;
    TRI_TRY(tri_json_object(ctx, e, p, "model", true, &model));
    TRI_TRY(tri_node_parse(ctx, model, tri_path_key(q, sizeof q, p, "model"), &m->models[m->n]));
    m->max_value[m->n] = mv;
    const TriNode* child = m->models[m->n++];
    node->params += child->params;
    TRI_TRY(tri_check_rate(ctx, q, child, node));
    if (child->nin != 1 || child->nout != 1)
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, q, "submodels must have 1 input and 1 output, found %d -> %d",
                      child->nin, child->nout);
  }
  if (m->max_value[m->n - 1] < 1.0)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, path, "the last submodel's max_value must be >= 1.0, found %g",
                    m->max_value[m->n - 1]);
  node->nin = 1;
  node->nout = 1;
  return TRIODE_SUCCESS;
}

static TriodeStatus
container_read(TriNode* node, TriWeights* w)
{
  (void)node; /* the container's own weight list must be empty: every weight belongs to a submodel */
  (void)w;
  return TRIODE_SUCCESS;
}

static void
container_destroy(void* impl)
{
  Container* m = impl;
  for (int i = 0; m->models && i < m->n; ++i) tri_node_free(m->models[i]);
  free(m->models);
  free(m->max_value);
  free(m);
}

static void
container_state_free(const TriNode* node, void* state)
{
  const Container* m = node->impl;
  ContainerState* s = state;
  if (!s) return;
  for (int i = 0; s->children && i < m->n; ++i) tri_state_free(&s->children[i]);
  free(s->children);
  free(s);
}

static TriodeStatus
container_state_new(const TriNode* node, void** state)
{
  const Container* m = node->impl;
  ContainerState* s = calloc(1, sizeof *s);
  if (!s) return TRIODE_ERR_NO_MEMORY;
  s->children = calloc((size_t)m->n, sizeof *s->children);
  s->active = m->n - 1; /* full size by default */
  TriodeStatus st = s->children ? TRIODE_SUCCESS : TRIODE_ERR_NO_MEMORY;
  for (int i = 0; st == TRIODE_SUCCESS && i < m->n; ++i) st = tri_state_new(m->models[i], &s->children[i]);
  if (st != TRIODE_SUCCESS) {
    container_state_free(node, s);
    return st;
  }
  *state = s;
  return TRIODE_SUCCESS;
}

static TriodeStatus
container_state_resize(const TriNode* node, void* state, int max_block)
{
  const Container* m = node->impl;
  ContainerState* s = state;
  for (int i = 0; i < m->n; ++i) TRI_TRY(m->models[i]->ops->state_resize(m->models[i], s->children[i].impl, max_block));
  return TRIODE_SUCCESS;
}

static void
container_state_clear(const TriNode* node, void* state)
{
  const Container* m = node->impl;
  ContainerState* s = state; /* only the active submodel, like the reference */
  m->models[s->active]->ops->state_clear(m->models[s->active], s->children[s->active].impl);
}

static void
container_state_restart(const TriNode* node, void* state)
{
  const Container* m = node->impl;
  ContainerState* s = state;
  for (int i = 0; i < m->n; ++i) m->models[i]->ops->state_restart(m->models[i], s->children[i].impl);
}

static size_t
container_state_bytes(const TriNode* node, const void* state)
{
  const Container* m = node->impl;
  const ContainerState* s = state;
  size_t b = sizeof *s;
  for (int i = 0; i < m->n; ++i) b += m->models[i]->ops->state_bytes(m->models[i], s->children[i].impl);
  return b;
}

static void
container_process(const TriNode* node, void* state, const TriKernels* k, const float* in, int ldin, float* out, int ldout, int n)
{
  const Container* m = node->impl;
  ContainerState* s = state;
  const TriNode* c = m->models[s->active];
  c->ops->process(c, s->children[s->active].impl, k, in, ldin, out, ldout, n);
}

/* The submodel that runs and its state: the active one, or without a state the full-size one (state NULL). */
static const TriNode*
active_child(const TriNode* node, const void* state, const void** child_state)
{
  const Container* m = node->impl;
  const ContainerState* s = state;
  const int i = s ? s->active : m->n - 1;
  *child_state = s ? s->children[i].impl : NULL;
  return m->models[i];
}

static long
container_prewarm(const TriNode* node, const void* state)
{
  const void* cs;
  const TriNode* c = active_child(node, state, &cs);
  return c->ops->prewarm_samples(c, cs);
}

static double
container_macs(const TriNode* node, const void* state)
{
  const void* cs;
  const TriNode* c = active_child(node, state, &cs);
  return c->ops->macs(c, cs);
}

static void
container_activations(const TriNode* node, const void* state, TriodeActivationCounts* counts)
{
  const void* cs;
  const TriNode* c = active_child(node, state, &cs);
  c->ops->activations(c, cs, counts);
}

static long
container_rf(const TriNode* node)
{
  const Container* m = node->impl;
  return m->models[m->n - 1]->ops->receptive_field(m->models[m->n - 1]);
}

static TriodeStatus
container_set_slim(const TriNode* node, void* state, const TriKernels* k, double value, int max_block, bool prewarm)
{
  const Container* m = node->impl;
  ContainerState* s = state;
  int i = 0;
  while (i < m->n - 1 && !(value < m->max_value[i])) ++i;
  if (i == s->active) return TRIODE_SUCCESS;
  const TriNode* c = m->models[i];
  c->ops->state_clear(c, s->children[i].impl);
  if (prewarm) TRI_TRY(tri_node_prewarm(c, s->children[i].impl, k, max_block));
  s->active = i;
  return TRIODE_SUCCESS;
}

static int
container_breakpoints(const TriNode* node, double* points, int capacity)
{
  const Container* m = node->impl;
  for (int i = 0; i < m->n - 1 && i < capacity; ++i) points[i] = m->max_value[i];
  return m->n - 1;
}

void tri_describe_child(cJSON* obj, const char* key, const TriNode* child);

static void
container_describe(const TriNode* node, cJSON* obj)
{
  const Container* m = node->impl;
  cJSON* subs = cJSON_AddArrayToObject(obj, "submodels");
  for (int i = 0; subs && i < m->n; ++i) {
    cJSON* o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddItemToArray(subs, o);
    cJSON_AddNumberToObject(o, "max_value", m->max_value[i]);
    tri_describe_child(o, "model", m->models[i]);
  }
}

const TriArchOps tri_arch_container = {
  .name = "SlimmableContainer",
  .parse = container_parse,
  .read_weights = container_read,
  .destroy = container_destroy,
  .state_new = container_state_new,
  .state_free = container_state_free,
  .state_resize = container_state_resize,
  .state_clear = container_state_clear,
  .state_restart = container_state_restart,
  .state_bytes = container_state_bytes,
  .process = container_process,
  .prewarm_samples = container_prewarm,
  .receptive_field = container_rf,
  .macs = container_macs,
  .activations = container_activations,
  .set_slim = container_set_slim,
  .slim_breakpoints = container_breakpoints,
  .describe = container_describe,
};
