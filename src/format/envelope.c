/* The JSON envelope of a model object (spec §1): version, architecture, sample rate, metadata and the weight
   array, with the weight count checked exactly before anything is allocated for the weights. */
#include "core/node.h"
#include "format/json_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const TriArchOps* const archs[] = {
  &tri_arch_linear, &tri_arch_convnet, &tri_arch_lstm, &tri_arch_wavenet, &tri_arch_container, &tri_arch_sequential,
};

/* Spec §1.3: "M.m.p" digits only; 0.5.0-0.7.0 supported, 0.7.x (x >= 1) partially (warning), the rest refused. */
static TriodeStatus
check_version(TriLoadCtx* ctx, const cJSON* v, const char* path, TriNode* node)
{
  if (!cJSON_IsString(v))
    return tri_fail(ctx, TRIODE_ERR_BAD_VERSION, path, "expected a version string \"M.m.p\", found %s",
                    tri_json_type(v));
  const char* s = v->valuestring;
  long part[3] = {0, 0, 0};
  const char* p = s;
  for (int i = 0; i < 3; ++i) {
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
      if (++digits > 6) break;
      part[i] = part[i] * 10 + (*p++ - '0');
    }
    bool sep_ok = (i < 2) ? (*p == '.') : (*p == '\0');
    if (digits == 0 || digits > 6 || !sep_ok)
      return tri_fail(ctx, TRIODE_ERR_BAD_VERSION, path, "expected a version \"M.m.p\" of digits, found \"%.40s\"",
                      s);
    if (i < 2) ++p;
  }
  snprintf(node->version, sizeof node->version, "%ld.%ld.%ld", part[0], part[1], part[2]);
  if (part[0] > 0 || part[1] > 7 || part[1] < 5)
    return tri_fail(ctx, TRIODE_ERR_BAD_VERSION, path,
                    "file version %s is not supported (supported: 0.5.0 to 0.7.x)", node->version);
  if (part[1] == 7 && part[2] > 0)
    tri_warn(ctx, path, "file version %s is newer than 0.7.0; loading it as 0.7.0 (partially supported)",
             node->version);
  return TRIODE_SUCCESS;
}

static TriodeStatus
meta_level(TriLoadCtx* ctx, const cJSON* meta, const char* path, const char* key, bool narrow, bool* has,
           double* value)
{
  char p[TRI_PATH_MAX];
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(meta, key);
  *has = false;
  if (!v || cJSON_IsNull(v)) return TRIODE_SUCCESS;
  if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_key(p, sizeof p, path, key),
                    "expected a number or null, found %s", tri_json_type(v));
  *has = true;
  *value = narrow ? (double)(float)v->valuedouble : v->valuedouble; /* the reference stores levels as float */
  return TRIODE_SUCCESS;
}

static TriodeStatus
parse_metadata(TriLoadCtx* ctx, const cJSON* obj, const char* path, TriNode* node)
{
  char p[TRI_PATH_MAX];
  tri_path_key(p, sizeof p, path, "metadata");
  const cJSON* meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
  if (!meta || cJSON_IsNull(meta)) return TRIODE_SUCCESS;
  if (!cJSON_IsObject(meta))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected an object or null, found %s", tri_json_type(meta));
  TRI_TRY(meta_level(ctx, meta, p, "loudness", false, &node->has_loudness, &node->loudness));
  TRI_TRY(meta_level(ctx, meta, p, "input_level_dbu", true, &node->has_input_level, &node->input_level));
  TRI_TRY(meta_level(ctx, meta, p, "output_level_dbu", true, &node->has_output_level, &node->output_level));
  int n = cJSON_GetArraySize(meta);
  node->meta_keys = calloc((size_t)n + 1, sizeof(char*));
  node->meta_values = calloc((size_t)n + 1, sizeof(char*));
  if (!node->meta_keys || !node->meta_values) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, p, "out of memory");
  const cJSON* e;
  cJSON_ArrayForEach(e, meta)
  {
    const char* key = e->string ? e->string : "";
    char* val = cJSON_IsString(e) ? strdup(e->valuestring) : cJSON_PrintUnformatted(e);
    char* k = strdup(key);
    if (!val || !k) {
      free(val);
      free(k);
      return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, p, "out of memory");
    }
    node->meta_keys[node->nmeta] = k;
    node->meta_values[node->nmeta] = val;
    node->nmeta++;
  }
  return TRIODE_SUCCESS;
}

static TriodeStatus
parse_sample_rate(TriLoadCtx* ctx, const cJSON* obj, const char* path, TriNode* node)
{
  char p[TRI_PATH_MAX];
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(obj, "sample_rate");
  node->sample_rate = -1.0;
  if (!v) return TRIODE_SUCCESS;
  tri_path_key(p, sizeof p, path, "sample_rate");
  if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected a number in Hz, found %s", tri_json_type(v));
  double sr = v->valuedouble;
  if (sr > TRI_MAX_SAMPLE_RATE || sr < -TRI_MAX_SAMPLE_RATE)
    return tri_fail(ctx, TRIODE_ERR_LIMIT, p, "sample rate %g Hz is out of range (up to %g Hz)", sr,
                    TRI_MAX_SAMPLE_RATE);
  node->sample_rate = sr > 0 ? sr : -1.0;
  return TRIODE_SUCCESS;
}

