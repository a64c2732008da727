/* WaveNet node operations: per-instance state (active plan, slimming) and description. */
#include "models/wavenet_run.h"

#include <stdlib.h>

typedef struct {
  WaveNet* slim;       /* owned slimmed plan, or NULL at full size */
  const WaveNet* plan; /* active plan */
  WnRun* run;
} WnState;

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
  tri_wn_run_free(s->plan, s->run);
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
  TRI_TRY(tri_wn_run_new(s->plan, max_block, &r));
  if (r->bytes > (size_t)TRI_MAX_STATE_BYTES) {
    tri_wn_run_free(s->plan, r);
    return TRIODE_ERR_LIMIT;
  }
  tri_wn_run_free(s->plan, s->run);
  s->run = r;
  return TRIODE_SUCCESS;
}

static void
wavenet_state_clear(const TriNode* node, void* state)
{
  (void)node;
  WnState* s = state;
  tri_wn_run_clear(s->plan, s->run, false);
}

static void
wavenet_state_restart(const TriNode* node, void* state)
{
  (void)node;
  WnState* s = state;
  tri_wn_run_clear(s->plan, s->run, true);
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
  tri_wn_forward(s->plan, s->run, k, in, ldin, out, ldout, n);
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

static double
wavenet_macs(const TriNode* node, const void* state)
{
  const WnState* s = state;
  const WaveNet* wn = s ? s->plan : node->impl;
  const double own = tri_wn_macs(wn);
  if (!wn->cond) return own;
  return own + wn->cond->ops->macs(wn->cond, s && s->run ? s->run->cond.impl : NULL);
}

static void
wavenet_activations(const TriNode* node, const void* state, TriodeActivationCounts* counts)
{
  const WnState* s = state;
  const WaveNet* wn = s ? s->plan : node->impl;
  tri_wn_activations(wn, counts);
  if (wn->cond) wn->cond->ops->activations(wn->cond, s && s->run ? s->run->cond.impl : NULL, counts);
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
  TriodeStatus st = tri_wn_run_new(plan, max_block, &r);
  if (st != TRIODE_SUCCESS) {
    tri_wn_free(slim);
    return st;
  }
  /* State is not carried over between sizes (§3.5). */
  tri_wn_run_free(s->plan, s->run);
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
  .macs = wavenet_macs,
  .activations = wavenet_activations,
  .set_slim = wavenet_set_slim,
  .slim_breakpoints = wavenet_breakpoints,
  .describe = wavenet_describe_all,
};
