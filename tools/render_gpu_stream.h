/*
 * One output of a batch render (`triode render --gpu`): the CPU render's stages (render.c) cut at the model so
 * that a batch can drive many of them in lockstep. The input file is read, downmixed with --mono and resampled to
 * the model's rate into a queue; the batch takes one block per call from every queue (one instance per channel)
 * and hands the model's output back, which goes to the file's rate and into the output file. The writer emits
 * exactly as many frames as were read, as in render.c.
 */
#ifndef TRIODE_TOOLS_RENDER_GPU_STREAM_H
#define TRIODE_TOOLS_RENDER_GPU_STREAM_H

#include "audio_io.h"
#include "render.h"
#include "resample.h"

typedef struct {
  const char* out_path;
  const RenderOptions* options;
  RenderStats* stats;  /* channels, rates, levels and frames are filled in */
  int channels;        /* model instances: the file's channels, or 1 with --mono */
  float input_gain, output_gain;
  AudioReader* reader;
  AudioFormat format;
  Resampler* up;       /* file rate -> model rate; NULL when the rates match */
  Resampler* down;
  AudioWriter* writer;
  float* chunk;        /* one read of the input file */
  float* queue;        /* model-rate input frames, interleaved, from queue_head on */
  long queue_head, queue_frames, queue_capacity;
  float* block;        /* one block of output frames, interleaved */
  long block_capacity;
  long long read, written;
  bool input_done;     /* the file is read and the up-resampler flushed */
} GpuStream;

/*
 * Opens `in_path`, the resamplers (announced with a note) and `out_path` for a model running at `model_rate`.
 * Returns a CLI exit code after a message; on failure nothing is left open and no output file exists.
 */
int
gpu_stream_open(GpuStream* stream, const char* in_path, const char* out_path, double model_rate, float input_gain,
                float output_gain, const RenderOptions* options, RenderStats* stats);

/* Reads until at least `frames` frames are queued or the input is exhausted. False after a message. */
bool
gpu_stream_fill(GpuStream* stream, long frames);

/* Frames waiting for the model. */
long
gpu_stream_queued(const GpuStream* stream);

/* True when the input is exhausted and every queued frame went through the model. */
bool
gpu_stream_drained(const GpuStream* stream);

/* Channel `channel` of the next `frames` queued frames, times the input gain, into `dst`; zeros past the queue. */
void
gpu_stream_take(const GpuStream* stream, int channel, float* dst, long frames);

/*
 * The model's output for the next `frames` queued frames (frames ≤ gpu_stream_queued()): channel c at
 * out + c * stride. Applies the output gain, writes, and drops those frames from the queue. False after a message.
 */
bool
gpu_stream_put(GpuStream* stream, const float* out, long stride, long frames);

/* After gpu_stream_drained(): flushes the resampler's tail, pads to the input's length and closes the output. */
int
gpu_stream_finish(GpuStream* stream);

/* Frees everything; an output file not finished is deleted. Safe on a zeroed or finished stream. */
void
gpu_stream_close(GpuStream* stream);

#endif /* TRIODE_TOOLS_RENDER_GPU_STREAM_H */
