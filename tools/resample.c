/* libsamplerate's src_process wrapped as a push stream with a final end_of_input flush. */
#include "resample.h"

#include "cli.h"

#include <samplerate.h>
#include <stdlib.h>

enum { OUT_FRAMES = 4096 };

struct Resampler {
  SRC_STATE* state;
  int channels;
  double ratio;
  float* out; /* OUT_FRAMES interleaved frames */
};

int
resampler_new(int channels, double ratio, Resampler** out)
{
  *out = NULL;
  if (!src_is_valid_ratio(ratio)) {
    cli_error("cannot resample by a factor of %g", ratio);
    return CLI_BAD_AUDIO;
  }
  Resampler* r = calloc(1, sizeof *r);
  if (!r) {
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  int error = 0;
  r->state = src_new(SRC_SINC_BEST_QUALITY, channels, &error);
  r->out = malloc(sizeof(float) * OUT_FRAMES * (size_t)channels);
  if (!r->state || !r->out) {
    cli_error("cannot start the resampler: %s", r->state ? "out of memory" : src_strerror(error));
    resampler_free(r);
    return CLI_INTERNAL;
  }
  r->channels = channels;
  r->ratio = ratio;
  *out = r;
  return CLI_OK;
}

/* One src_process call; returns the frames consumed through *used and the frames produced, or -1 on error. */
static long
convert(Resampler* r, const float* in, long frames, bool end, long* used)
{
  SRC_DATA data = {0};
  data.data_in = in;
  data.input_frames = frames;
  data.data_out = r->out;
  data.output_frames = OUT_FRAMES;
  data.src_ratio = r->ratio;
  data.end_of_input = end ? 1 : 0;
  int error = src_process(r->state, &data);
  if (error) {
    cli_error("resampling failed: %s", src_strerror(error));
    return -1;
  }
  *used = data.input_frames_used;
  return data.output_frames_gen;
}

bool
resampler_push(Resampler* r, const float* in, long frames, FrameSink sink, void* context)
{
  while (frames > 0) {
    long used = 0;
    long made = convert(r, in, frames, false, &used);
    if (made < 0)
      return false;
    if (made > 0 && !sink(context, r->out, made))
      return false;
    if (used == 0 && made == 0) {
      cli_error("resampling failed: the converter stopped consuming input");
      return false;
    }
    in += used * r->channels;
    frames -= used;
  }
  return true;
}

bool
resampler_finish(Resampler* r, FrameSink sink, void* context)
{
  for (;;) {
    long used = 0;
    /* Some libsamplerate versions reject a null input pointer even with zero frames. */
    static const float none[1] = {0.0f};
    long made = convert(r, none, 0, true, &used);
    if (made < 0)
      return false;
    if (made == 0)
      return true;
    if (!sink(context, r->out, made))
      return false;
  }
}

void
resampler_free(Resampler* r)
{
  if (!r)
    return;
  if (r->state)
    src_delete(r->state);
  free(r->out);
  free(r);
}
