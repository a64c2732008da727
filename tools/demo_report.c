/* The demo's report on stdout. The layer summary reads the library's JSON description of the model. */
#include "demo_report.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <triode/triode.h>

static int
int_item(const cJSON* object, const char* key)
{
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(object, key);
  return cJSON_IsNumber(item) ? item->valueint : 0;
}

/* "layer array 0: 2 layers x 3 channels, kernel 3, dilations 1 1, head -> 2"; nothing for other architectures. */
static void
print_layer_arrays(const TriodeModel* model)
{
  char* text = triode_model_describe(model, true);
  cJSON* tree = text ? cJSON_Parse(text) : NULL;
  triode_free(text);
  const cJSON* arrays = cJSON_GetObjectItemCaseSensitive(tree, "layer_arrays");
  int index = 0;
  const cJSON* array;
  cJSON_ArrayForEach(array, arrays)
  {
    const cJSON* layers = cJSON_GetObjectItemCaseSensitive(array, "layers");
    printf("             layer array %d: %d layers x %d channels, dilations", index++, cJSON_GetArraySize(layers),
           int_item(array, "channels"));
    const cJSON* layer;
    cJSON_ArrayForEach(layer, layers)
    printf(" %d", int_item(layer, "dilation"));
    const cJSON* first = cJSON_GetArrayItem(layers, 0);
    printf(" (kernel %d), head -> %d\n", first ? int_item(first, "kernel") : 0, int_item(array, "head_size"));
  }
  cJSON_Delete(tree);
}

void
demo_report_model(const char* path)
{
  TriodeModel* model = NULL;
  if (triode_model_load_file(path, NULL, &model, NULL) != TRIODE_SUCCESS)
    return;
  const char* name = NULL;
  for (int i = 0; i < triode_model_metadata_count(model); i++)
    if (strcmp(triode_model_metadata_key(model, i), "name") == 0)
      name = triode_model_metadata_value(model, i);
  printf("  model      %s\n", path);
  printf("             \"%s\": %s, %ld parameters, %g Hz, receptive field %ld samples\n", name ? name : "unnamed",
         triode_model_architecture(model), triode_model_num_params(model), triode_model_sample_rate(model),
         triode_model_receptive_field(model));
  print_layer_arrays(model);
  triode_model_free(model);
}

void
demo_report_levels(const char* di_path, const char* out_path, const Levels* di, const RenderStats* s)
{
  double seconds = s->file_rate > 0 ? (double)s->frames / s->file_rate : 0.0;
  printf("  input      %s: %.2f s of DI guitar, peak %.1f dBFS, RMS %.1f dBFS\n", di_path, seconds,
         levels_peak_db(di), levels_rms_db(di));
  printf("  output     %s: peak %.1f dBFS, RMS %.1f dBFS\n", out_path, levels_peak_db(&s->output),
         levels_rms_db(&s->output));
  if (s->process_seconds > 0.0 && seconds > 0.0)
    printf("  speed      %.3f s to process %.2f s: real-time factor %.4f (%.0fx faster than real time)\n",
           s->process_seconds, seconds, s->process_seconds / seconds, seconds / s->process_seconds);
  printf("Listen to %s, then %s.\n", di_path, out_path);
}
