/* WaveNet config parsing and weight reading (spec §3.4.1-3.4.4, §3.4.8, §3.4.9, §3.5). Every dimension rule the
   reference relies on is checked here, so the runner never reads outside a buffer. */
#include "format/json_util.h"
#include "models/wavenet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char* const tri_wn_film_keys[WN_FILM_COUNT] = {
  "conv_pre_film",       "conv_post_film",      "input_mixin_pre_film", "input_mixin_post_film",
  "activation_pre_film", "activation_post_film", "layer1x1_post_film",   "head1x1_post_film",
};

/* A key that holds one value for every layer, or an array of one value per layer. */
static TriodeStatus
per_layer(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, int nlayers, int i, char* p,
          size_t cap, const cJSON** out)
{
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(obj, key);
  tri_path_key(p, cap, path, key);
  *out = v;
  if (!cJSON_IsArray(v)) return TRIODE_SUCCESS;
  if (cJSON_GetArraySize(v) != nlayers)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected one entry per layer (%d), found %d", nlayers,
                    cJSON_GetArraySize(v));
  char q[TRI_PATH_MAX];
  snprintf(q, sizeof q, "%s", p);
  tri_path_index(p, cap, q, i);
  *out = cJSON_GetArrayItem(v, i);
  return TRIODE_SUCCESS;
}

static TriodeStatus
parse_gating(TriLoadCtx* ctx, const cJSON* obj, const char* path, int nlayers, int i, TriGating* out)
{
  char p[TRI_PATH_MAX];
  const cJSON* g;
  TRI_TRY(per_layer(ctx, obj, path, "gating_mode", nlayers, i, p, sizeof p, &g));
  if (!g) {
    bool gated;
    TRI_TRY(tri_json_bool(ctx, obj, path, "gated", false, false, &gated));
    *out = gated ? TRI_GATE_GATED : TRI_GATE_NONE;
    return TRIODE_SUCCESS;
  }
  if (cJSON_IsString(g)) {
    if (strcmp(g->valuestring, "none") == 0) *out = TRI_GATE_NONE;
    else if (strcmp(g->valuestring, "gated") == 0) *out = TRI_GATE_GATED;
    else if (strcmp(g->valuestring, "blended") == 0) *out = TRI_GATE_BLENDED;
    else return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected none, gated or blended, found \"%.40s\"", g->valuestring);
    return TRIODE_SUCCESS;
  }
  return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected none, gated or blended, found %s", tri_json_type(g));
}

