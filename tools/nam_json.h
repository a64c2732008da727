/* Pieces of .nam JSON shared by the model writers (gen-demo-model, gen-model presets). */
#ifndef TRIODE_TOOLS_NAM_JSON_H
#define TRIODE_TOOLS_NAM_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>

/* A weight as the shortest decimal ("%.9g") that reads back as the same float, so files are exact and compact. */
cJSON*
nam_json_float(float v);

/* A legacy-key layer array (kernel_size, head_size, head_bias, gated false, Tanh), as every reader accepts:
   `dilations` has `num_layers` entries. Returns NULL when out of memory. */
cJSON*
nam_json_legacy_array(int input_size, int channels, int head_size, bool head_bias, int kernel_size,
                      const int* dilations, int num_layers);

/* object[key] = [values...]. */
void
nam_json_add_ints(cJSON* object, const char* key, const int* values, int count);

#endif
