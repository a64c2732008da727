/* Sequential (spec §3.8): children run in series, so the container must equal running them one after the other;
   its validation (empty weight list, matching channel counts, sample rates) refuses bad files with clear errors. */
#include "test_util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 8192
#define BLOCK 64

static const char* const k_linear =
  "{\"version\":\"0.5.4\",\"architecture\":\"Linear\",\"sample_rate\":48000,"
  "\"config\":{\"receptive_field\":3,\"bias\":true},\"weights\":[0.5,-0.25,0.125,0.01]}";

/* {"version":..,"architecture":"Sequential","config":{"models":[A,B]},"weights":W} in a new string. */
static char*
sequential_json(const char* a, const char* b, const char* weights, const char* rate)
{
  const size_t cap = strlen(a) + strlen(b) + 256;
  char* s = malloc(cap);
  assert_non_null(s);
  snprintf(s, cap,
           "{\"version\":\"0.7.0\",\"architecture\":\"Sequential\",\"sample_rate\":%s,"
           "\"config\":{\"models\":[%s,%s]},\"weights\":%s}",
           rate, a, b, weights);
  return s;
}

static char*
wavenet_text(void)
{
  char* path = tu_model_path("wavenet");
  assert_non_null(path);
  size_t len = 0;
  char* text = tu_read_file(path, &len);
  assert_non_null(text);
  free(path);
  return text;
}

/* Without prewarm every history starts at zero in both setups, so the outputs match to rounding. */
static void
test_series_equals_children(void** state)
{
  (void)state;
  char* wn_text = wavenet_text();
  char* seq_text = sequential_json(wn_text, k_linear, "[]", "48000");
  TriodeLoadOptions opts;
  triode_load_options_init(&opts);
  opts.no_prewarm = true;
  TriodeModel* seq = tu_load_json(seq_text, &opts);
  TriodeModel* wn = tu_load_json(wn_text, &opts);
  TriodeModel* lin = tu_load_json(k_linear, &opts);
  assert_string_equal(triode_model_architecture(seq), "Sequential");
  assert_int_equal(triode_model_num_params(seq), triode_model_num_params(wn) + triode_model_num_params(lin));
  /* Receptive fields add up minus the shared current sample. */
  assert_int_equal(triode_model_receptive_field(seq),
                   triode_model_receptive_field(wn) + triode_model_receptive_field(lin) - 1);

  TriodeInstance* is = tu_instance(seq, BLOCK);
  TriodeInstance* iw = tu_instance(wn, BLOCK);
  TriodeInstance* il = tu_instance(lin, BLOCK);
  float* x = malloc(N * sizeof *x);
  float* mid = malloc(N * sizeof *mid);
  float* want = malloc(N * sizeof *want);
  float* got = malloc(N * sizeof *got);
  assert_true(x && mid && want && got);
  tu_sine(x, N);
  tu_process(iw, x, mid, N, BLOCK);
  tu_process(il, mid, want, N, BLOCK);
  tu_process(is, x, got, N, 37); /* another chunking on purpose */
  assert_true(tu_compare_f("sequential(wavenet, linear)", got, want, N, 1e-6));
  /* The series is not the identity: the FIR changes the WaveNet's output. */
  float diff = 0.0f;
  for (size_t i = 0; i < N; ++i) diff = fmaxf(diff, fabsf(mid[i] - want[i]));
  assert_true(diff > 1e-4f);

  free(x);
  free(mid);
  free(want);
  free(got);
  triode_instance_free(is);
  triode_instance_free(iw);
  triode_instance_free(il);
  triode_model_free(seq);
  triode_model_free(wn);
  triode_model_free(lin);
  free(seq_text);
  free(wn_text);
}

/* A Sequential nested in a Sequential loads and runs. */
static void
test_nested(void** state)
{
  (void)state;
  char* inner = sequential_json(k_linear, k_linear, "[]", "48000");
  char* outer = sequential_json(inner, k_linear, "[]", "48000");
  TriodeModel* m = tu_load_json(outer, NULL);
  assert_int_equal(triode_model_num_params(m), 12);
  TriodeInstance* inst = tu_instance(m, BLOCK);
  float x[BLOCK] = {1.0f}, y[BLOCK];
  tu_process(inst, x, y, BLOCK, BLOCK);
  /* Impulse through three identical FIRs with bias: y[0] = ((0.5 + b) * 0.5 + b) * 0.5 + b. */
  const float b = 0.01f, y0 = ((0.5f + b) * 0.5f + b) * 0.5f + b;
  assert_float_equal(y[0], y0, 1e-6f);
  triode_instance_free(inst);
  triode_model_free(m);
  free(inner);
  free(outer);
}

static void
expect_error(const char* json, TriodeStatus status, const char* needle)
{
  TriodeModel* m = NULL;
  TriodeError err;
  assert_int_equal(triode_model_load_string(json, strlen(json), "seq.nam", NULL, &m, &err), status);
  assert_null(m);
  if (!strstr(err.message, needle)) fail_msg("message \"%s\" does not mention \"%s\"", err.message, needle);
}

static void
test_validation(void** state)
{
  (void)state;
  /* Weights belong to the children: a non-empty list at the top is refused. */
  char* s = sequential_json(k_linear, k_linear, "[1.0]", "48000");
  expect_error(s, TRIODE_ERR_BAD_WEIGHTS, "weights");
  free(s);
  /* A child whose rate differs from the container's. */
  s = sequential_json(k_linear, k_linear, "[]", "44100");
  expect_error(s, TRIODE_ERR_BAD_CONFIG, "sample rate");
  free(s);
  /* Two outputs feeding a one-input model. */
  const char* two_out = "{\"version\":\"0.5.4\",\"architecture\":\"Linear\",\"sample_rate\":48000,"
                        "\"config\":{\"receptive_field\":1,\"bias\":false,\"in_channels\":2,\"out_channels\":2},"
                        "\"weights\":[1.0]}";
  s = sequential_json(two_out, k_linear, "[]", "48000");
  expect_error(s, TRIODE_ERR_BAD_CONFIG, "inputs");
  free(s);
  /* No children. */
  expect_error("{\"version\":\"0.7.0\",\"architecture\":\"Sequential\",\"config\":{\"models\":[]},\"weights\":[]}",
               TRIODE_ERR_BAD_CONFIG, "config.models");
}

int
main(void)
{
  tu_shared_dir(); /* exits 77 (skip) when ../shared is missing, unless CI is set */
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_series_equals_children),
    cmocka_unit_test(test_nested),
    cmocka_unit_test(test_validation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
