/* Activations of spec §2.4. The exact forms call libm like the reference; the fast tanh is the reference's
   rational approximation, evaluated in the same order so results match bit for bit. */
#include "dsp/activation.h"

#include "format/json_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

float
tri_fast_tanh(float x)
{
  const float a = fabsf(x);
  const float x2 = x * x;
  const float num = x * (2.45550750702956f + 2.45550750702956f * a + (0.893229853513558f + 0.821226666969744f * a) * x2);
  const float den = 2.44506634652299f + (2.44506634652299f + x2) * fabsf(x + 0.814642734961073f * x * a);
  return num / den;
}

float
tri_fast_sigmoid(float x)
{
  return 0.5f * (tri_fast_tanh(0.5f * x) + 1.0f);
}

float
tri_sigmoid(float x)
{
  return 1.0f / (1.0f + expf(-x));
}

static const struct {
  const char* name;
  TriActKind kind;
} act_names[] = {
  {"Tanh", TRI_ACT_TANH},           {"Fasttanh", TRI_ACT_FASTTANH},           {"Hardtanh", TRI_ACT_HARDTANH},
  {"ReLU", TRI_ACT_RELU},           {"LeakyReLU", TRI_ACT_LEAKYRELU},         {"PReLU", TRI_ACT_PRELU},
  {"Sigmoid", TRI_ACT_SIGMOID},     {"SiLU", TRI_ACT_SILU},                   {"Hardswish", TRI_ACT_HARDSWISH},
  {"LeakyHardtanh", TRI_ACT_LEAKYHARDTANH}, {"LeakyHardTanh", TRI_ACT_LEAKYHARDTANH},
  {"Softsign", TRI_ACT_SOFTSIGN},
};

const char*
tri_act_name(const TriAct* act)
{
  switch (act->kind) {
  case TRI_ACT_FASTSIGMOID: return "FastSigmoid";
  case TRI_ACT_IDENTITY: return "Identity";
  default: break;
  }
  for (size_t i = 0; i < sizeof act_names / sizeof act_names[0]; ++i)
    if (act_names[i].kind == act->kind) return act_names[i].name;
  return "?";
}

static TriodeStatus
param(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, float def, float* out)
{
  double d = def;
  if (obj) TRI_TRY(tri_json_number(ctx, obj, path, key, false, def, &d));
  *out = (float)d;
  return TRIODE_SUCCESS;
}

