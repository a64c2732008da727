/* Builds the JSON form of `triode info` with cJSON, embedding the library's own JSON description. */
#include "info_json.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>

/* An optional number: the value, or null when the model does not have it. */
static void
add_optional(cJSON* object, const char* key, bool present, double value)
{
  if (present)
    cJSON_AddNumberToObject(object, key, value);
  else
    cJSON_AddNullToObject(object, key);
}

/*
 * The library renders string values unquoted and anything else as compact JSON, so a value is parsed back as
 * JSON and kept as a string when that fails. (A string that happens to read as JSON, e.g. "12", comes back as a
 * number: the API does not say which kind a value was.)
 */
static cJSON*
metadata_value(const char* text)
{
  cJSON* parsed = text ? cJSON_Parse(text) : NULL;
  if (parsed)
    return parsed;
  return text ? cJSON_CreateString(text) : cJSON_CreateNull();
}

static void
add_metadata(cJSON* root, const TriodeModel* model)
{
  cJSON* metadata = cJSON_AddObjectToObject(root, "metadata");
  if (!metadata)
    return;
  int count = triode_model_metadata_count(model);
  for (int i = 0; i < count; i++) {
    const char* key = triode_model_metadata_key(model, i);
    if (key)
      cJSON_AddItemToObject(metadata, key, metadata_value(triode_model_metadata_value(model, i)));
  }
}

static void
add_levels(cJSON* root, const TriodeModel* model)
{
  double v = 0.0;
  bool has = triode_model_loudness(model, &v);
  add_optional(root, "loudness", has, v);
  has = triode_model_input_level_dbu(model, &v);
  add_optional(root, "input_level_dbu", has, v);
  has = triode_model_output_level_dbu(model, &v);
  add_optional(root, "output_level_dbu", has, v);
}

static void
add_slim(cJSON* root, const TriodeModel* model)
{
  cJSON_AddBoolToObject(root, "slimmable", triode_model_is_slimmable(model));
  cJSON* points = cJSON_AddArrayToObject(root, "slim_breakpoints");
  int n = triode_model_slim_breakpoints(model, NULL, 0);
  double* values = n > 0 ? malloc(sizeof(double) * (size_t)n) : NULL;
  if (!points || !values) {
    free(values);
    return;
  }
  n = triode_model_slim_breakpoints(model, values, n);
  for (int i = 0; i < n; i++)
    cJSON_AddItemToArray(points, cJSON_CreateNumber(values[i]));
  free(values);
}

static void
add_describe(cJSON* root, const TriodeModel* model)
{
  char* text = triode_model_describe(model, true);
  cJSON* tree = text ? cJSON_Parse(text) : NULL;
  triode_free(text);
  if (!tree)
    tree = cJSON_CreateNull();
  cJSON_AddItemToObject(root, "describe", tree);
}

char*
info_json(const char* path, const TriodeModel* model)
{
  cJSON* root = cJSON_CreateObject();
  if (!root)
    return NULL;
  cJSON_AddStringToObject(root, "file", path);
  cJSON_AddStringToObject(root, "architecture", triode_model_architecture(model));
  cJSON_AddStringToObject(root, "version", triode_model_version(model));
  cJSON_AddNumberToObject(root, "parameters", (double)triode_model_num_params(model));
  double rate = triode_model_sample_rate(model);
  add_optional(root, "sample_rate", rate > 0.0, rate);
  cJSON_AddNumberToObject(root, "receptive_field", (double)triode_model_receptive_field(model));
  cJSON_AddNumberToObject(root, "prewarm_samples", (double)triode_model_prewarm_samples(model));
  cJSON_AddNumberToObject(root, "num_inputs", triode_model_num_inputs(model));
  cJSON_AddNumberToObject(root, "num_outputs", triode_model_num_outputs(model));
  add_levels(root, model);
  add_slim(root, model);
  const char* warning = triode_model_warning(model);
  if (warning)
    cJSON_AddStringToObject(root, "warning", warning);
  else
    cJSON_AddNullToObject(root, "warning");
  add_metadata(root, model);
  add_describe(root, model);
  char* text = cJSON_Print(root);
  cJSON_Delete(root);
  return text;
}
