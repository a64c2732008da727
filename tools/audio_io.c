/* libsndfile and raw float32 behind one small reader/writer interface, with file errors reported by name. */
#include "audio_io.h"

#include "cli.h"

#include <errno.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct AudioReader {
  SNDFILE* sf; /* NULL for raw */
  FILE* raw;
  const char* path;
};

struct AudioWriter {
  SNDFILE* sf;
  FILE* raw;
  char* path; /* owned copy, so abort can delete the file */
  int channels;
};

/* Raw files are little-endian by definition; swap on big-endian hosts. */
static bool
host_is_little_endian(void)
{
  const uint16_t probe = 1;
  unsigned char first;
  memcpy(&first, &probe, 1);
  return first == 1;
}

static void
swap_floats(float* data, long count)
{
  for (long i = 0; i < count; i++) {
    unsigned char b[4], r[4];
    memcpy(b, &data[i], 4);
    r[0] = b[3], r[1] = b[2], r[2] = b[1], r[3] = b[0];
    memcpy(&data[i], r, 4);
  }
}

/* libsndfile's own messages for a directory or an empty file are cryptic, so those cases are checked first. */
static int
check_input_file(const char* path, long long* size)
{
  struct stat st;
  if (stat(path, &st) != 0) {
    cli_error("cannot open '%s': %s", path, strerror(errno));
    return CLI_BAD_AUDIO;
  }
  if (S_ISDIR(st.st_mode)) {
    cli_error("cannot read '%s': it is a directory", path);
    return CLI_BAD_AUDIO;
  }
  if (!S_ISREG(st.st_mode)) {
    cli_error("cannot read '%s': not a regular file", path);
    return CLI_BAD_AUDIO;
  }
  if (st.st_size == 0) {
    cli_error("cannot read '%s': the file is empty", path);
    return CLI_BAD_AUDIO;
  }
  *size = (long long)st.st_size;
  return CLI_OK;
}

static int
open_raw_reader(AudioReader* reader, long long size, int raw_rate, AudioFormat* format)
{
  if (size % 4 != 0) {
    cli_error("'%s' is not raw float32 audio (its size, %lld bytes, is not a multiple of 4)", reader->path, size);
    return CLI_BAD_AUDIO;
  }
  reader->raw = fopen(reader->path, "rb");
  if (!reader->raw) {
    cli_error("cannot open '%s': %s", reader->path, strerror(errno));
    return CLI_BAD_AUDIO;
  }
  format->channels = 1;
  format->sample_rate = raw_rate;
  format->frames = size / 4;
  return CLI_OK;
}

static int
open_sndfile_reader(AudioReader* reader, AudioFormat* format)
{
  SF_INFO info;
  memset(&info, 0, sizeof info);
  reader->sf = sf_open(reader->path, SFM_READ, &info);
  if (!reader->sf) {
    cli_error("cannot read '%s' as audio: %s", reader->path, sf_strerror(NULL));
    return CLI_BAD_AUDIO;
  }
  if (info.channels < 1 || info.samplerate < 1) {
    cli_error("cannot read '%s': unsupported audio format (%d channels, %d Hz)", reader->path, info.channels,
              info.samplerate);
    return CLI_BAD_AUDIO;
  }
  format->channels = info.channels;
  format->sample_rate = info.samplerate;
  format->frames = info.frames >= 0 && info.frames < SF_COUNT_MAX ? (long long)info.frames : -1;
  return CLI_OK;
}