static TriodeStatus
parse_prelu_slopes(TriLoadCtx* ctx, const cJSON* obj, const char* path, TriAct* act)
{
  char p[TRI_PATH_MAX];
  const cJSON* list = cJSON_GetObjectItemCaseSensitive(obj, "negative_slopes");
  if (!list) return param(ctx, obj, path, "negative_slope", 0.01f, &act->p[0]);
  tri_path_key(p, sizeof p, path, "negative_slopes");
  if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1 || cJSON_GetArraySize(list) > TRI_MAX_CHANNELS)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected a list of 1 to %d numbers", TRI_MAX_CHANNELS);
  int n = cJSON_GetArraySize(list);
  act->slopes = malloc((size_t)n * sizeof *act->slopes);
  if (!act->slopes) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, p, "out of memory");
  act->nslopes = n;
  int i = 0;
  const cJSON* e;
  cJSON_ArrayForEach(e, list)
  {
    if (!cJSON_IsNumber(e) || !isfinite(e->valuedouble)) {
      char q[TRI_PATH_MAX];
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_index(q, sizeof q, p, i), "expected a finite number, found %s",
                      tri_json_type(e));
    }
    act->slopes[i++] = (float)e->valuedouble;
  }
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_act_parse(TriLoadCtx* ctx, const cJSON* node, const char* path, TriAct* act)
{
  memset(act, 0, sizeof *act);
  const cJSON* obj = NULL;
  const char* name = NULL;
  char p[TRI_PATH_MAX];
  if (cJSON_IsString(node)) {
    name = node->valuestring;
  } else if (cJSON_IsObject(node)) {
    obj = node;
    const cJSON* t = cJSON_GetObjectItemCaseSensitive(node, "type");
    if (!cJSON_IsString(t))
      return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_key(p, sizeof p, path, "type"),
                      "expected an activation name, found %s", tri_json_type(t));
    name = t->valuestring;
  } else {
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, path, "expected an activation (a name or an object), found %s",
                    tri_json_type(node));
  }
  size_t i = 0, n = sizeof act_names / sizeof act_names[0];
  while (i < n && strcmp(act_names[i].name, name) != 0) ++i;
  if (i == n)
    return tri_fail(ctx, TRIODE_ERR_BAD_ARCH, path,
                    "unknown activation \"%.64s\" (expected Tanh, Fasttanh, Hardtanh, ReLU, LeakyReLU, PReLU, "
                    "Sigmoid, SiLU, Hardswish, LeakyHardtanh or Softsign)",
                    name);
  act->kind = act_names[i].kind;
  switch (act->kind) {
  case TRI_ACT_TANH:
    if (ctx->opts->fast_tanh) act->kind = TRI_ACT_FASTTANH;
    break;
  case TRI_ACT_LEAKYRELU: return param(ctx, obj, path, "negative_slope", 0.01f, &act->p[0]);
  case TRI_ACT_PRELU:
    act->p[0] = 0.01f;
    return obj ? parse_prelu_slopes(ctx, obj, path, act) : TRIODE_SUCCESS;
  case TRI_ACT_LEAKYHARDTANH:
    TRI_TRY(param(ctx, obj, path, "min_val", -1.0f, &act->p[0]));
    TRI_TRY(param(ctx, obj, path, "max_val", 1.0f, &act->p[1]));
    TRI_TRY(param(ctx, obj, path, "min_slope", 0.01f, &act->p[2]));
    return param(ctx, obj, path, "max_slope", 0.01f, &act->p[3]);
  default: break; /* Hardtanh ignores min_val / max_val like the reference */
  }
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_act_check_rows(TriLoadCtx* ctx, const TriAct* act, const char* path, int rows)
{
  if (act->kind == TRI_ACT_PRELU && act->nslopes > 0 && act->nslopes != rows)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, path, "PReLU has %d slopes but is applied to %d channels",
                    act->nslopes, rows);
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_act_copy(TriAct* dst, const TriAct* src)
{
  *dst = *src;
  dst->slopes = NULL;
  if (src->nslopes > 0) {
    dst->slopes = malloc((size_t)src->nslopes * sizeof *dst->slopes);
    if (!dst->slopes) return TRIODE_ERR_NO_MEMORY;
    memcpy(dst->slopes, src->slopes, (size_t)src->nslopes * sizeof *dst->slopes);
  }
  return TRIODE_SUCCESS;
}

void
tri_act_free(TriAct* act)
{
  if (!act) return;
  free(act->slopes);
  act->slopes = NULL;
  act->nslopes = 0;
}

static inline float
hardswish(float x)
{
  float c = x + 3.0f;
  c = c < 0.0f ? 0.0f : (c > 6.0f ? 6.0f : c);
  return (x * c) * (1.0f / 6.0f);
}

static inline float
leaky_hardtanh(const float* p, float x)
{
  if (x < p[0]) return (x - p[0]) * p[2] + p[0];
  if (x > p[1]) return (x - p[1]) * p[3] + p[1];
  return x;
}

