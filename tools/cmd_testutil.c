/*
 * Hidden helper subcommands used by tools/tests (not listed in the help): they let the CLI tests create and check
 * audio without python, sox or any other tool.
 *   gen-test-audio OUT --rate R --channels C --seconds S [--format float|pcm16|pcm24]
 *   txt2f32, cmp-f32                (cmd_samples.c)
 *   audio-info FILE                 prints "frames=N channels=C rate=R"
 *   json-check FILE [--array]       exit 0 when FILE holds one valid JSON object (with --array: a non-empty
 *                                   array of objects, what `bench --json` prints)
 */
#include "args.h"
#include "audio_io.h"
#include "cli.h"
#include "testutil.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
testutil_parse(const char* command, int argc, char** argv, const ArgSpec* specs, int num_specs, const char** pos,
               int expected)
{
  int npos = 0;
  ArgsResult parsed = args_parse(command, argc, argv, specs, num_specs, pos, expected, &npos);
  if (parsed == ARGS_HELP) {
    printf("%s: test helper; see tools/cmd_testutil.c\n", command);
    return -1;
  }
  if (parsed != ARGS_OK || npos != expected) {
    if (parsed == ARGS_OK)
      cli_error("%s: expected %d argument%s", command, expected, expected == 1 ? "" : "s");
    return CLI_USAGE;
  }
  return CLI_OK;
}

int
cmd_gen_test_audio(int argc, char** argv)
{
  long rate = 48000, channels = 1;
  double seconds = 1.0;
  const char* format = "float";
  const ArgSpec specs[] = {
    {"rate", 0, ARG_INT, &rate, 1000, 768000, NULL},
    {"channels", 0, ARG_INT, &channels, 1, 64, NULL},
    {"seconds", 0, ARG_DOUBLE, &seconds, 0, 3600, NULL},
    {"format", 0, ARG_STRING, &format, 0, 0, NULL},
  };
  const char* pos[1];
  int rc = testutil_parse("gen-test-audio", argc, argv, specs, 4, pos, 1);
  if (rc != CLI_OK)
    return rc < 0 ? CLI_OK : rc;
  AudioFileKind kind = strcmp(format, "pcm16") == 0 ? AUDIO_WAV_PCM16
                       : strcmp(format, "pcm24") == 0 ? AUDIO_WAV_PCM24
                       : strcmp(format, "float") == 0 ? AUDIO_WAV_FLOAT
                                                      : AUDIO_RAW_F32;
  if (kind == AUDIO_RAW_F32) {
    cli_error("gen-test-audio: --format must be float, pcm16 or pcm24");
    return CLI_USAGE;
  }
  long frames = (long)llround(seconds * (double)rate);
  float* frame = malloc(sizeof(float) * (size_t)channels);
  AudioWriter* writer = NULL;
  rc = frame ? audio_writer_open(pos[0], kind, (int)channels, (int)rate, &writer) : CLI_INTERNAL;
  /* A different tone per channel, so a test can tell channels apart. */
  for (long n = 0; rc == CLI_OK && n < frames; n++) {
    for (long c = 0; c < channels; c++)
      frame[c] = 0.25f * (float)sin(2.0 * 3.14159265358979323846 * 110.0 * (double)(c + 1) * (double)n / (double)rate);
    if (!audio_writer_write(writer, frame, 1)) {
      audio_writer_abort(writer);
      writer = NULL;
      rc = CLI_BAD_AUDIO;
    }
  }
  if (writer && !audio_writer_close(writer))
    rc = CLI_BAD_AUDIO;
  free(frame);
  return rc;
}

int
cmd_audio_info(int argc, char** argv)
{
  const char* pos[1];
  int rc = testutil_parse("audio-info", argc, argv, NULL, 0, pos, 1);
  if (rc != CLI_OK)
    return rc < 0 ? CLI_OK : rc;
  AudioReader* reader = NULL;
  AudioFormat format;
  rc = audio_reader_open(pos[0], false, 0, &reader, &format);
  if (rc == CLI_OK)
    printf("frames=%lld channels=%d rate=%d\n", format.frames, format.channels, format.sample_rate);
  audio_reader_close(reader);
  return rc;
}

/* A non-empty array whose items are all objects. */
static bool
is_array_of_objects(const cJSON* json)
{
  if (!cJSON_IsArray(json) || cJSON_GetArraySize(json) == 0)
    return false;
  const cJSON* item = NULL;
  cJSON_ArrayForEach(item, json)
  {
    if (!cJSON_IsObject(item))
      return false;
  }
  return true;
}

int
cmd_json_check(int argc, char** argv)
{
  bool array = false;
  const ArgSpec specs[] = {{"array", 0, ARG_FLAG, &array, 0, 0, NULL}};
  const char* pos[1];
  int rc = testutil_parse("json-check", argc, argv, specs, 1, pos, 1);
  if (rc != CLI_OK)
    return rc < 0 ? CLI_OK : rc;
  FILE* f = fopen(pos[0], "rb");
  if (!f) {
    cli_error("cannot open '%s': %s", pos[0], strerror(errno));
    return CLI_BAD_AUDIO;
  }
  size_t capacity = 1 << 16, length = 0;
  char* text = malloc(capacity);
  size_t got;
  while (text && (got = fread(text + length, 1, capacity - length - 1, f)) > 0) {
    length += got;
    if (length + 1 == capacity) {
      char* grown = realloc(text, capacity * 2);
      if (!grown) {
        free(text);
        text = NULL;
        break;
      }
      text = grown;
      capacity *= 2;
    }
  }
  fclose(f);
  if (!text)
    return CLI_INTERNAL;
  text[length] = '\0';
  cJSON* json = cJSON_Parse(text);
  free(text);
  bool ok = array ? is_array_of_objects(json) : json && cJSON_IsObject(json);
  cJSON_Delete(json);
  if (!ok)
    cli_error("'%s' is not %s", pos[0], array ? "a JSON array of objects" : "a JSON object");
  return ok ? CLI_OK : CLI_USAGE;
}
