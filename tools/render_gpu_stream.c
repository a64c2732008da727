/* The stages of one batch-render output around the model: reader -> (downmix) -> (resample up) -> queue, and
   model output -> (resample down) -> writer. */
#include "render_gpu_stream.h"

#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Last stage: writes at most as many frames as have been read (what render.c does). */
static bool
write_sink(void* context, float* data, long frames)
{
  GpuStream* s = context;
  long long room = s->read - s->written;
  long n = frames < room ? frames : (long)room;
  if (n <= 0)
    return true;
  levels_add(&s->stats->output, data, n * s->channels);
  if (!audio_writer_write(s->writer, data, n))
    return false;
  s->written += n;
  return true;
}

/* Appends model-rate frames to the queue, first moving what is left of it to the front. */
static bool
queue_sink(void* context, float* data, long frames)
{
  GpuStream* s = context;
  const size_t channels = (size_t)s->channels;
  if (s->queue_head > 0) {
    memmove(s->queue, s->queue + (size_t)s->queue_head * channels,
            sizeof(float) * (size_t)s->queue_frames * channels);
    s->queue_head = 0;
  }
  if (s->queue_frames + frames > s->queue_capacity) {
    long capacity = s->queue_capacity ? s->queue_capacity : RENDER_CHUNK_FRAMES;
    while (capacity < s->queue_frames + frames)
      capacity *= 2;
    float* grown = realloc(s->queue, sizeof(float) * (size_t)capacity * channels);
    if (!grown) {
      cli_error("out of memory");
      return false;
    }
    s->queue = grown;
    s->queue_capacity = capacity;
  }
  memcpy(s->queue + (size_t)s->queue_frames * channels, data, sizeof(float) * (size_t)frames * channels);
  s->queue_frames += frames;
  return true;
}

static int
open_resamplers(GpuStream* s, double model_rate)
{
  const int file_rate = s->format.sample_rate;
  if (s->options->raw_f32 || fabs(model_rate - file_rate) < 1e-9)
    return CLI_OK;
  cli_note("resampling %d Hz -> %g Hz and back", file_rate, model_rate);
  int rc = resampler_new(s->channels, model_rate / file_rate, &s->up);
  if (rc == CLI_OK)
    rc = resampler_new(s->channels, file_rate / model_rate, &s->down);
  return rc;
}

int
gpu_stream_open(GpuStream* s, const char* in_path, const char* out_path, double model_rate, float input_gain,
                float output_gain, const RenderOptions* options, RenderStats* stats)
{
  memset(s, 0, sizeof *s);
  s->out_path = out_path;
  s->options = options;
  s->stats = stats;
  s->input_gain = input_gain;
  s->output_gain = output_gain;
  if (render_same_file(in_path, out_path)) {
    cli_error("the output '%s' is the input file; choose another output name", out_path);
    return CLI_USAGE;
  }
  int rc = audio_reader_open(in_path, options->raw_f32, (int)lround(model_rate), &s->reader, &s->format);
  if (rc != CLI_OK)
    return rc;
  s->channels = options->mono ? 1 : s->format.channels;
  stats->channels = s->channels;
  stats->file_rate = s->format.sample_rate;
  stats->model_rate = model_rate;
  s->chunk = malloc(sizeof(float) * RENDER_CHUNK_FRAMES * (size_t)s->format.channels);
  if (!s->chunk) {
    cli_error("out of memory");
    rc = CLI_INTERNAL;
  }
  if (rc == CLI_OK)
    rc = open_resamplers(s, model_rate);
  if (rc == CLI_OK)
    rc = audio_writer_open(out_path, options->raw_f32 ? AUDIO_RAW_F32 : AUDIO_WAV_FLOAT, s->channels,
                           s->format.sample_rate, &s->writer);
  if (rc != CLI_OK)
    gpu_stream_close(s);
  return rc;
}

bool
gpu_stream_fill(GpuStream* s, long frames)
{
  while (!s->input_done && s->queue_frames < frames) {
    long n = audio_reader_read(s->reader, s->chunk, RENDER_CHUNK_FRAMES);
    if (n < 0)
      return false;
    if (n == 0) {
      s->input_done = true;
      if (s->up && !resampler_finish(s->up, queue_sink, s))
        return false;
      break;
    }
    if (s->channels != s->format.channels)
      render_downmix(s->chunk, n, s->format.channels);
    levels_add(&s->stats->input, s->chunk, n * s->channels);
    s->read += n;
    if (!(s->up ? resampler_push(s->up, s->chunk, n, queue_sink, s) : queue_sink(s, s->chunk, n)))
      return false;
  }
  return true;
}

long
gpu_stream_queued(const GpuStream* s)
{
  return s->queue_frames;
}

bool
gpu_stream_drained(const GpuStream* s)
{
  return s->input_done && s->queue_frames == 0;
}

void
gpu_stream_take(const GpuStream* s, int channel, float* dst, long frames)
{
  const long n = frames < s->queue_frames ? frames : s->queue_frames;
  const float* x = s->queue + (size_t)s->queue_head * (size_t)s->channels + channel;
  for (long i = 0; i < n; i++)
    dst[i] = x[i * s->channels] * s->input_gain;
  if (n < frames)
    memset(dst + n, 0, sizeof(float) * (size_t)(frames - n));
}

bool
gpu_stream_put(GpuStream* s, const float* out, long stride, long frames)
{
  if (frames > s->block_capacity) {
    float* grown = realloc(s->block, sizeof(float) * (size_t)frames * (size_t)s->channels);
    if (!grown) {
      cli_error("out of memory");
      return false;
    }
    s->block = grown;
    s->block_capacity = frames;
  }
  for (int c = 0; c < s->channels; c++)
    for (long i = 0; i < frames; i++)
      s->block[i * s->channels + c] = out[c * stride + i] * s->output_gain;
  s->queue_head += frames;
  s->queue_frames -= frames;
  return s->down ? resampler_push(s->down, s->block, frames, write_sink, s) : write_sink(s, s->block, frames);
}

/* The resamplers' rounding can leave the output a few frames short of the input: pad with silence. */
static bool
pad_to_length(GpuStream* s)
{
  enum { PAD_FRAMES = 256 };
  float* silence = calloc((size_t)PAD_FRAMES * (size_t)s->channels, sizeof(float));
  bool ok = silence != NULL;
  if (!ok)
    cli_error("out of memory");
  while (ok && s->written < s->read) {
    long n = s->read - s->written < PAD_FRAMES ? (long)(s->read - s->written) : PAD_FRAMES;
    ok = audio_writer_write(s->writer, silence, n);
    s->written += n;
  }
  free(silence);
  return ok;
}

int
gpu_stream_finish(GpuStream* s)
{
  bool ok = (!s->down || resampler_finish(s->down, write_sink, s)) && pad_to_length(s);
  s->stats->frames = s->written;
  if (!ok)
    return CLI_BAD_AUDIO; /* gpu_stream_close() deletes the partial file */
  ok = audio_writer_close(s->writer);
  s->writer = NULL;
  if (!ok) {
    unlink(s->out_path);
    return CLI_BAD_AUDIO;
  }
  return CLI_OK;
}

void
gpu_stream_close(GpuStream* s)
{
  audio_reader_close(s->reader);
  audio_writer_abort(s->writer);
  resampler_free(s->up);
  resampler_free(s->down);
  free(s->chunk);
  free(s->queue);
  free(s->block);
  memset(s, 0, sizeof *s);
}