void
tri_act_apply(const TriAct* act, float* x, int ld, int rows, int n)
{
  for (int r = 0; r < rows; ++r) {
    float* v = x + (long)r * ld;
    switch (act->kind) {
    case TRI_ACT_TANH:
      for (int t = 0; t < n; ++t) v[t] = tanhf(v[t]);
      break;
    case TRI_ACT_FASTTANH:
      for (int t = 0; t < n; ++t) v[t] = tri_fast_tanh(v[t]);
      break;
    case TRI_ACT_HARDTANH:
      for (int t = 0; t < n; ++t) v[t] = v[t] < -1.0f ? -1.0f : (v[t] > 1.0f ? 1.0f : v[t]);
      break;
    case TRI_ACT_RELU:
      for (int t = 0; t < n; ++t) v[t] = v[t] > 0.0f ? v[t] : 0.0f;
      break;
    case TRI_ACT_LEAKYRELU:
      for (int t = 0; t < n; ++t) v[t] = v[t] > 0.0f ? v[t] : act->p[0] * v[t];
      break;
    case TRI_ACT_PRELU: {
      /* A single slope broadcasts to every channel (the reference's per-block behaviour). */
      const float a = act->nslopes > 0 ? act->slopes[r < act->nslopes ? r : act->nslopes - 1] : act->p[0];
      for (int t = 0; t < n; ++t) v[t] = v[t] > 0.0f ? v[t] : a * v[t];
      break;
    }
    case TRI_ACT_SIGMOID:
      for (int t = 0; t < n; ++t) v[t] = tri_sigmoid(v[t]);
      break;
    case TRI_ACT_FASTSIGMOID:
      for (int t = 0; t < n; ++t) v[t] = tri_fast_sigmoid(v[t]);
      break;
    case TRI_ACT_SILU:
      for (int t = 0; t < n; ++t) v[t] = v[t] * tri_sigmoid(v[t]);
      break;
    case TRI_ACT_HARDSWISH:
      for (int t = 0; t < n; ++t) v[t] = hardswish(v[t]);
      break;
    case TRI_ACT_LEAKYHARDTANH:
      for (int t = 0; t < n; ++t) v[t] = leaky_hardtanh(act->p, v[t]);
      break;
    case TRI_ACT_SOFTSIGN:
      for (int t = 0; t < n; ++t) v[t] = v[t] / (1.0f + fabsf(v[t]));
      break;
    case TRI_ACT_IDENTITY: break;
    }
  }
}

void
tri_act_run(const TriKernels* k, const TriAct* act, float* x, int ld, int rows, int n)
{
  void (*map)(float*, int) = NULL;
  switch (act->kind) {
  case TRI_ACT_TANH: map = k->tanh; break;
  case TRI_ACT_FASTTANH: map = k->fast_tanh; break;
  case TRI_ACT_SIGMOID: map = k->sigmoid; break;
  case TRI_ACT_FASTSIGMOID: map = k->fast_sigmoid; break;
  case TRI_ACT_SILU: map = k->silu; break;
  case TRI_ACT_RELU:
  case TRI_ACT_LEAKYRELU:
  case TRI_ACT_PRELU:
  case TRI_ACT_HARDTANH: {
    const bool contiguous = ld == n && (act->kind != TRI_ACT_PRELU || act->nslopes == 0);
    for (int r = 0; r < (contiguous ? 1 : rows); ++r) {
      float* v = x + (long)r * ld;
      const int m = contiguous ? rows * n : n;
      if (act->kind == TRI_ACT_HARDTANH) {
        k->clamp(v, m, -1.0f, 1.0f);
      } else {
        float slope = act->kind == TRI_ACT_RELU ? 0.0f : act->p[0];
        if (act->kind == TRI_ACT_PRELU && act->nslopes > 0) slope = act->slopes[r < act->nslopes ? r : act->nslopes - 1];
        k->leaky(v, m, slope);
      }
    }
    return;
  }
  default: tri_act_apply(act, x, ld, rows, n); return;
  }
  if (ld == n)
    map(x, rows * n);
  else
    for (int r = 0; r < rows; ++r) map(x + (long)r * ld, n);
}

void
tri_act_count(const TriAct* act, double n, TriodeActivationCounts* counts)
{
  switch (act->kind) {
  case TRI_ACT_TANH: counts->tanh += n; break;
  case TRI_ACT_SIGMOID:
  case TRI_ACT_SILU: counts->sigmoid += n; break;
  case TRI_ACT_FASTTANH:
  case TRI_ACT_FASTSIGMOID: counts->fast_tanh += n; break;
  default: break; /* a few operations per value: element-wise work, like a bias */
  }
}
