/* Activations (spec §2.4): values from the reference tests, the fast tanh formula, and name parsing. */
#include "test_util.h"

#include "dsp/activation.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

static float apply1(TriAct act, float x) {
  tri_act_apply(&act, &x, 1, 1, 1);
  return x;
}

static void test_reference_values(void** state) {
  (void)state;
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_LEAKYRELU, .p = {0.01f}}, -1.0f), -0.01, 1e-7);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_LEAKYRELU, .p = {0.01f}}, 2.0f), 2.0, 0);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_SOFTSIGN}, 1.0f), 0.5, 1e-7);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_SOFTSIGN}, 2.0f), 2.0 / 3.0, 1e-7);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_FASTTANH}, 0.0f), 0.0, 0);
  assert_float_equal(tri_fast_tanh(0.0f), 0.0, 0);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_HARDTANH}, 3.0f), 1.0, 0);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_HARDTANH}, -3.0f), -1.0, 0);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_RELU}, -3.0f), 0.0, 0);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_IDENTITY}, -3.5f), -3.5, 0);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_SIGMOID}, 0.0f), 0.5, 1e-7);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_TANH}, 0.5f), tanh(0.5), 1e-7);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_SILU}, 1.0f), 1.0 / (1.0 + exp(-1.0)), 1e-7);
  /* Hardswish: x * clamp(x + 3, 0, 6) / 6 */
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_HARDSWISH}, 1.0f), 4.0 / 6.0, 1e-7);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_HARDSWISH}, -4.0f), 0.0, 0);
  assert_float_equal(apply1((TriAct){.kind = TRI_ACT_HARDSWISH}, 4.0f), 4.0, 1e-7);
  /* LeakyHardtanh lo = -1, hi = 1, slopes 0.01. */
  TriAct lht = {.kind = TRI_ACT_LEAKYHARDTANH, .p = {-1.0f, 1.0f, 0.01f, 0.01f}};
  assert_float_equal(apply1(lht, 3.0f), 1.02, 1e-6);
  assert_float_equal(apply1(lht, -3.0f), -1.02, 1e-6);
  assert_float_equal(apply1(lht, 0.25f), 0.25, 0);
}

static void test_prelu_per_channel(void** state) {
  (void)state;
  float slopes[2] = {0.01f, 0.05f};
  TriAct act = {.kind = TRI_ACT_PRELU, .nslopes = 2, .slopes = slopes};
  float x[6] = {-1, 2, -4, -1, 2, -4}; /* 2 rows × 3 frames */
  tri_act_apply(&act, x, 3, 2, 3);
  const float want[6] = {-0.01f, 2, -0.04f, -0.05f, 2, -0.2f};
  for (int i = 0; i < 6; i++) assert_float_equal(x[i], want[i], 1e-7);
}

/* The spec's formula, evaluated in float in the order written. */
static float spec_fast_tanh(float x) {
  const float a = fabsf(x), x2 = x * x;
  const float num = x * (2.45550750702956f + 2.45550750702956f * a + (0.893229853513558f + 0.821226666969744f * a) * x2);
  const float den = 2.44506634652299f + (2.44506634652299f + x2) * fabsf(x + 0.814642734961073f * x * a);
  return num / den;
}

static void test_fast_tanh_formula(void** state) {
  (void)state;
  for (float x = -6.0f; x <= 6.0f; x += 0.173f) {
    float want = spec_fast_tanh(x);
    assert_float_equal(tri_fast_tanh(x), want, 1e-6 * fmax(1.0, fabs(want)));
    assert_float_equal(tri_fast_sigmoid(x), 0.5f * (spec_fast_tanh(0.5f * x) + 1.0f), 1e-6);
    assert_float_equal(tri_sigmoid(x), 1.0 / (1.0 + exp(-(double)x)), 1e-6);
    /* The approximation stays close to tanh (3.9e-3 worst case on real signals per the spec). */
    assert_true(fabs(tri_fast_tanh(x) - tanh(x)) < 0.01);
  }
}

