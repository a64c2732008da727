/*
 * The streaming render pipeline: read -> (downmix) -> (resample up) -> model -> (resample down) -> write.
 * Memory stays bounded whatever the file length. The writer emits exactly as many frames as were read: the
 * resamplers' rounding can leave the chain a frame short (padded with silence) or long (dropped).
 */
#include "render.h"

#include "audio_io.h"
#include "cli.h"
#include "progress.h"
#include "render_engine.h"
#include "resample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
render_options_init(RenderOptions* o)
{
  memset(o, 0, sizeof *o);
  o->block = 64;
  o->slim = 1.0;
  o->progress = true;
  o->threads = 1;
}

typedef struct {
  RenderEngine engine;
  Resampler* up;   /* file rate -> model rate; NULL when the rates match */
  Resampler* down; /* model rate -> file rate */
  AudioWriter* writer;
  int channels;
  long long read;    /* frames read from the input so far: the most the writer may emit */
  long long written;
  Levels* output;
} Pipeline;

/* Last stage: writes at most as many frames as have been read. */
static bool
write_sink(void* context, float* data, long frames)
{
  Pipeline* p = context;
  long long room = p->read - p->written;
  long n = frames < room ? frames : (long)room;
  if (n <= 0)
    return true;
  levels_add(p->output, data, n * p->channels);
  if (!audio_writer_write(p->writer, data, n))
    return false;
  p->written += n;
  return true;
}

/* Middle stage: the model, then back to the file's rate if needed. */
static bool
model_sink(void* context, float* data, long frames)
{
  Pipeline* p = context;
  if (!render_engine_process(&p->engine, data, frames))
    return false;
  return p->down ? resampler_push(p->down, data, frames, write_sink, p) : write_sink(p, data, frames);
}

void
render_downmix(float* data, long frames, int in_channels)
{
  for (long i = 0; i < frames; i++) {
    float sum = 0.0f;
    for (int c = 0; c < in_channels; c++)
      sum += data[i * in_channels + c];
    data[i] = sum / (float)in_channels;
  }
}

static bool
pad_to_length(Pipeline* p)
{
  if (p->written >= p->read)
    return true;
  enum { PAD_FRAMES = 256 };
  float* silence = calloc((size_t)PAD_FRAMES * (size_t)p->channels, sizeof(float));
  if (!silence) {
    cli_error("out of memory");
    return false;
  }
  bool ok = true;
  while (ok && p->written < p->read) {
    long n = p->read - p->written < PAD_FRAMES ? (long)(p->read - p->written) : PAD_FRAMES;
    ok = audio_writer_write(p->writer, silence, n);
    p->written += n;
  }
  free(silence);
  return ok;
}

/* Reads the whole input and pushes it through the chain, then flushes the resamplers' tails. */
static bool
run_stream(Pipeline* p, AudioReader* reader, const AudioFormat* format, RenderStats* stats, bool show_progress)
{
  float* chunk = malloc(sizeof(float) * RENDER_CHUNK_FRAMES * (size_t)format->channels);
  if (!chunk) {
    cli_error("out of memory");
    return false;
  }
  Progress progress;
  progress_begin(&progress, format->frames, show_progress && format->frames > 5LL * format->sample_rate);
  bool ok = true;
  for (;;) {
    long n = audio_reader_read(reader, chunk, RENDER_CHUNK_FRAMES);
    if (n < 0)
      ok = false;
    if (n <= 0)
      break;
    if (p->channels != format->channels)
      render_downmix(chunk, n, format->channels);
    levels_add(&stats->input, chunk, n * p->channels);
    p->read += n;
    ok = p->up ? resampler_push(p->up, chunk, n, model_sink, p) : model_sink(p, chunk, n);
    if (!ok)
      break;
    progress_update(&progress, p->read);
  }
  progress_end(&progress);
  free(chunk);
  if (ok && p->up)
    ok = resampler_finish(p->up, model_sink, p) && resampler_finish(p->down, write_sink, p);
  return ok && pad_to_length(p);
}

bool
render_same_file(const char* a, const char* b)
{
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int
open_resamplers(Pipeline* p, int file_rate, const RenderOptions* options)
{
  double model_rate = p->engine.model_rate;
  if (options->raw_f32 || fabs(model_rate - file_rate) < 1e-9)
    return CLI_OK;
  cli_note("resampling %d Hz -> %g Hz and back", file_rate, model_rate);
  int rc = resampler_new(p->channels, model_rate / file_rate, &p->up);
  if (rc == CLI_OK)
    rc = resampler_new(p->channels, file_rate / model_rate, &p->down);
  return rc;
}

static int
render_with_input(Pipeline* p, AudioReader* reader, const AudioFormat* format, const char* out_path,
                  const RenderOptions* options, RenderStats* stats)
{
  p->channels = options->mono ? 1 : format->channels;
  stats->channels = p->channels;
  stats->file_rate = format->sample_rate;
  stats->model_rate = p->engine.model_rate;
  int rc = render_engine_start(&p->engine, p->channels, options);
  if (rc == CLI_OK)
    rc = open_resamplers(p, format->sample_rate, options);
  if (rc != CLI_OK)
    return rc;
  rc = audio_writer_open(out_path, options->raw_f32 ? AUDIO_RAW_F32 : AUDIO_WAV_FLOAT, p->channels,
                         format->sample_rate, &p->writer);
  if (rc != CLI_OK)
    return rc;
  bool ok = run_stream(p, reader, format, stats, options->progress && !cli_is_quiet());
  stats->frames = p->written;
  stats->process_seconds = p->engine.process_seconds;
  if (!ok) {
    audio_writer_abort(p->writer);
    p->writer = NULL;
    return CLI_BAD_AUDIO;
  }
  ok = audio_writer_close(p->writer);
  p->writer = NULL;
  if (!ok) {
    unlink(out_path);
    return CLI_BAD_AUDIO;
  }
  return CLI_OK;
}

int
render_file(const char* model_path, const char* in_path, const char* out_path, const RenderOptions* options,
            RenderStats* stats)
{
  memset(stats, 0, sizeof *stats);
  levels_init(&stats->input);
  levels_init(&stats->output);
  if (render_same_file(in_path, out_path)) {
    cli_error("the output '%s' is the input file; choose another output name", out_path);
    return CLI_USAGE;
  }
  Pipeline p;
  memset(&p, 0, sizeof p);
  p.output = &stats->output;
  int rc = render_engine_load(&p.engine, model_path, options);
  if (rc == CLI_OK) {
    snprintf(stats->architecture, sizeof stats->architecture, "%s", triode_model_architecture(p.engine.model));
    stats->num_params = triode_model_num_params(p.engine.model);
    AudioReader* reader = NULL;
    AudioFormat format;
    rc = audio_reader_open(in_path, options->raw_f32, (int)lround(p.engine.model_rate), &reader, &format);
    if (rc == CLI_OK)
      rc = render_with_input(&p, reader, &format, out_path, options, stats);
    audio_reader_close(reader);
  }
  audio_writer_abort(p.writer);
  resampler_free(p.up);
  resampler_free(p.down);
  render_engine_free(&p.engine);
  return rc;
}
