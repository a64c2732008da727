/*
 * Set-up of the batch render: the outputs and their names, the batch, the models (each loaded once and checked
 * against the batch), then every output opened with one instance per channel.
 */
#include "render_gpu_plan.h"

#include "cli.h"
#include "files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* Every output holds its input and output file open at once: lift the soft limit on open files to the hard one. */
static void
raise_open_file_limit(void)
{
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

static bool
allocate(GpuRender* r, int num_models, int count)
{
  r->models = calloc((size_t)num_models, sizeof *r->models);
  r->jobs = calloc((size_t)count, sizeof *r->jobs);
  r->outputs = calloc((size_t)count, sizeof *r->outputs);
  r->num_models = num_models;
  r->count = count;
  if (!r->models || !r->jobs || !r->outputs) {
    cli_error("out of memory");
    return false;
  }
  return true;
}

/* The outputs and their models: one model over the inputs, or the one input through the folder's models. */
static int
plan(GpuRender* r, const char* model_path, const char* const* inputs, int num_inputs, const char* out_path,
     const char* out_dir, const RenderOptions* o, const char* models_dir)
{
  if (!models_dir) {
    if (!allocate(r, 1, num_inputs))
      return CLI_INTERNAL;
    r->models[0].path = model_path;
    for (int i = 0; i < num_inputs; i++)
      r->jobs[i].in_path = inputs[i];
    if (out_dir)
      return render_batch_plan(r->jobs, num_inputs, out_dir, o->raw_f32);
    int n = snprintf(r->jobs[0].out_path, sizeof r->jobs[0].out_path, "%s", out_path);
    if (n < 0 || (size_t)n >= sizeof r->jobs[0].out_path) {
      cli_error("render: output name too long: '%s'", out_path);
      return CLI_USAGE;
    }
    return CLI_OK;
  }
  int num_models = 0;
  int rc = files_list(models_dir, ".nam", &r->model_list, &num_models);
  if (rc != CLI_OK)
    return rc;
  if (num_models == 0) {
    cli_error("render: no .nam file in '%s'", models_dir);
    return CLI_USAGE;
  }
  if (!allocate(r, num_models, num_models))
    return CLI_INTERNAL;
  /* Outputs are named after the models: plan with the model paths as the names, then read the one input. */
  for (int i = 0; i < num_models; i++) {
    r->models[i].path = r->model_list[i];
    r->outputs[i].model = i;
    r->jobs[i].in_path = r->model_list[i];
  }
  rc = render_batch_plan(r->jobs, num_models, out_dir, o->raw_f32);
  for (int i = 0; i < num_models; i++)
    r->jobs[i].in_path = inputs[0];
  return rc;
}

static int
open_batch(GpuRender* r, const char* backend)
{
  TriodeError error;
  memset(&error, 0, sizeof error);
  TriodeStatus status = triode_batch_new(backend, (int)r->block, &r->batch, &error);
  if (status == TRIODE_SUCCESS)
    return CLI_OK;
  /* The library's message names the backend and why (built without CUDA, no usable device). */
  if (error.message[0])
    cli_error("render --gpu: %s", error.message);
  else
    cli_error("render --gpu: cannot open the batch backend '%s': %s", backend, triode_strerror(status));
  return status == TRIODE_ERR_NO_MEMORY ? CLI_INTERNAL : status == TRIODE_ERR_BAD_ARG ? CLI_USAGE : CLI_NO_BACKEND;
}

/* Loads every model and asks the batch whether it runs it; a refused model fails its outputs only. */
static void
load_models(GpuRender* r, const RenderOptions* o)
{
  for (int m = 0; m < r->num_models; m++) {
    GpuModel* model = &r->models[m];
    model->rc = render_engine_load(&model->engine, model->path, o);
    if (model->rc != CLI_OK)
      continue;
    TriodeError error;
    memset(&error, 0, sizeof error);
    TriodeStatus status = triode_batch_supports(r->batch, model->engine.model, &error);
    if (status != TRIODE_SUCCESS) {
      cli_error("%s: the batch cannot run this model: %s", model->path,
                error.message[0] ? error.message : triode_strerror(status));
      model->rc = status == TRIODE_ERR_NO_MEMORY ? CLI_INTERNAL : CLI_BAD_MODEL;
      continue;
    }
    render_engine_gains(model->engine.model, o, &model->input_gain, &model->output_gain);
  }
}

/* Opens each output whose model is usable and adds one instance per channel of its input. */
static int
open_outputs(GpuRender* r, const RenderOptions* o)
{
  for (int j = 0; j < r->count; j++) {
    RenderJob* job = &r->jobs[j];
    GpuOutput* out = &r->outputs[j];
    const GpuModel* model = &r->models[out->model];
    levels_init(&job->stats.input);
    levels_init(&job->stats.output);
    job->rc = model->rc;
    if (job->rc != CLI_OK)
      continue;
    snprintf(job->stats.architecture, sizeof job->stats.architecture, "%s",
             triode_model_architecture(model->engine.model));
    job->stats.num_params = triode_model_num_params(model->engine.model);
    job->rc = gpu_stream_open(&out->stream, job->in_path, job->out_path, model->engine.model_rate,
                              model->input_gain, model->output_gain, o, &job->stats);
    if (job->rc != CLI_OK)
      continue;
    TriodeError error;
    memset(&error, 0, sizeof error);
    TriodeStatus status = triode_batch_add_n(r->batch, model->engine.model, out->stream.channels, &out->first,
                                             &error);
    if (status != TRIODE_SUCCESS) {
      cli_error("%s: cannot add %d instance%s to the batch: %s", model->path, out->stream.channels,
                out->stream.channels == 1 ? "" : "s", error.message[0] ? error.message : triode_strerror(status));
      gpu_stream_close(&out->stream);
      job->rc = status == TRIODE_ERR_NO_MEMORY ? CLI_INTERNAL : CLI_BAD_MODEL;
      if (job->rc == CLI_INTERNAL)
        return CLI_INTERNAL;
      continue;
    }
    out->live = true;
  }
  const size_t samples = (size_t)triode_batch_size(r->batch) * (size_t)r->block;
  r->in = calloc(samples > 0 ? samples : 1, sizeof(float));
  r->out = malloc(sizeof(float) * (samples > 0 ? samples : 1));
  if (!r->in || !r->out) {
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  return CLI_OK;
}

int
render_gpu_setup(GpuRender* r, const char* model_path, const char* const* inputs, int num_inputs,
                 const char* out_path, const char* out_dir, const RenderOptions* options, const RenderGpuOptions* gpu)
{
  memset(r, 0, sizeof *r);
  r->block = options->block;
  raise_open_file_limit();
  int rc = plan(r, model_path, inputs, num_inputs, out_path, out_dir, options, gpu->models_dir);
  if (rc == CLI_OK)
    rc = open_batch(r, gpu->backend);
  if (rc == CLI_OK && out_dir)
    rc = files_make_dirs(out_dir);
  if (rc == CLI_OK) {
    load_models(r, options);
    rc = open_outputs(r, options);
  }
  return rc;
}

void
render_gpu_release(GpuRender* r)
{
  for (int j = 0; r->outputs && j < r->count; j++)
    gpu_stream_close(&r->outputs[j].stream);
  triode_batch_free(r->batch); /* before the models: the batch refers to them */
  for (int m = 0; r->models && m < r->num_models; m++)
    render_engine_free(&r->models[m].engine);
  files_list_free(r->model_list, r->num_models);
  free(r->models);
  free(r->jobs);
  free(r->outputs);
  free(r->in);
  free(r->out);
}
