/* Hostile and broken inputs (fixtures in tests/data/bad): loading fails cleanly with the right status and a message
   naming the file and the problem; version acceptance follows spec §1.3. */
#include "test_util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(x) (1u << (x))

typedef struct {
  const char* file;
  unsigned statuses; /* accepted statuses, as a bit mask */
  const char* names; /* text the message must contain besides the file name (the key or the bad value) */
} BadCase;

static const BadCase g_cases[] = {
    {"truncated.nam", S(TRIODE_ERR_BAD_JSON), NULL},
    {"malformed.nam", S(TRIODE_ERR_BAD_JSON), NULL},
    {"trailing_garbage.nam", S(TRIODE_ERR_BAD_JSON), NULL},
    {"not_object.nam", S(TRIODE_ERR_BAD_JSON), NULL},
    {"nan_literal.nam", S(TRIODE_ERR_BAD_JSON), NULL},
    {"empty.nam", S(TRIODE_ERR_IO), NULL},
    {"version_0.8.0.nam", S(TRIODE_ERR_BAD_VERSION), "0.8.0"},
    {"version_0.4.2.nam", S(TRIODE_ERR_BAD_VERSION), "0.4.2"},
    {"version_abc.nam", S(TRIODE_ERR_BAD_VERSION), "abc"},
    {"version_number.nam", S(TRIODE_ERR_BAD_VERSION), "version"},
    {"missing_version.nam", S(TRIODE_ERR_BAD_VERSION), "version"},
    /* The enum has no "missing key" status: accept the one that best fits each key. */
    {"missing_architecture.nam", S(TRIODE_ERR_BAD_ARCH) | S(TRIODE_ERR_BAD_CONFIG) | S(TRIODE_ERR_BAD_JSON),
     "architecture"},
    {"missing_config.nam", S(TRIODE_ERR_BAD_CONFIG) | S(TRIODE_ERR_BAD_JSON), "config"},
    {"missing_weights.nam", S(TRIODE_ERR_BAD_WEIGHTS) | S(TRIODE_ERR_BAD_CONFIG) | S(TRIODE_ERR_BAD_JSON),
     "weights"},
    {"unknown_architecture.nam", S(TRIODE_ERR_BAD_ARCH), "Transformer"},
    {"unknown_activation.nam", S(TRIODE_ERR_BAD_ARCH), "GELU"},
    {"missing_channels.nam", S(TRIODE_ERR_BAD_CONFIG), "channels"},
    {"channels_zero.nam", S(TRIODE_ERR_BAD_CONFIG), "channels"},
    {"channels_negative.nam", S(TRIODE_ERR_BAD_CONFIG), "channels"},
    {"dilation_huge.nam", S(TRIODE_ERR_LIMIT), "dilation"},
    {"weights_short.nam", S(TRIODE_ERR_BAD_WEIGHTS), "weights"},
    {"weights_long.nam", S(TRIODE_ERR_BAD_WEIGHTS), "weights"},
    {"wavenet_weights_short.nam", S(TRIODE_ERR_BAD_WEIGHTS), "weights"},
    {"weights_string.nam", S(TRIODE_ERR_BAD_WEIGHTS), "weights"},
    {"weights_inf.nam", S(TRIODE_ERR_BAD_WEIGHTS), "weights"},
    {"sample_rate_null.nam", S(TRIODE_ERR_BAD_CONFIG), "sample_rate"},
    {"sample_rate_huge.nam", S(TRIODE_ERR_LIMIT) | S(TRIODE_ERR_BAD_CONFIG), "sample_rate"},
    {"loudness_string.nam", S(TRIODE_ERR_BAD_CONFIG), "loudness"},
};

static void check_failure(const char* what, TriodeStatus st, const TriodeModel* model, const TriodeError* err,
                          unsigned statuses, const char* file, const char* names) {
  printf("%s -> %s: %s\n", what, triode_strerror(st), err->message);
  if (st == TRIODE_SUCCESS || !(statuses & S(st))) fail_msg("%s: unexpected status %d (%s)", what, st, triode_strerror(st));
  assert_null(model);
  assert_int_equal(err->status, st);
  assert_true(strlen(err->message) > 0 && strlen(err->message) < sizeof err->message);
  if (file && !strstr(err->message, file)) fail_msg("%s: message does not name the file '%s'", what, file);
  if (names && !strstr(err->message, names)) fail_msg("%s: message does not mention '%s'", what, names);
}