static TriodeStatus parse(const char* json, bool fast, TriAct* act) {
  TriodeLoadOptions opts;
  triode_load_options_init(&opts);
  opts.fast_tanh = fast;
  TriodeError err = {0};
  TriLoadCtx ctx = {.file = "act.json", .opts = &opts, .err = &err};
  cJSON* node = cJSON_Parse(json);
  assert_non_null(node);
  memset(act, 0, sizeof *act);
  TriodeStatus st = tri_act_parse(&ctx, node, "activation", act);
  cJSON_Delete(node);
  if (st != TRIODE_SUCCESS) {
    assert_true(err.message[0] != '\0');
    assert_non_null(strstr(err.message, "act.json"));
  }
  return st;
}

static void test_parse(void** state) {
  (void)state;
  TriAct act;
  assert_int_equal(parse("\"Tanh\"", false, &act), TRIODE_SUCCESS);
  assert_int_equal(act.kind, TRI_ACT_TANH);
  assert_string_equal(tri_act_name(&act), "Tanh");
  tri_act_free(&act);
  assert_int_equal(parse("\"Tanh\"", true, &act), TRIODE_SUCCESS);
  assert_int_equal(act.kind, TRI_ACT_FASTTANH);
  tri_act_free(&act);
  assert_int_equal(parse("\"LeakyReLU\"", false, &act), TRIODE_SUCCESS);
  assert_int_equal(act.kind, TRI_ACT_LEAKYRELU);
  assert_float_equal(act.p[0], 0.01, 1e-9);
  tri_act_free(&act);
  assert_int_equal(parse("{\"type\":\"LeakyReLU\",\"negative_slope\":0.2}", false, &act), TRIODE_SUCCESS);
  assert_float_equal(act.p[0], 0.2, 1e-7);
  tri_act_free(&act);
  assert_int_equal(parse("{\"type\":\"PReLU\",\"negative_slopes\":[0.01,0.05]}", false, &act), TRIODE_SUCCESS);
  assert_int_equal(act.kind, TRI_ACT_PRELU);
  assert_int_equal(act.nslopes, 2);
  assert_float_equal(act.slopes[1], 0.05, 1e-7);
  TriAct copy;
  assert_int_equal(tri_act_copy(&copy, &act), TRIODE_SUCCESS);
  assert_ptr_not_equal(copy.slopes, act.slopes);
  assert_float_equal(copy.slopes[1], 0.05, 1e-7);
  tri_act_free(&copy);
  tri_act_free(&act);
  assert_int_equal(parse("\"LeakyHardTanh\"", false, &act), TRIODE_SUCCESS);
  assert_int_equal(act.kind, TRI_ACT_LEAKYHARDTANH);
  tri_act_free(&act);
  assert_int_equal(parse("{\"type\":\"Hardtanh\",\"min_val\":-2,\"max_val\":2}", false, &act), TRIODE_SUCCESS);
  assert_float_equal(apply1(act, 1.5f), 1.0, 0); /* min_val/max_val are ignored, as in the reference */
  tri_act_free(&act);
  /* Case-sensitive names; names the trainer can write but the reference rejects. */
  assert_int_equal(parse("\"tanh\"", false, &act), TRIODE_ERR_BAD_ARCH);
  assert_int_equal(parse("\"GELU\"", false, &act), TRIODE_ERR_BAD_ARCH);
  assert_int_equal(parse("\"Softsigmoid\"", false, &act), TRIODE_ERR_BAD_ARCH);
  assert_int_equal(parse("{\"type\":\"ELU\"}", false, &act), TRIODE_ERR_BAD_ARCH);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reference_values),
      cmocka_unit_test(test_prelu_per_channel),
      cmocka_unit_test(test_fast_tanh_formula),
      cmocka_unit_test(test_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
