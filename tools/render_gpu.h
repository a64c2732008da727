/*
 * `triode render --gpu`: many outputs rendered together in one batch (include/triode/batch.h), one model instance
 * per output channel, every instance advancing by one block per batch call. Either one model and many input files
 * (each into its own output), or one input file and every model of a folder (--models: one output per model).
 */
#ifndef TRIODE_TOOLS_RENDER_GPU_H
#define TRIODE_TOOLS_RENDER_GPU_H

#include "render.h"

typedef struct {
  const char* backend;    /* "auto", "cuda" or "host" */
  const char* models_dir; /* --models: the input goes through every .nam in it; NULL: one model */
} RenderGpuOptions;

/*
 * Renders in one batch. Without models_dir: `model_path` over `inputs`, into `out_path` (one input, no out_dir)
 * or into out_dir/<input name>.wav. With models_dir: inputs[0] through every model of the folder into
 * out_dir/<model name>.wav. Each output is reported as it is by the CPU render, followed by the batch's summary.
 * A refused model or a bad file fails alone: the others are still rendered. Returns CLI_OK or the first failing
 * output's exit code; CLI_NO_BACKEND when the backend cannot be opened here.
 */
int
render_gpu(const char* model_path, const char* const* inputs, int num_inputs, const char* out_path,
           const char* out_dir, const RenderOptions* options, const RenderGpuOptions* gpu);

#endif /* TRIODE_TOOLS_RENDER_GPU_H */