static void test_fixture(void** state) {
  const BadCase* c = *state;
  char* dir = tu_join(TRIODE_TEST_DATA_DIR, "bad");
  char* path = tu_join(dir, c->file);
  size_t len = 0;
  char* text = tu_read_file(path, &len);
  assert_non_null(text);

  TriodeModel* model = NULL;
  TriodeError err = {0};
  TriodeStatus st = triode_model_load_file(path, NULL, &model, &err);
  check_failure(c->file, st, model, &err, c->statuses, c->file, c->names);

  /* The same bytes from memory, named by the caller. An empty string is bad JSON there (nothing was read). */
  unsigned from_memory = c->statuses == S(TRIODE_ERR_IO) ? S(TRIODE_ERR_BAD_JSON) | S(TRIODE_ERR_IO) : c->statuses;
  memset(&err, 0, sizeof err);
  st = triode_model_load_string(text, len, "memory-fixture", NULL, &model, &err);
  check_failure(c->file, st, model, &err, from_memory, "memory-fixture", c->names);

  /* No error report requested: still fails, no crash. */
  assert_int_not_equal(triode_model_load_file(path, NULL, &model, NULL), TRIODE_SUCCESS);
  assert_null(model);
  free(text);
  free(path);
  free(dir);
}

static void test_io_errors(void** state) {
  (void)state;
  TriodeModel* model = NULL;
  TriodeError err = {0};
  TriodeStatus st = triode_model_load_file(TRIODE_TEST_DATA_DIR, NULL, &model, &err);
  check_failure("directory", st, model, &err, S(TRIODE_ERR_IO), "data", NULL);
  memset(&err, 0, sizeof err);
  st = triode_model_load_file(TRIODE_TEST_DATA_DIR "/no-such-file.nam", NULL, &model, &err);
  check_failure("missing file", st, model, &err, S(TRIODE_ERR_IO), "no-such-file.nam", NULL);
}

static void test_bad_args(void** state) {
  (void)state;
  TriodeModel* model = NULL;
  TriodeError err = {0};
  assert_int_equal(triode_model_load_file(NULL, NULL, &model, &err), TRIODE_ERR_BAD_ARG);
  assert_null(model);
  assert_int_equal(triode_model_load_string(NULL, 3, "x", NULL, &model, &err), TRIODE_ERR_BAD_ARG);
  assert_null(model);
  char* path = tu_join(TRIODE_TEST_DATA_DIR, "ok/linear.nam");
  assert_int_equal(triode_model_load_file(path, NULL, NULL, &err), TRIODE_ERR_BAD_ARG);
  free(path);
}

/* The fixtures' valid twins load, so each bad file fails for its own reason. */
static void test_valid_twins(void** state) {
  (void)state;
  static const char* const files[] = {"ok/linear.nam", "ok/wavenet_min.nam"};
  for (size_t i = 0; i < 2; i++) {
    char* path = tu_join(TRIODE_TEST_DATA_DIR, files[i]);
    TriodeModel* m = tu_load(path, NULL);
    assert_null(triode_model_warning(m));
    triode_model_free(m);
    free(path);
  }
}

static TriodeStatus load_version(const char* version, TriodeModel** model, TriodeError* err) {
  char json[256];
  snprintf(json, sizeof json,
           "{\"version\":\"%s\",\"architecture\":\"Linear\",\"config\":{\"receptive_field\":1,\"bias\":true},"
           "\"weights\":[1,0]}",
           version);
  *model = NULL;
  memset(err, 0, sizeof *err);
  return triode_model_load_string(json, strlen(json), "version-test", NULL, model, err);
}