static TriodeStatus
parse_layer(TriLoadCtx* ctx, const cJSON* obj, const char* path, WnArray* a, int i, int k, int dil, bool snapshot)
{
  WnLayer* L = &a->layers[i];
  char p[TRI_PATH_MAX], q[TRI_PATH_MAX];
  TRI_TRY(parse_gating(ctx, obj, path, a->nlayers, i, &L->gating));
  const cJSON* act;
  TRI_TRY(per_layer(ctx, obj, path, "activation", a->nlayers, i, p, sizeof p, &act));
  if (!act) return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "required key is missing");
  TRI_TRY(tri_act_parse(ctx, act, p, &L->act));
  TRI_TRY(tri_act_check_rows(ctx, &L->act, p, a->B));
  if (L->gating != TRI_GATE_NONE) {
    const cJSON* act2;
    const cJSON* gm = cJSON_GetObjectItemCaseSensitive(obj, "gating_mode");
    const cJSON* sa = cJSON_GetObjectItemCaseSensitive(obj, "secondary_activation");
    if (cJSON_IsArray(sa) && !cJSON_IsArray(gm))
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_key(q, sizeof q, path, "secondary_activation"),
                      "a per-layer list is only valid with a per-layer gating_mode list");
    TRI_TRY(per_layer(ctx, obj, path, "secondary_activation", a->nlayers, i, p, sizeof p, &act2));
    if (!act2 || cJSON_IsNull(act2)) {
      L->act2.kind = TRI_ACT_SIGMOID;
    } else {
      TRI_TRY(tri_act_parse(ctx, act2, p, &L->act2));
      TRI_TRY(tri_act_check_rows(ctx, &L->act2, p, a->B));
    }
  }
  const int Z = (L->gating == TRI_GATE_NONE ? 1 : 2) * a->B;
  snprintf(p, sizeof p, "%s.layers[%d]", path, i);
  TRI_TRY(tri_conv_init(&L->conv, ctx, tri_path_key(q, sizeof q, p, "conv"), a->C, Z, k, dil, a->groups_input, true));
  TRI_TRY(tri_conv_init(&L->mixin, ctx, tri_path_key(q, sizeof q, p, "input_mixin"), a->dc, Z, 1, 1, a->groups_mixin,
                        false));
  if (a->l1x1)
    TRI_TRY(tri_conv_init(&L->l1x1, ctx, tri_path_key(q, sizeof q, path, "layer1x1"), a->B, a->C, 1, 1, a->l1x1_groups,
                          true));
  if (a->h1x1)
    TRI_TRY(tri_conv_init(&L->h1x1, ctx, tri_path_key(q, sizeof q, path, "head1x1"), a->B, a->Hw, 1, 1, a->h1x1_groups,
                          true));
  const int dims[WN_FILM_COUNT] = {a->C, Z, a->dc, Z, Z, a->B, a->C, a->Hw};
  for (int f = 0; f < WN_FILM_COUNT; ++f)
    TRI_TRY(tri_film_parse(ctx, obj, path, tri_wn_film_keys[f], a->dc, dims[f], &L->film[f]));
  if (L->film[WN_FILM_L1X1_POST].active && !a->l1x1)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_key(q, sizeof q, path, "layer1x1_post_film"),
                    "needs an active layer1x1");
  if (L->film[WN_FILM_H1X1_POST].active && !a->h1x1)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_key(q, sizeof q, path, "head1x1_post_film"),
                    "needs an active head1x1");
  L->l1x1_film_applies = L->film[WN_FILM_L1X1_POST].active && (!snapshot || L->gating == TRI_GATE_BLENDED);
  return TRIODE_SUCCESS;
}

static TriodeStatus
parse_head(TriLoadCtx* ctx, const cJSON* obj, const char* path, WnArray* a)
{
  const cJSON* head = NULL;
  long v;
  TRI_TRY(tri_json_object(ctx, obj, path, "head", false, &head));
  if (head) {
    char p[TRI_PATH_MAX];
    tri_path_key(p, sizeof p, path, "head");
    TRI_TRY(tri_json_int(ctx, head, p, "out_channels", true, 0, 1, TRI_MAX_CHANNELS, &v));
    a->head_size = (int)v;
    TRI_TRY(tri_json_int(ctx, head, p, "kernel_size", true, 0, 1, TRI_MAX_KERNEL, &v));
    a->head_k = (int)v;
    TRI_TRY(tri_json_bool(ctx, head, p, "bias", true, false, &a->head_bias));
    TRI_TRY(tri_json_int(ctx, head, p, "head_dilation", false, 1, 1, TRI_MAX_DILATION, &v));
    a->head_dil = (int)v;
    return TRIODE_SUCCESS;
  }
  TRI_TRY(tri_json_int(ctx, obj, path, "head_size", true, 0, 1, TRI_MAX_CHANNELS, &v));
  a->head_size = (int)v;
  TRI_TRY(tri_json_bool(ctx, obj, path, "head_bias", true, false, &a->head_bias));
  a->head_k = 1;
  a->head_dil = 1;
  return TRIODE_SUCCESS;
}

