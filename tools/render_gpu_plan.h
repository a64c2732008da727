/*
 * Internal to the batch render (render_gpu*.c): what it renders (outputs, models) and its batch. The set-up is in
 * render_gpu_plan.c, the block loop in render_gpu.c.
 */
#ifndef TRIODE_TOOLS_RENDER_GPU_PLAN_H
#define TRIODE_TOOLS_RENDER_GPU_PLAN_H

#include "render_batch.h"
#include "render_engine.h"
#include "render_gpu.h"
#include "render_gpu_stream.h"

#include <triode/batch.h>

typedef struct {
  const char* path;
  RenderEngine engine; /* only its model and model_rate: the batch holds the instances */
  float input_gain, output_gain;
  int rc;              /* CLI_OK when loaded and accepted by the batch */
} GpuModel;

typedef struct {
  int model;
  int first;           /* its first instance in the batch */
  bool live;           /* opened and not finished */
  GpuStream stream;
} GpuOutput;

typedef struct {
  GpuModel* models;
  int num_models;
  char** model_list;   /* --models: the folder's .nam files */
  RenderJob* jobs;     /* in_path, out_path, rc and stats of each output */
  GpuOutput* outputs;
  int count;
  TriodeBatch* batch;
  long block;
  float* in;           /* instances × block, instance-major */
  float* out;
  double seconds;      /* spent in triode_batch_process */
  double audio_seconds; /* model-rate audio processed, summed over instances */
} GpuRender;

/*
 * Plans the outputs (names and models) of one of render_gpu()'s two forms, creates the batch, creates out_dir,
 * loads the models and asks the batch about each (a refused or unloadable model fails its outputs only), opens
 * every output and adds its instances. Returns a CLI exit code for what stops the whole render.
 */
int
render_gpu_setup(GpuRender* render, const char* model_path, const char* const* inputs, int num_inputs,
                 const char* out_path, const char* out_dir, const RenderOptions* options, const RenderGpuOptions* gpu);

/* Frees everything; unfinished output files are deleted. */
void
render_gpu_release(GpuRender* render);

#endif /* TRIODE_TOOLS_RENDER_GPU_PLAN_H */
