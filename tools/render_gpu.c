/*
 * The batch render's block loop: each batch call advances every instance by one block, taken from every output's
 * input queue. An output whose input has ended feeds zeros to its instances until the longest one is done (the
 * batch has a fixed set of instances; what they compute then is dropped).
 */
#include "render_gpu.h"

#include "cli.h"
#include "render_gpu_plan.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static double
now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Closes output j (deleting an unfinished file); its instances compute zeros from now on. */
static void
retire(GpuRender* r, int j)
{
  GpuOutput* out = &r->outputs[j];
  gpu_stream_close(&out->stream);
  out->live = false;
  memset(r->in + (size_t)out->first * (size_t)r->block, 0,
         sizeof(float) * (size_t)r->jobs[j].stats.channels * (size_t)r->block);
}

/* Fills every live output's queue; finishes those that are done. Returns how many still have frames. */
static int
refill(GpuRender* r)
{
  int live = 0;
  for (int j = 0; j < r->count; j++) {
    GpuOutput* out = &r->outputs[j];
    if (!out->live)
      continue;
    if (!gpu_stream_fill(&out->stream, r->block)) {
      r->jobs[j].rc = CLI_BAD_AUDIO;
    } else if (gpu_stream_drained(&out->stream)) {
      r->jobs[j].rc = gpu_stream_finish(&out->stream);
    } else {
      live++;
      continue;
    }
    retire(r, j);
  }
  return live;
}

static int
run_blocks(GpuRender* r)
{
  const size_t block = (size_t)r->block;
  while (refill(r) > 0) {
    for (int j = 0; j < r->count; j++)
      for (int c = 0; r->outputs[j].live && c < r->outputs[j].stream.channels; c++)
        gpu_stream_take(&r->outputs[j].stream, c, r->in + (size_t)(r->outputs[j].first + c) * block, r->block);
    double t0 = now_seconds();
    TriodeStatus status = triode_batch_process(r->batch, r->in, r->out, (int)r->block);
    r->seconds += now_seconds() - t0;
    if (status != TRIODE_SUCCESS) {
      cli_error("render: the batch failed to process a block: %s", triode_strerror(status));
      return CLI_INTERNAL;
    }
    for (int j = 0; j < r->count; j++) {
      GpuOutput* out = &r->outputs[j];
      if (!out->live)
        continue;
      long frames = gpu_stream_queued(&out->stream);
      frames = frames < r->block ? frames : r->block;
      r->audio_seconds += (double)out->stream.channels * (double)r->block / r->jobs[j].stats.model_rate;
      if (!gpu_stream_put(&out->stream, r->out + (size_t)out->first * block, r->block, frames)) {
        r->jobs[j].rc = CLI_BAD_AUDIO;
        retire(r, j);
      }
    }
  }
  return CLI_OK;
}

/* Each output as the CPU render reports it, then one line for the batch. */
static int
report(const GpuRender* r)
{
  int rc = CLI_OK;
  for (int j = 0; j < r->count; j++) {
    if (r->jobs[j].rc == CLI_OK) {
      render_report(r->jobs[j].in_path, r->jobs[j].out_path, &r->jobs[j].stats);
    } else {
      cli_error("'%s' was not rendered", r->jobs[j].out_path);
      rc = rc == CLI_OK ? r->jobs[j].rc : rc;
    }
  }
  const int instances = triode_batch_size(r->batch);
  if (instances > 0 && r->seconds > 0.0)
    cli_note("batch: %s backend, %d instance%s in %d group%s, blocks of %ld: %.3f s for %.2f s of audio "
             "(%.1fx real time in aggregate)",
             triode_batch_backend(r->batch), instances, instances == 1 ? "" : "s",
             triode_batch_group_count(r->batch), triode_batch_group_count(r->batch) == 1 ? "" : "s", r->block,
             r->seconds, r->audio_seconds, r->audio_seconds / r->seconds);
  return rc;
}

int
render_gpu(const char* model_path, const char* const* inputs, int num_inputs, const char* out_path,
           const char* out_dir, const RenderOptions* options, const RenderGpuOptions* gpu)
{
  GpuRender r;
  int rc = render_gpu_setup(&r, model_path, inputs, num_inputs, out_path, out_dir, options, gpu);
  if (rc == CLI_OK)
    rc = run_blocks(&r);
  if (rc == CLI_OK)
    rc = report(&r);
  render_gpu_release(&r);
  return rc;
}
