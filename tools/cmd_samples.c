/*
 * Hidden helpers for the numeric CLI tests (see cmd_testutil.c):
 *   txt2f32 IN.txt OUT.f32          one number per line -> raw little-endian float32
 *   cmp-f32 OUT REF [--rtol R]      |out - ref| <= R·max(1, |ref|) per sample; each file is .txt (one number
 *                                   per line), .f32 (raw float32) or any audio file (all channels, interleaved)
 */
#include "args.h"
#include "audio_io.h"
#include "cli.h"
#include "testutil.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads a text file of numbers (one per line) or a raw float32 file into a new array of doubles. */
static int
load_samples(const char* path, double** values, long* count)
{
  size_t length = strlen(path);
  *values = NULL;
  *count = 0;
  if (length > 4 && strcmp(path + length - 4, ".txt") == 0) {
    FILE* f = fopen(path, "r");
    if (!f) {
      cli_error("cannot open '%s': %s", path, strerror(errno));
      return CLI_BAD_AUDIO;
    }
    long capacity = 0;
    double v;
    while (fscanf(f, "%lf", &v) == 1) {
      if (*count == capacity) {
        capacity = capacity ? capacity * 2 : 4096;
        double* grown = realloc(*values, sizeof(double) * (size_t)capacity);
        if (!grown) {
          fclose(f);
          return CLI_INTERNAL;
        }
        *values = grown;
      }
      (*values)[(*count)++] = v;
    }
    bool bad = !feof(f);
    fclose(f);
    if (bad)
      cli_error("'%s': not a list of numbers", path);
    return bad ? CLI_BAD_AUDIO : CLI_OK;
  }
  bool raw = length > 4 && strcmp(path + length - 4, ".f32") == 0;
  AudioReader* reader = NULL;
  AudioFormat format;
  int rc = audio_reader_open(path, raw, 48000, &reader, &format);
  if (rc != CLI_OK)
    return rc;
  if (format.frames < 0) {
    audio_reader_close(reader);
    cli_error("'%s': unknown length", path);
    return CLI_BAD_AUDIO;
  }
  long total = (long)format.frames * format.channels;
  *values = malloc(sizeof(double) * (size_t)(total + 1));
  float chunk[1024];
  long n;
  while (*values && (n = audio_reader_read(reader, chunk, 1024 / format.channels)) > 0)
    for (long i = 0; i < n * format.channels && *count < total; i++)
      (*values)[(*count)++] = chunk[i];
  audio_reader_close(reader);
  return *values ? CLI_OK : CLI_INTERNAL;
}

int
cmd_txt2f32(int argc, char** argv)
{
  const char* pos[2];
  int rc = testutil_parse("txt2f32", argc, argv, NULL, 0, pos, 2);
  if (rc != CLI_OK)
    return rc < 0 ? CLI_OK : rc;
  double* values = NULL;
  long count = 0;
  rc = load_samples(pos[0], &values, &count);
  AudioWriter* writer = NULL;
  if (rc == CLI_OK)
    rc = audio_writer_open(pos[1], AUDIO_RAW_F32, 1, 48000, &writer);
  for (long i = 0; rc == CLI_OK && i < count; i++) {
    float v = (float)values[i];
    if (!audio_writer_write(writer, &v, 1)) {
      audio_writer_abort(writer);
      writer = NULL;
      rc = CLI_BAD_AUDIO;
    }
  }
  if (writer && !audio_writer_close(writer))
    rc = CLI_BAD_AUDIO;
  free(values);
  return rc;
}

int
cmd_cmp_f32(int argc, char** argv)
{
  double rtol = 1e-5;
  const ArgSpec specs[] = {{"rtol", 0, ARG_DOUBLE, &rtol, 0, 1, NULL}};
  const char* pos[2];
  int rc = testutil_parse("cmp-f32", argc, argv, specs, 1, pos, 2);
  if (rc != CLI_OK)
    return rc < 0 ? CLI_OK : rc;
  double *out = NULL, *ref = NULL;
  long n_out = 0, n_ref = 0;
  rc = load_samples(pos[0], &out, &n_out);
  if (rc == CLI_OK)
    rc = load_samples(pos[1], &ref, &n_ref);
  if (rc == CLI_OK && n_out != n_ref) {
    cli_error("cmp-f32: %ld samples in '%s' but %ld in '%s'", n_out, pos[0], n_ref, pos[1]);
    rc = CLI_USAGE;
  }
  double worst = 0.0;
  long worst_at = -1, failures = 0;
  for (long i = 0; rc == CLI_OK && i < n_out; i++) {
    double error = fabs(out[i] - ref[i]) / fmax(1.0, fabs(ref[i]));
    if (!(error <= rtol))
      failures++;
    if (!(error <= worst)) {
      worst = error;
      worst_at = i;
    }
  }
  if (rc == CLI_OK) {
    printf("cmp-f32: %ld samples, worst scaled error %.3g at %ld, %ld over %.3g\n", n_out, worst, worst_at, failures,
           rtol);
    rc = failures ? CLI_USAGE : CLI_OK;
  }
  free(out);
  free(ref);
  return rc;
}