static TriodeStatus
parse_1x1_options(TriLoadCtx* ctx, const cJSON* obj, const char* path, WnArray* a)
{
  char p[TRI_PATH_MAX];
  const cJSON* o = NULL;
  long v;
  a->l1x1 = true;
  a->l1x1_groups = 1;
  TRI_TRY(tri_json_object(ctx, obj, path, "layer1x1", false, &o));
  if (o) {
    tri_path_key(p, sizeof p, path, "layer1x1");
    TRI_TRY(tri_json_bool(ctx, o, p, "active", true, true, &a->l1x1));
    TRI_TRY(tri_json_int(ctx, o, p, "groups", true, 1, 1, TRI_MAX_CHANNELS, &v));
    a->l1x1_groups = (int)v;
  }
  a->h1x1 = false;
  a->h1x1_groups = 1;
  TRI_TRY(tri_json_object(ctx, obj, path, "head1x1", false, &o));
  if (o) {
    tri_path_key(p, sizeof p, path, "head1x1");
    TRI_TRY(tri_json_bool(ctx, o, p, "active", true, false, &a->h1x1));
    TRI_TRY(tri_json_int(ctx, o, p, "out_channels", true, 1, 1, TRI_MAX_CHANNELS, &v));
    a->h1x1_out = (int)v;
    TRI_TRY(tri_json_int(ctx, o, p, "groups", true, 1, 1, TRI_MAX_CHANNELS, &v));
    a->h1x1_groups = (int)v;
  }
  return TRIODE_SUCCESS;
}

static TriodeStatus
parse_slimmable(TriLoadCtx* ctx, const cJSON* obj, const char* path, WnArray* a)
{
  char p[TRI_PATH_MAX], q[TRI_PATH_MAX];
  const cJSON* s = NULL;
  TRI_TRY(tri_json_object(ctx, obj, path, "slimmable", false, &s));
  if (!s) return TRIODE_SUCCESS;
  tri_path_key(p, sizeof p, path, "slimmable");
  const cJSON* method = cJSON_GetObjectItemCaseSensitive(s, "method");
  if (!method || (cJSON_IsString(method) && method->valuestring[0] == '\0')) return TRIODE_SUCCESS;
  if (!cJSON_IsString(method) || strcmp(method->valuestring, "slice_channels_uniform") != 0)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_key(q, sizeof q, p, "method"),
                    "expected \"slice_channels_uniform\", found %s",
                    cJSON_IsString(method) ? method->valuestring : tri_json_type(method));
  const cJSON* kwargs = NULL;
  TRI_TRY(tri_json_object(ctx, s, p, "kwargs", false, &kwargs));
  const cJSON* list = kwargs ? cJSON_GetObjectItemCaseSensitive(kwargs, "allowed_channels") : NULL;
  if (!list) {
    a->allowed = malloc((size_t)a->C * sizeof *a->allowed);
    if (!a->allowed) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, p, "out of memory");
    for (int c = 0; c < a->C; ++c) a->allowed[c] = c + 1;
    a->nallowed = a->C;
    return TRIODE_SUCCESS;
  }
  snprintf(q, sizeof q, "%s.kwargs.allowed_channels", p);
  TRI_TRY(tri_json_int_list(ctx, list, q, 1, a->C, -1, TRI_MAX_CHANNELS, &a->allowed, &a->nallowed));
  for (int i = 1; i < a->nallowed; ++i)
    if (a->allowed[i] <= a->allowed[i - 1])
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, q, "must be strictly increasing");
  if (a->allowed[a->nallowed - 1] != a->C)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, q, "must end at channels (%d), ends at %d", a->C,
                    a->allowed[a->nallowed - 1]);
  return TRIODE_SUCCESS;
}

