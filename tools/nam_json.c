/* Pieces of .nam JSON shared by the model writers. */
#include "nam_json.h"

#include <stdio.h>

cJSON*
nam_json_float(float v)
{
  char text[32];
  snprintf(text, sizeof text, "%.9g", (double)v);
  return cJSON_CreateRaw(text);
}

void
nam_json_add_ints(cJSON* object, const char* key, const int* values, int count)
{
  cJSON* array = cJSON_AddArrayToObject(object, key);
  for (int i = 0; array && i < count; i++)
    cJSON_AddItemToArray(array, cJSON_CreateNumber(values[i]));
}

cJSON*
nam_json_legacy_array(int input_size, int channels, int head_size, bool head_bias, int kernel_size,
                      const int* dilations, int num_layers)
{
  cJSON* o = cJSON_CreateObject();
  if (!o)
    return NULL;
  cJSON_AddNumberToObject(o, "input_size", input_size);
  cJSON_AddNumberToObject(o, "condition_size", 1);
  cJSON_AddNumberToObject(o, "head_size", head_size);
  cJSON_AddNumberToObject(o, "channels", channels);
  cJSON_AddNumberToObject(o, "kernel_size", kernel_size);
  nam_json_add_ints(o, "dilations", dilations, num_layers);
  cJSON_AddStringToObject(o, "activation", "Tanh");
  cJSON_AddBoolToObject(o, "gated", false);
  cJSON_AddBoolToObject(o, "head_bias", head_bias);
  return o;
}