static void test_versions(void** state) {
  (void)state;
  TriodeModel* m;
  TriodeError err;
  static const char* const full[] = {"0.5.0", "0.5.1", "0.5.4", "0.6.0", "0.6.1", "0.7.0"};
  for (size_t i = 0; i < sizeof full / sizeof full[0]; i++) {
    assert_int_equal(load_version(full[i], &m, &err), TRIODE_SUCCESS);
    assert_null(triode_model_warning(m));
    assert_string_equal(triode_model_version(m), full[i]);
    triode_model_free(m);
  }
  static const char* const partial[] = {"0.7.1", "0.7.12"};
  for (size_t i = 0; i < sizeof partial / sizeof partial[0]; i++) {
    assert_int_equal(load_version(partial[i], &m, &err), TRIODE_SUCCESS);
    const char* warning = triode_model_warning(m);
    assert_non_null(warning);
    assert_non_null(strstr(warning, partial[i]));
    triode_model_free(m);
  }
  static const char* const rejected[] = {"0.8.0", "0.4.2", "0.4.9", "1.0.0", "0.10.0", "0.5",  "0.5.0.1",
                                         "v0.5.0", "",     "0.5.x", " 0.5.0", "0.5.0 ", "-0.5.0", "abc"};
  for (size_t i = 0; i < sizeof rejected / sizeof rejected[0]; i++) {
    TriodeStatus st = load_version(rejected[i], &m, &err);
    if (st != TRIODE_ERR_BAD_VERSION) fail_msg("version '%s': got %s", rejected[i], triode_strerror(st));
    assert_null(m);
    assert_non_null(strstr(err.message, "version-test"));
  }
}

/* condition_dsp nested `depth` times around a minimal WaveNet; every level is otherwise valid. */
static char* nested_json(int depth) {
  static const char level[] =
      "{\"version\":\"0.6.0\",\"architecture\":\"WaveNet\",\"weights\":[1, 1,0, 1, 1,0, 1, 1],\"config\":{"
      "\"layers\":[{\"input_size\":1,\"condition_size\":1,\"channels\":1,\"head_size\":1,\"kernel_size\":1,"
      "\"dilations\":[1],\"activation\":\"Tanh\",\"gated\":false,\"head_bias\":false}],\"head_scale\":1.0";
  size_t cap = (size_t)(depth + 1) * (sizeof level + 24) + 16;
  char* s = malloc(cap);
  assert_non_null(s);
  size_t n = 0;
  for (int i = 0; i < depth; i++) n += (size_t)snprintf(s + n, cap - n, "%s,\"condition_dsp\":", level);
  n += (size_t)snprintf(s + n, cap - n, "%s}}", level);
  for (int i = 0; i < depth; i++) n += (size_t)snprintf(s + n, cap - n, "}}");
  return s;
}

static void test_nesting(void** state) {
  (void)state;
  TriodeModel* m = NULL;
  TriodeError err = {0};
  char* json = nested_json(3);
  assert_int_equal(triode_model_load_string(json, strlen(json), "nest3", NULL, &m, &err), TRIODE_SUCCESS);
  free(json);
  TriodeInstance* inst = tu_instance(m, 64);
  float buf[64] = {0.5f};
  assert_int_equal(triode_instance_process_mono(inst, buf, buf, 64), TRIODE_SUCCESS);
  triode_instance_free(inst);
  triode_model_free(m);

  m = NULL;
  json = nested_json(40);
  TriodeStatus st = triode_model_load_string(json, strlen(json), "nest40", NULL, &m, &err);
  free(json);
  check_failure("nest40", st, m, &err, S(TRIODE_ERR_LIMIT), "nest40", NULL);

  /* 1000 levels may also exceed the JSON parser's own depth limit first. */
  json = nested_json(1000);
  st = triode_model_load_string(json, strlen(json), "nest1000", NULL, &m, &err);
  free(json);
  check_failure("nest1000", st, m, &err, S(TRIODE_ERR_LIMIT) | S(TRIODE_ERR_BAD_JSON), "nest1000", NULL);
}

int main(void) {
  enum { NC = sizeof g_cases / sizeof g_cases[0] };
  struct CMUnitTest tests[NC + 6];
  for (size_t i = 0; i < NC; i++)
    tests[i] = (struct CMUnitTest){g_cases[i].file, test_fixture, NULL, NULL, (void*)&g_cases[i]};
  tests[NC] = (struct CMUnitTest)cmocka_unit_test(test_io_errors);
  tests[NC + 1] = (struct CMUnitTest)cmocka_unit_test(test_bad_args);
  tests[NC + 2] = (struct CMUnitTest)cmocka_unit_test(test_valid_twins);
  tests[NC + 3] = (struct CMUnitTest)cmocka_unit_test(test_versions);
  tests[NC + 4] = (struct CMUnitTest)cmocka_unit_test(test_nesting);
  return _cmocka_run_group_tests("bad_input", tests, NC + 5, NULL, NULL);
}
