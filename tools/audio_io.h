/*
 * Audio file access for the CLI: libsndfile for real files, plus headerless little-endian float32 ("raw f32")
 * used by the numeric tests. Samples are exchanged as interleaved float frames.
 */
#ifndef TRIODE_TOOLS_AUDIO_IO_H
#define TRIODE_TOOLS_AUDIO_IO_H

#include <stdbool.h>

typedef struct {
  int channels;
  int sample_rate;
  long long frames; /* -1 when the container does not say */
} AudioFormat;

typedef enum {
  AUDIO_RAW_F32,   /* headerless little-endian float32, mono */
  AUDIO_WAV_FLOAT, /* 32-bit float WAV: what `render` writes */
  AUDIO_WAV_PCM16,
  AUDIO_WAV_PCM24,
} AudioFileKind;

typedef struct AudioReader AudioReader;
typedef struct AudioWriter AudioWriter;

/*
 * Opens `path` for reading (raw f32 when `raw`, then `raw_rate` is its rate). Prints a message naming the file
 * and returns CLI_BAD_AUDIO when the file is missing, not a regular file, empty or not audio libsndfile reads.
 */
int
audio_reader_open(const char* path, bool raw, int raw_rate, AudioReader** reader, AudioFormat* format);
/* Reads up to `frames` frames; returns the number read (0 at the end) or -1 after printing a read error. */
long
audio_reader_read(AudioReader* reader, float* interleaved, long frames);
void
audio_reader_close(AudioReader* reader);

/* Creates `path`; prints a message and returns CLI_BAD_AUDIO when it cannot. */
int
audio_writer_open(const char* path, AudioFileKind kind, int channels, int sample_rate, AudioWriter** writer);
/* Appends frames; prints a message and returns false on a write error. */
bool
audio_writer_write(AudioWriter* writer, const float* interleaved, long frames);
/* Finishes the file; returns false (after a message) when the data could not be flushed. */
bool
audio_writer_close(AudioWriter* writer);
/* Closes and deletes a partially written file. Null is allowed. */
void
audio_writer_abort(AudioWriter* writer);

#endif /* TRIODE_TOOLS_AUDIO_IO_H */