static TriodeStatus
parse_array(TriLoadCtx* ctx, const cJSON* obj, const char* path, WnArray* a, bool snapshot)
{
  long v;
  char p[TRI_PATH_MAX];
  if (!cJSON_IsObject(obj))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, path, "expected a layer-array object, found %s", tri_json_type(obj));
  TRI_TRY(tri_json_int(ctx, obj, path, "input_size", true, 0, 1, TRI_MAX_CHANNELS, &v));
  a->in_size = (int)v;
  TRI_TRY(tri_json_int(ctx, obj, path, "condition_size", true, 0, 1, TRI_MAX_CHANNELS, &v));
  a->dc = (int)v;
  TRI_TRY(tri_json_int(ctx, obj, path, "channels", true, 0, 1, TRI_MAX_CHANNELS, &v));
  a->C = (int)v;
  TRI_TRY(tri_json_int(ctx, obj, path, "bottleneck", false, a->C, 1, TRI_MAX_CHANNELS, &v));
  a->B = (int)v;
  TRI_TRY(tri_json_int(ctx, obj, path, "groups_input", false, 1, 1, TRI_MAX_CHANNELS, &v));
  a->groups_input = (int)v;
  TRI_TRY(tri_json_int(ctx, obj, path, "groups_input_mixin", false, 1, 1, TRI_MAX_CHANNELS, &v));
  a->groups_mixin = (int)v;
  TRI_TRY(parse_1x1_options(ctx, obj, path, a));
  a->Hw = a->h1x1 ? a->h1x1_out : a->B;
  if (!a->l1x1 && a->B != a->C)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_key(p, sizeof p, path, "bottleneck"),
                    "must equal channels (%d) when layer1x1 is inactive, found %d", a->C, a->B);
  TRI_TRY(parse_head(ctx, obj, path, a));

  const cJSON* dil = NULL;
  TRI_TRY(tri_json_array(ctx, obj, path, "dilations", true, 1, TRI_MAX_LAYERS, &dil));
  int *d = NULL, *ks = NULL, nd = 0, nk = 0;
  TRI_TRY(tri_json_int_list(ctx, dil, tri_path_key(p, sizeof p, path, "dilations"), 1, TRI_MAX_DILATION, -1,
                            TRI_MAX_LAYERS, &d, &nd));
  a->nlayers = nd;
  const cJSON* k1 = cJSON_GetObjectItemCaseSensitive(obj, "kernel_size");
  const cJSON* kn = cJSON_GetObjectItemCaseSensitive(obj, "kernel_sizes");
  TriodeStatus st = TRIODE_SUCCESS;
  if ((k1 != NULL) == (kn != NULL)) {
    st = tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, path, "expected exactly one of kernel_size and kernel_sizes");
  } else if (kn) {
    st = tri_json_int_list(ctx, kn, tri_path_key(p, sizeof p, path, "kernel_sizes"), 1, TRI_MAX_KERNEL, nd, 0, &ks,
                           &nk);
  } else {
    st = tri_json_int_value(ctx, k1, tri_path_key(p, sizeof p, path, "kernel_size"), 1, TRI_MAX_KERNEL, &v);
  }
  if (st == TRIODE_SUCCESS) {
    a->layers = calloc((size_t)nd, sizeof *a->layers);
    if (!a->layers) st = tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  }
  for (int i = 0; i < nd && st == TRIODE_SUCCESS; ++i)
    st = parse_layer(ctx, obj, path, a, i, ks ? ks[i] : (int)v, d[i], snapshot);
  free(d);
  free(ks);
  TRI_TRY(st);
  TRI_TRY(tri_conv_init(&a->rechannel, ctx, tri_path_key(p, sizeof p, path, "rechannel"), a->in_size, a->C, 1, 1, 1,
                        false));
  TRI_TRY(tri_conv_init(&a->head, ctx, tri_path_key(p, sizeof p, path, "head"), a->Hw, a->head_size, a->head_k,
                        a->head_dil, 1, a->head_bias));
  return parse_slimmable(ctx, obj, path, a);
}

