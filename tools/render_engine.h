/*
 * The model side of a render: the loaded model, one instance per channel, the gains derived from the options and
 * the model's metadata, and the per-block processing of interleaved audio.
 */
#ifndef TRIODE_TOOLS_RENDER_ENGINE_H
#define TRIODE_TOOLS_RENDER_ENGINE_H

#include "render.h"

#include <triode/triode.h>

typedef struct {
  TriodeModel* model;
  TriodeInstance** instances; /* one per channel, all sharing `model` */
  int channels;
  double model_rate;          /* the model's rate, 48 kHz when the file does not say */
  long block;
  float input_gain;           /* linear */
  float output_gain;
  float* scratch;             /* `block` frames per channel, so channels can run at the same time */
  double* channel_seconds;    /* time spent inside the model, per channel */
  double process_seconds;     /* their sum */
  int threads;                /* channels processed at the same time */
} RenderEngine;

/* Loads the model and checks it can render (1 in, 1 out). Returns a CLI exit code. */
int
render_engine_load(RenderEngine* engine, const char* model_path, const RenderOptions* options);
/*
 * The linear input and output gains of a render through `model`: --input-gain / --output-gain plus what
 * --calibrate and --normalize derive from the model's metadata (announced as notes, or warned about).
 */
void
render_engine_gains(const TriodeModel* model, const RenderOptions* options, float* input_gain, float* output_gain);
/* Creates `channels` instances and applies slim, block size and gains. Returns a CLI exit code. */
int
render_engine_start(RenderEngine* engine, int channels, const RenderOptions* options);
/*
 * Runs `frames` interleaved frames through the model in place, the channels on up to `threads` threads (each
 * channel has its own instance, so the result does not depend on the thread count). Returns false after a
 * message on failure.
 */
bool
render_engine_process(RenderEngine* engine, float* interleaved, long frames);
void
render_engine_free(RenderEngine* engine);

#endif /* TRIODE_TOOLS_RENDER_ENGINE_H */
