/* libFuzzer target: load arbitrary bytes as a model; when they load, run a few blocks through an instance. */
#include "triode/triode.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

/* Work bound for one input: parameters × prewarm samples (prewarm runs on instance creation). */
#define WORK_LIMIT 4e8

static void exercise(const TriodeModel* model) {
  double pts[4];
  double value = 0;
  (void)triode_model_slim_breakpoints(model, pts, 4);
  (void)triode_model_loudness(model, &value);
  for (int i = 0; i < triode_model_metadata_count(model); i++) {
    (void)strlen(triode_model_metadata_key(model, i));
    (void)strlen(triode_model_metadata_value(model, i));
  }
  triode_free(triode_model_describe(model, true));
  triode_free(triode_model_describe(model, false));

  const int nin = triode_model_num_inputs(model), nout = triode_model_num_outputs(model);
  const double prewarm = (double)triode_model_prewarm_samples(model) + 64.0;
  if (nin < 1 || nout < 1 || nin > 8 || nout > 8) return;
  if ((double)triode_model_num_params(model) * prewarm > WORK_LIMIT) return;

  TriodeInstance* inst = NULL;
  if (triode_instance_new(model, &inst, NULL) != TRIODE_SUCCESS) return;
  static float buf[8][256];
  const float* in[8];
  float* out[8];
  for (int c = 0; c < 8; c++) {
    for (int t = 0; t < 256; t++) buf[c][t] = (float)((t % 50) - 25) * 0.02f;
    in[c] = buf[c];
    out[c] = buf[c];
  }
  (void)triode_instance_process(inst, in, out, 64);
  (void)triode_instance_process(inst, in, out, 100); /* above max_block: split internally */
  if (triode_model_is_slimmable(model)) {
    (void)triode_instance_set_slim(inst, 0.0);
    (void)triode_instance_process(inst, in, out, 17);
  }
  (void)triode_instance_reset(inst, 44100, 32);
  (void)triode_instance_process(inst, in, out, 33);
  triode_instance_free(inst);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  TriodeModel* model = NULL;
  TriodeError err;
  if (triode_model_load_string((const char*)data, size, "fuzz", NULL, &model, &err) == TRIODE_SUCCESS) {
    exercise(model);
    triode_model_free(model);
  }
  return 0;
}