/* Converts the weight array to float32 (decimal -> double -> float, as the reference). */
static TriodeStatus
parse_weight_array(TriLoadCtx* ctx, const cJSON* arr, const char* path, float** out, size_t* count)
{
  *out = NULL;
  *count = 0;
  if (!cJSON_IsArray(arr))
    return tri_fail(ctx, TRIODE_ERR_BAD_WEIGHTS, path, "expected an array of numbers, found %s", tri_json_type(arr));
  size_t n = (size_t)cJSON_GetArraySize(arr);
  float* v = malloc((n ? n : 1) * sizeof *v);
  if (!v) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory for %zu weights", n);
  size_t i = 0;
  const cJSON* e;
  cJSON_ArrayForEach(e, arr)
  {
    float f = cJSON_IsNumber(e) ? (float)e->valuedouble : 0.0f;
    if (!cJSON_IsNumber(e) || !isfinite(f)) {
      char p[TRI_PATH_MAX];
      tri_path_index(p, sizeof p, path, (long)i);
      free(v);
      if (!cJSON_IsNumber(e))
        return tri_fail(ctx, TRIODE_ERR_BAD_WEIGHTS, p, "expected a number, found %s", tri_json_type(e));
      return tri_fail(ctx, TRIODE_ERR_BAD_WEIGHTS, p, "weight %.17g is not a finite float32 number", e->valuedouble);
    }
    v[i++] = f;
  }
  *out = v;
  *count = n;
  return TRIODE_SUCCESS;
}

static TriodeStatus
parse_node(TriLoadCtx* ctx, const cJSON* obj, const char* path, TriNode* node)
{
  char p[TRI_PATH_MAX];
  static const char* const required[] = {"version", "architecture", "config", "weights"};
  if (!cJSON_IsObject(obj))
    return tri_fail(ctx, TRIODE_ERR_BAD_JSON, path, "expected a model object, found %s", tri_json_type(obj));
  for (size_t i = 0; i < 4; ++i)
    if (!cJSON_GetObjectItemCaseSensitive(obj, required[i]))
      return tri_fail(ctx, i == 0 ? TRIODE_ERR_BAD_VERSION : TRIODE_ERR_BAD_CONFIG,
                      tri_path_key(p, sizeof p, path, required[i]),
                      "required key is missing (a model needs version, architecture, config and weights)");
  TRI_TRY(check_version(ctx, cJSON_GetObjectItemCaseSensitive(obj, "version"), tri_path_key(p, sizeof p, path, "version"),
                        node));
  const cJSON* arch = cJSON_GetObjectItemCaseSensitive(obj, "architecture");
  tri_path_key(p, sizeof p, path, "architecture");
  if (!cJSON_IsString(arch))
    return tri_fail(ctx, TRIODE_ERR_BAD_ARCH, p, "expected an architecture name, found %s", tri_json_type(arch));
  for (size_t i = 0; i < sizeof archs / sizeof archs[0]; ++i)
    if (strcmp(archs[i]->name, arch->valuestring) == 0) node->ops = archs[i];
  if (!node->ops)
    return tri_fail(ctx, TRIODE_ERR_BAD_ARCH, p,
                    "unknown architecture \"%.64s\" (expected Linear, ConvNet, LSTM, WaveNet, SlimmableContainer or "
                    "Sequential)",
                    arch->valuestring);
  TRI_TRY(parse_sample_rate(ctx, obj, path, node));
  TRI_TRY(parse_metadata(ctx, obj, path, node));
  const cJSON* config = NULL;
  TRI_TRY(tri_json_object(ctx, obj, path, "config", true, &config));
  TRI_TRY(node->ops->parse(ctx, config, tri_path_key(p, sizeof p, path, "config"), node));

  float* data = NULL;
  size_t total = 0;
  tri_path_key(p, sizeof p, path, "weights");
  TRI_TRY(parse_weight_array(ctx, cJSON_GetObjectItemCaseSensitive(obj, "weights"), p, &data, &total));
  TriWeights w = {.data = data, .total = total, .pos = 0, .counting = true, .ctx = ctx, .path = p};
  TriodeStatus st = node->ops->read_weights(node, &w);
  if (st == TRIODE_SUCCESS && w.pos != total)
    st = tri_fail(ctx, TRIODE_ERR_BAD_WEIGHTS, p, "expected %zu weights for this %s config, found %zu", w.pos,
                  node->ops->name, total);
  if (st == TRIODE_SUCCESS) {
    w.pos = 0;
    w.counting = false;
    st = node->ops->read_weights(node, &w);
  }
  free(data);
  node->params += (long)total;
  return st;
}

TriodeStatus
tri_node_parse(TriLoadCtx* ctx, const cJSON* obj, const char* path, TriNode** out)
{
  *out = NULL;
  if (ctx->depth >= TRI_MAX_DEPTH)
    return tri_fail(ctx, TRIODE_ERR_LIMIT, path, "models are nested more than %d deep", TRI_MAX_DEPTH);
  TriNode* node = calloc(1, sizeof *node);
  if (!node) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  ctx->depth++;
  TriodeStatus st = parse_node(ctx, obj, path, node);
  ctx->depth--;
  if (st != TRIODE_SUCCESS) {
    tri_node_free(node);
    return st;
  }
  *out = node;
  return TRIODE_SUCCESS;
}

void
tri_node_free(TriNode* node)
{
  if (!node) return;
  if (node->ops && node->impl) node->ops->destroy(node->impl);
  for (int i = 0; i < node->nmeta; ++i) {
    free(node->meta_keys[i]);
    free(node->meta_values[i]);
  }
  free(node->meta_keys);
  free(node->meta_values);
  free(node);
}