static TriodeStatus
parse_post_head(TriLoadCtx* ctx, const cJSON* cfg, const char* path, WaveNet* wn, int in_width, int* out_width)
{
  const cJSON* head = NULL;
  char p[TRI_PATH_MAX], q[TRI_PATH_MAX];
  TRI_TRY(tri_json_object(ctx, cfg, path, "head", false, &head));
  *out_width = in_width;
  if (!head) return TRIODE_SUCCESS;
  tri_path_key(p, sizeof p, path, "head");
  long ch, out, in;
  TRI_TRY(tri_json_int(ctx, head, p, "channels", true, 0, 1, TRI_MAX_CHANNELS, &ch));
  TRI_TRY(tri_json_int(ctx, head, p, "out_channels", true, 0, 1, TRI_MAX_CHANNELS, &out));
  TRI_TRY(tri_json_int(ctx, head, p, "in_channels", false, in_width, 1, TRI_MAX_CHANNELS, &in));
  if (in != in_width)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_key(q, sizeof q, p, "in_channels"),
                    "must equal the last array's head size (%d), found %ld", in_width, in);
  const cJSON* act = cJSON_GetObjectItemCaseSensitive(head, "activation");
  if (!act) return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_key(q, sizeof q, p, "activation"), "required key is missing");
  TRI_TRY(tri_act_parse(ctx, act, tri_path_key(q, sizeof q, p, "activation"), &wn->post_act));
  const cJSON* ksa = NULL;
  TRI_TRY(tri_json_array(ctx, head, p, "kernel_sizes", true, 1, TRI_MAX_LAYERS, &ksa));
  int *ks = NULL, nk = 0;
  TRI_TRY(tri_json_int_list(ctx, ksa, tri_path_key(q, sizeof q, p, "kernel_sizes"), 1, TRI_MAX_KERNEL, -1,
                            TRI_MAX_LAYERS, &ks, &nk));
  wn->post = calloc((size_t)nk, sizeof *wn->post);
  if (!wn->post) {
    free(ks);
    return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, p, "out of memory");
  }
  wn->npost = nk;
  wn->post_channels = (int)ch;
  TriodeStatus st = TRIODE_SUCCESS;
  for (int i = 0; i < nk && st == TRIODE_SUCCESS; ++i) {
    const int ci = i == 0 ? in_width : (int)ch, co = i == nk - 1 ? (int)out : (int)ch;
    /* The activation runs on each conv's input rows; per-channel PReLU must match them. */
    st = tri_act_check_rows(ctx, &wn->post_act, q, ci);
    if (st == TRIODE_SUCCESS) st = tri_conv_init(&wn->post[i], ctx, tri_path_index(q, sizeof q, p, i), ci, co, ks[i], 1, 1, true);
  }
  free(ks);
  *out_width = (int)out;
  return st;
}

/* Dimension rules between arrays, condition and model (§3.4.2), checked even where the reference does not. */
static TriodeStatus
check_wiring(TriLoadCtx* ctx, const char* path, WaveNet* wn)
{
  char p[TRI_PATH_MAX];
  for (int i = 0; i < wn->narrays; ++i) {
    const WnArray* a = &wn->arrays[i];
    snprintf(p, sizeof p, "%s.layers[%d]", path, i);
    const int want_in = i == 0 ? wn->in_channels : wn->arrays[i - 1].C;
    if (a->in_size != want_in)
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "input_size must be %d (%s), found %d", want_in,
                      i == 0 ? "the model's in_channels" : "the previous array's channels", a->in_size);
    if (a->dc != wn->dc)
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "condition_size must be %d (%s), found %d", wn->dc,
                      wn->cond ? "the condition DSP's outputs" : "in_channels", a->dc);
    if (i > 0 && a->Hw != wn->arrays[i - 1].head_size)
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p,
                      "the layers' head width (%d) must equal the previous array's head size (%d)", a->Hw,
                      wn->arrays[i - 1].head_size);
  }
  return TRIODE_SUCCESS;
}

