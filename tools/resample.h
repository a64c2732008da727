/*
 * Streaming sample-rate conversion (libsamplerate, best sinc quality) for interleaved audio. Output is pushed to
 * a sink as it becomes available, so whole files never need to be held in memory.
 */
#ifndef TRIODE_TOOLS_RESAMPLE_H
#define TRIODE_TOOLS_RESAMPLE_H

#include <stdbool.h>

/* Receives `frames` interleaved frames; the data may be modified. Returns false to abort the stream. */
typedef bool (*FrameSink)(void* context, float* interleaved, long frames);

typedef struct Resampler Resampler;

/* ratio = output rate / input rate. Returns CLI_OK, or an error code after printing a message. */
int
resampler_new(int channels, double ratio, Resampler** resampler);
/* Converts `frames` input frames, passing every produced frame to `sink`. */
bool
resampler_push(Resampler* resampler, const float* interleaved, long frames, FrameSink sink, void* context);
/* Signals the end of the input and passes the remaining output (the filter's tail) to `sink`. */
bool
resampler_finish(Resampler* resampler, FrameSink sink, void* context);
void
resampler_free(Resampler* resampler);

#endif /* TRIODE_TOOLS_RESAMPLE_H */