int
audio_reader_open(const char* path, bool raw, int raw_rate, AudioReader** out, AudioFormat* format)
{
  *out = NULL;
  long long size = 0;
  int rc = check_input_file(path, &size);
  if (rc != CLI_OK)
    return rc;
  AudioReader* reader = calloc(1, sizeof *reader);
  if (!reader) {
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  reader->path = path;
  rc = raw ? open_raw_reader(reader, size, raw_rate, format) : open_sndfile_reader(reader, format);
  if (rc != CLI_OK) {
    audio_reader_close(reader);
    return rc;
  }
  *out = reader;
  return CLI_OK;
}

long
audio_reader_read(AudioReader* reader, float* interleaved, long frames)
{
  if (reader->raw) {
    size_t got = fread(interleaved, sizeof(float), (size_t)frames, reader->raw);
    if (got < (size_t)frames && ferror(reader->raw)) {
      cli_error("error reading '%s': %s", reader->path, strerror(errno));
      return -1;
    }
    if (!host_is_little_endian())
      swap_floats(interleaved, (long)got);
    return (long)got;
  }
  sf_count_t got = sf_readf_float(reader->sf, interleaved, frames);
  if (got < frames && sf_error(reader->sf) != SF_ERR_NO_ERROR) {
    cli_error("error reading '%s': %s", reader->path, sf_strerror(reader->sf));
    return -1;
  }
  return (long)got;
}

void
audio_reader_close(AudioReader* reader)
{
  if (!reader)
    return;
  if (reader->sf)
    sf_close(reader->sf);
  if (reader->raw)
    fclose(reader->raw);
  free(reader);
}

static int
sndfile_format(AudioFileKind kind)
{
  switch (kind) {
  case AUDIO_WAV_PCM16:
    return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  case AUDIO_WAV_PCM24:
    return SF_FORMAT_WAV | SF_FORMAT_PCM_24;
  default:
    return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
  }
}

int
audio_writer_open(const char* path, AudioFileKind kind, int channels, int sample_rate, AudioWriter** out)
{
  *out = NULL;
  AudioWriter* writer = calloc(1, sizeof *writer);
  char* copy = malloc(strlen(path) + 1);
  if (!writer || !copy) {
    free(writer);
    free(copy);
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  writer->path = strcpy(copy, path);
  writer->channels = channels;
  if (kind == AUDIO_RAW_F32) {
    writer->raw = fopen(path, "wb");
    if (!writer->raw) {
      cli_error("cannot create '%s': %s", path, strerror(errno));
      free(writer->path);
      free(writer);
      return CLI_BAD_AUDIO;
    }
  } else {
    SF_INFO info;
    memset(&info, 0, sizeof info);
    info.channels = channels;
    info.samplerate = sample_rate;
    info.format = sndfile_format(kind);
    writer->sf = sf_open(path, SFM_WRITE, &info);
    if (!writer->sf) {
      cli_error("cannot create '%s': %s", path, sf_strerror(NULL));
      free(writer->path);
      free(writer);
      return CLI_BAD_AUDIO;
    }
    /* Integer formats: clip instead of wrapping around when a sample exceeds full scale. */
    sf_command(writer->sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
  }
  *out = writer;
  return CLI_OK;
}

static bool
write_raw(AudioWriter* writer, const float* data, long frames)
{
  if (host_is_little_endian())
    return fwrite(data, sizeof(float), (size_t)frames, writer->raw) == (size_t)frames;
  float chunk[256];
  for (long done = 0; done < frames;) {
    long n = frames - done < 256 ? frames - done : 256;
    memcpy(chunk, data + done, (size_t)n * sizeof(float));
    swap_floats(chunk, n);
    if (fwrite(chunk, sizeof(float), (size_t)n, writer->raw) != (size_t)n)
      return false;
    done += n;
  }
  return true;
}

bool
audio_writer_write(AudioWriter* writer, const float* interleaved, long frames)
{
  bool ok = writer->raw ? write_raw(writer, interleaved, frames)
                        : sf_writef_float(writer->sf, interleaved, frames) == frames;
  if (!ok)
    cli_error("error writing '%s': %s", writer->path,
              writer->raw ? strerror(errno) : sf_strerror(writer->sf));
  return ok;
}

bool
audio_writer_close(AudioWriter* writer)
{
  if (!writer)
    return true;
  bool ok = true;
  if (writer->raw) {
    ok = fclose(writer->raw) == 0;
  } else if (writer->sf) {
    sf_write_sync(writer->sf);
    ok = sf_close(writer->sf) == 0;
  }
  if (!ok)
    cli_error("error finishing '%s': %s", writer->path, strerror(errno));
  free(writer->path);
  free(writer);
  return ok;
}

void
audio_writer_abort(AudioWriter* writer)
{
  if (!writer)
    return;
  if (writer->raw)
    fclose(writer->raw);
  if (writer->sf)
    sf_close(writer->sf);
  unlink(writer->path);
  free(writer->path);
  free(writer);
}