static TriodeStatus
check_slimmable(TriLoadCtx* ctx, const char* path, WaveNet* wn)
{
  for (int i = 0; i < wn->narrays; ++i) wn->slimmable = wn->slimmable || wn->arrays[i].allowed;
  if (!wn->slimmable) return TRIODE_SUCCESS;
  if (wn->npost > 0) return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, path, "a slimmable WaveNet cannot have a post-stack head");
  for (int i = 0; i < wn->narrays; ++i) {
    const WnArray* a = &wn->arrays[i];
    bool grouped = a->groups_input != 1 || a->groups_mixin != 1 || a->l1x1_groups != 1 || a->h1x1_groups != 1;
    for (int l = 0; l < a->nlayers; ++l)
      for (int f = 0; f < WN_FILM_COUNT; ++f)
        grouped = grouped || (a->layers[l].film[f].active && a->layers[l].film[f].proj.groups != 1);
    if (grouped || a->head_k != 1) {
      char p[TRI_PATH_MAX];
      snprintf(p, sizeof p, "%s.layers[%d]", path, i);
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p,
                      "a slimmable WaveNet needs groups of 1 everywhere and head kernel size 1");
    }
  }
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_wn_parse_node(TriLoadCtx* ctx, const cJSON* cfg, const char* path, TriNode* node)
{
  WaveNet* wn = calloc(1, sizeof *wn);
  if (!wn) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  node->impl = wn;
  char p[TRI_PATH_MAX];
  long v;
  double hs;
  TRI_TRY(tri_json_int(ctx, cfg, path, "in_channels", false, 1, 1, TRI_MAX_CHANNELS, &v));
  wn->in_channels = (int)v;
  TRI_TRY(tri_json_number(ctx, cfg, path, "head_scale", true, 0.0, &hs)); /* required, value unused (§3.4.4) */
  const cJSON* cond = NULL;
  TRI_TRY(tri_json_object(ctx, cfg, path, "condition_dsp", false, &cond));
  wn->dc = wn->in_channels;
  if (cond) {
    tri_path_key(p, sizeof p, path, "condition_dsp");
    TRI_TRY(tri_node_parse(ctx, cond, p, &wn->cond));
    wn->owns_cond = true;
    node->params += wn->cond->params;
    if (wn->cond->sample_rate != node->sample_rate)
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "sample rate %g must equal the model's (%g)",
                      wn->cond->sample_rate, node->sample_rate);
    if (wn->cond->nin != wn->in_channels)
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "has %d inputs, the model has in_channels %d", wn->cond->nin,
                      wn->in_channels);
    wn->dc = wn->cond->nout;
  }
  const cJSON* layers = NULL;
  TRI_TRY(tri_json_array(ctx, cfg, path, "layers", true, 1, TRI_MAX_LAYERS, &layers));
  wn->arrays = calloc((size_t)cJSON_GetArraySize(layers), sizeof *wn->arrays);
  if (!wn->arrays) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  const cJSON* e;
  cJSON_ArrayForEach(e, layers)
  {
    char q[TRI_PATH_MAX];
    snprintf(q, sizeof q, "%s.layers[%d]", path, wn->narrays);
    wn->narrays++; /* counted first so a partial array is freed */
    TRI_TRY(parse_array(ctx, e, q, &wn->arrays[wn->narrays - 1], ctx->opts->film_snapshot));
  }
  TRI_TRY(check_wiring(ctx, path, wn));
  int out = 0;
  TRI_TRY(parse_post_head(ctx, cfg, path, wn, wn->arrays[wn->narrays - 1].head_size, &out));
  TRI_TRY(check_slimmable(ctx, path, wn));
  if (tri_wn_prewarm(wn) > TRI_MAX_PREWARM)
    return tri_fail(ctx, TRIODE_ERR_LIMIT, path, "receptive field %ld exceeds %ld samples", tri_wn_prewarm(wn),
                    (long)TRI_MAX_PREWARM);
  node->nin = wn->in_channels;
  node->nout = out;
  return TRIODE_SUCCESS;
}
