/* Public API: null handling, status strings, metadata and counts of the shared models, describe(). */
#include "test_util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_free_null(void** state) {
  (void)state;
  triode_model_free(NULL);
  triode_instance_free(NULL);
  triode_free(NULL);
}

static void test_strerror(void** state) {
  (void)state;
  const char* seen[TRIODE_ERR_BAD_STATE + 1];
  for (int s = TRIODE_SUCCESS; s <= TRIODE_ERR_BAD_STATE; s++) {
    const char* text = triode_strerror((TriodeStatus)s);
    assert_non_null(text);
    assert_true(strlen(text) > 0);
    for (int k = 0; k < s; k++) assert_string_not_equal(text, seen[k]);
    seen[s] = text;
  }
  /* Out-of-range values still give a string. */
  assert_non_null(triode_strerror((TriodeStatus)999));
  assert_non_null(triode_strerror((TriodeStatus)-1));
}

static void test_options_default(void** state) {
  (void)state;
  TriodeLoadOptions o;
  memset(&o, 0xff, sizeof o);
  triode_load_options_init(&o);
  assert_false(o.fast_tanh);
  assert_false(o.film_snapshot);
  assert_false(o.no_prewarm);
}

static const char* metadata(const TriodeModel* m, const char* key) {
  for (int i = 0; i < triode_model_metadata_count(m); i++)
    if (strcmp(triode_model_metadata_key(m, i), key) == 0) return triode_model_metadata_value(m, i);
  return NULL;
}

static void test_metadata_wavenet(void** state) {
  (void)state;
  TriodeModel* m = tu_load_shared("wavenet", NULL);
  double v = 0;
  assert_true(triode_model_loudness(m, &v));
  assert_true(v == -20.020729064941406);
  assert_true(triode_model_input_level_dbu(m, &v));
  assert_true(v == (double)18.3f);
  assert_true(triode_model_output_level_dbu(m, &v));
  assert_true(v == (double)12.3f);
  assert_string_equal(metadata(m, "name"), "Test Model");
  assert_string_equal(metadata(m, "modeled_by"), "Steve");
  const char* date = metadata(m, "date"); /* an object, rendered as compact JSON */
  assert_non_null(date);
  assert_non_null(strstr(date, "\"year\":2024"));
  assert_string_equal(triode_model_architecture(m), "WaveNet");
  assert_string_equal(triode_model_version(m), "0.5.4");
  assert_null(triode_model_warning(m));
  assert_true(triode_model_sample_rate(m) == 48000.0);
  assert_int_equal(triode_model_num_inputs(m), 1);
  assert_int_equal(triode_model_num_outputs(m), 1);
  assert_false(triode_model_is_slimmable(m));
  triode_model_free(m);

  /* No metadata and no sample rate. */
  m = tu_load_shared("my_model", NULL);
  assert_false(triode_model_loudness(m, &v));
  assert_false(triode_model_input_level_dbu(m, &v));
  assert_false(triode_model_output_level_dbu(m, &v));
  assert_int_equal(triode_model_metadata_count(m), 0);
  assert_true(triode_model_sample_rate(m) == -1.0);
  triode_model_free(m);

  /* A container shows its own top-level metadata. */
  m = tu_load_shared("A2", NULL);
  assert_true(triode_model_loudness(m, &v));
  assert_true(v == -26.383899688720703);
  assert_true(triode_model_input_level_dbu(m, &v));
  assert_true(v == (double)14.76f);
  assert_false(triode_model_output_level_dbu(m, &v));
  assert_string_equal(triode_model_architecture(m), "SlimmableContainer");
  triode_model_free(m);
}

static void test_null_levels(void** state) {
  (void)state;
  TriodeModel* m = tu_load_json("{\"version\":\"0.5.4\",\"architecture\":\"Linear\",\"config\":{\"receptive_field\":1,"
                                "\"bias\":false},\"weights\":[1],\"sample_rate\":44100.5,\"metadata\":{\"loudness\":null,"
                                "\"input_level_dbu\":null,\"output_level_dbu\":19.0,\"gear_type\":null}}",
                                NULL);
  double v = 0;
  assert_false(triode_model_loudness(m, &v));
  assert_false(triode_model_input_level_dbu(m, &v));
  assert_true(triode_model_output_level_dbu(m, &v));
  assert_true(v == 19.0);
  assert_true(triode_model_sample_rate(m) == 44100.5);
  assert_string_equal(metadata(m, "gear_type"), "null");
  triode_model_free(m);
}

typedef struct {
  const char* name;
  long params, prewarm;
  const char* arch;
} Counts;

static void test_counts(void** state) {
  (void)state;
  static const Counts counts[] = {
      {"wavenet", 131, 23, "WaveNet"},
      {"wavenet_a1_standard", 13802, 4093, "WaveNet"},
      {"my_model", 13802, 4093, "WaveNet"},
      {"lstm", 70, 24000, "LSTM"},
      {"wavenet_condition_dsp", 147 + 137, 45, "WaveNet"},
      {"wavenet_a2_max", 818 + 1052, 31, "WaveNet"},
      {"slimmable_wavenet", 457, 1 + 2 * 1023, "WaveNet"},
      {"synthetic_convnet_bn", 177, 1 + 15, "ConvNet"},
      {"synthetic_linear_rf700", 700, 0, "Linear"},
      {"A2", 1871 + 12146, 6347, "SlimmableContainer"},
  };
  for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
    TriodeModel* m = tu_load_shared(counts[i].name, NULL);
    printf("%s: %ld params, prewarm %ld, receptive field %ld\n", counts[i].name, triode_model_num_params(m),
           triode_model_prewarm_samples(m), triode_model_receptive_field(m));
    assert_string_equal(triode_model_architecture(m), counts[i].arch);
    assert_int_equal(triode_model_num_params(m), counts[i].params);
    assert_int_equal(triode_model_prewarm_samples(m), counts[i].prewarm);
    if (strcmp(counts[i].arch, "WaveNet") == 0) assert_int_equal(triode_model_receptive_field(m), counts[i].prewarm);
    triode_model_free(m);
  }
}

static void test_instance_api(void** state) {
  (void)state;
  TriodeModel* m = tu_load_shared("slimmable_wavenet", NULL);
  TriodeInstance* inst = NULL;
  assert_int_equal(triode_instance_new(m, &inst, NULL), TRIODE_SUCCESS);
  assert_ptr_equal(triode_instance_model(inst), m);
  size_t mem64 = triode_instance_memory(inst);
  assert_true(mem64 > 0);
  assert_int_equal(triode_instance_reset(inst, 48000, 4096), TRIODE_SUCCESS);
  assert_true(triode_instance_memory(inst) > mem64); /* buffers grow with the block size */
  assert_int_equal(triode_instance_reset(inst, 48000, 0), TRIODE_ERR_BAD_ARG);
  assert_int_equal(triode_instance_reset(inst, 48000, 65537), TRIODE_ERR_BAD_ARG);
  assert_int_equal(triode_instance_reset(inst, 48000, 65536), TRIODE_SUCCESS);
  assert_int_equal(triode_instance_set_slim(inst, 1.5), TRIODE_ERR_BAD_ARG);
  assert_int_equal(triode_instance_set_slim(inst, -0.1), TRIODE_ERR_BAD_ARG);
  assert_int_equal(triode_instance_set_slim(inst, 0.5), TRIODE_SUCCESS);
  float buf[8] = {0};
  assert_int_equal(triode_instance_process_mono(inst, buf, buf, 0), TRIODE_SUCCESS);
  assert_int_equal(triode_instance_process_mono(inst, buf, buf, 8), TRIODE_SUCCESS);
  triode_instance_free(inst);
  triode_model_free(m);

  /* Not slimmable: nothing done. */
  m = tu_load_shared("wavenet", NULL);
  assert_int_equal(triode_instance_new(m, &inst, NULL), TRIODE_SUCCESS);
  assert_int_equal(triode_instance_set_slim(inst, 0.5), TRIODE_FAILURE);
  double pts[2];
  assert_int_equal(triode_model_slim_breakpoints(m, pts, 2), 0);
  triode_instance_free(inst);
  triode_model_free(m);
  inst = NULL;
  assert_int_equal(triode_instance_new(NULL, &inst, NULL), TRIODE_ERR_BAD_ARG);
  assert_null(inst);
}

/* Multiply-adds per frame, from the shapes (each conv / matrix / FIR weight once):
   lstm: one layer, H 3, input 1: 4*3*(1+3) + head 3 = 51.
   A1 standard: array 1: rechannel 1*16 + 10 * (3*16*16 + mixin 16 + 1x1 16*16) + head 16*8 = 10544;
                array 2: rechannel 16*8 + 10 * (3*8*8 + 8 + 8*8) + head 8*1 = 2776.
   ConvNet (4 channels, 4 blocks of kernel 2): 1*4*2 + 3 * 4*4*2 + head 4 = 108.
   A2 full (8 channels, 21 layers of kernel 6 and 2 of 15, head kernel 16): 21 * (6*64 + 8 + 64) + 2 * (15*64 + 8 + 64)
   + rechannel 8 + head 16*8 = 11776; at slim 0 (3 channels): 21 * (6*9 + 3 + 9) + 2 * (15*9 + 3 + 9) + 3 + 16*3 =
   1731. */
static void test_multiply_adds(void** state) {
  (void)state;
  static const struct {
    const char* name;
    double macs;
  } cases[] = {{"lstm", 51},
               {"wavenet_a1_standard", 10544 + 2776},
               {"synthetic_convnet_bn", 108},
               {"synthetic_linear_rf700", 700},
               {"A2", 11776}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    TriodeModel* m = tu_load_shared(cases[i].name, NULL);
    TriodeInstance* inst = NULL;
    assert_int_equal(triode_instance_new(m, &inst, NULL), TRIODE_SUCCESS);
    printf("%s: %.0f multiply-adds per sample\n", cases[i].name, triode_instance_multiply_adds(inst));
    assert_true(triode_instance_multiply_adds(inst) == cases[i].macs);
    if (triode_model_is_slimmable(m)) { /* the active size counts */
      assert_int_equal(triode_instance_set_slim(inst, 0.0), TRIODE_SUCCESS);
      assert_true(triode_instance_multiply_adds(inst) == 1731);
      assert_int_equal(triode_instance_set_slim(inst, 1.0), TRIODE_SUCCESS);
      assert_true(triode_instance_multiply_adds(inst) == cases[i].macs);
    }
    triode_instance_free(inst);
    triode_model_free(m);
  }
}

/* The multiply-add peak: measured for every level that runs here, 0 for the others and for bad names. */
static void test_fma_peak(void** state) {
  (void)state;
  static const char* const levels[] = {"scalar", "sse2", "avx2", "avx512", "neon"};
  int measured = 0;
  for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
    const double peak = triode_isa_fma_peak(levels[i], 0.01);
    printf("%s: %.2f GMAC/s\n", levels[i], peak / 1e9);
    if (triode_isa_supported(levels[i])) {
      assert_true(peak > 1e7); /* any core, even emulated, does ten million a second */
      measured++;
    } else {
      assert_true(peak == 0.0);
    }
  }
  assert_true(measured > 0);
  assert_true(triode_isa_fma_peak("no-such-level", 0.01) == 0.0);
  assert_true(triode_isa_fma_peak(NULL, 0.01) == 0.0);
}

/* Costly activations per frame, from the configs:
   lstm: one layer of 3 cells, each 3 sigmoid gates + tanh candidate + tanh(c): 9 sigmoid, 6 tanh; loaded fast: 15.
   A1 standard: 10 Tanh layers of 16 channels + 10 of 8: 240 tanh (loaded fast: 240 fast).
   wavenet: layers of 3, 3 and 2 Tanh channels: 8; wavenet_condition_dsp: the same again in its condition DSP: 16.
   synthetic_wavenet_features: array 1 (bottleneck 2): Tanh gated by Sigmoid, PReLU blended by Softsign, Hardswish;
   array 2: 2 SiLU layers of 3 channels; post head ReLU: 2 tanh, 2 + 6 sigmoid.
   synthetic_convnet_bn: 4 Tanh blocks of 4 channels: 16. A2 (LeakyReLU) and the Linear FIR: none.
   The recurrent step, LSTM only: 4H x H = 36 products over h, then a sigmoid and tanh(c) (two fast tanh when fast). */
static void test_activation_counts(void** state) {
  (void)state;
  static const struct {
    const char* name;
    bool fast;
    double tanh, sigmoid, fast_tanh, step_macs, step_tanh, step_sigmoid, step_fast;
  } cases[] = {{"lstm", false, 6, 9, 0, 36, 1, 1, 0},
               {"lstm", true, 0, 0, 15, 36, 0, 0, 2},
               {"wavenet_a1_standard", false, 240, 0, 0, 0, 0, 0, 0},
               {"wavenet_a1_standard", true, 0, 0, 240, 0, 0, 0, 0},
               {"wavenet", false, 8, 0, 0, 0, 0, 0, 0},
               {"wavenet_condition_dsp", false, 16, 0, 0, 0, 0, 0, 0},
               {"synthetic_wavenet_features", false, 2, 8, 0, 0, 0, 0, 0},
               {"synthetic_convnet_bn", false, 16, 0, 0, 0, 0, 0, 0},
               {"synthetic_linear_rf700", false, 0, 0, 0, 0, 0, 0, 0},
               {"A2", false, 0, 0, 0, 0, 0, 0, 0}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    TriodeLoadOptions options;
    triode_load_options_init(&options);
    options.fast_tanh = cases[i].fast;
    TriodeModel* m = tu_load_shared(cases[i].name, &options);
    TriodeInstance* inst = NULL;
    assert_int_equal(triode_instance_new(m, &inst, NULL), TRIODE_SUCCESS);
    TriodeActivationCounts c;
    triode_instance_activation_counts(inst, &c);
    printf("%s%s: tanh %.0f, sigmoid %.0f, fast tanh %.0f per sample\n", cases[i].name, cases[i].fast ? " (fast)" : "",
           c.tanh, c.sigmoid, c.fast_tanh);
    assert_true(c.tanh == cases[i].tanh);
    assert_true(c.sigmoid == cases[i].sigmoid);
    assert_true(c.fast_tanh == cases[i].fast_tanh);
    assert_true(c.step_multiply_adds == cases[i].step_macs);
    assert_true(c.step_tanh == cases[i].step_tanh);
    assert_true(c.step_sigmoid == cases[i].step_sigmoid);
    assert_true(c.step_fast_tanh == cases[i].step_fast);
    triode_instance_free(inst);
    triode_model_free(m);
  }
}

/* Activation rates and latencies: measured for every level that runs here, 0 for the others, for unknown names and
   for cheap activations (they have no kernel of their own to measure). */
static void test_activation_rate(void** state) {
  (void)state;
  static const char* const levels[] = {"scalar", "sse2", "avx2", "avx512", "neon"};
  static const char* const names[] = {"Tanh", "Sigmoid", "Fasttanh"};
  for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
    for (size_t j = 0; j < sizeof names / sizeof names[0]; j++) {
      const double rate = triode_isa_activation_rate(levels[i], names[j], 0.005);
      const double latency = triode_isa_activation_latency(levels[i], names[j], 0.005);
      printf("%s %s: %.1f M values/s, %.2f ns a dependent evaluation\n", levels[i], names[j], rate / 1e6, 1e9 * latency);
      if (triode_isa_supported(levels[i])) {
        assert_true(rate > 1e5); /* any core, even emulated */
        assert_true(latency > 0.0 && latency < 1e-4);
      } else {
        assert_true(rate == 0.0);
        assert_true(latency == 0.0);
      }
    }
  const char* best = triode_isa_supported("avx512") ? "avx512" : triode_isa_supported("neon") ? "neon" : "scalar";
  assert_true(triode_isa_activation_rate(best, "ReLU", 0.005) == 0.0);
  assert_true(triode_isa_activation_rate(best, "tanh", 0.005) == 0.0); /* names are the file's, case and all */
  assert_true(triode_isa_activation_rate(best, NULL, 0.005) == 0.0);
  assert_true(triode_isa_activation_rate(NULL, "Tanh", 0.005) == 0.0);
  assert_true(triode_isa_activation_rate("no-such-level", "Tanh", 0.005) == 0.0);
  assert_true(triode_isa_activation_latency(best, "ReLU", 0.005) == 0.0);
  assert_true(triode_isa_activation_latency(best, NULL, 0.005) == 0.0);
  assert_true(triode_isa_activation_latency(NULL, "Sigmoid", 0.005) == 0.0);
}

static void test_describe(void** state) {
  (void)state;
  static const char* const names[] = {"wavenet", "lstm", "A2", "wavenet_a2_max", "synthetic_convnet_bn",
                                      "synthetic_linear_rf64", "slimmable_container"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    TriodeModel* m = tu_load_shared(names[i], NULL);
    char* text = triode_model_describe(m, false);
    assert_non_null(text);
    assert_true(strlen(text) > 10);
    assert_non_null(strstr(text, triode_model_architecture(m)));
    triode_free(text);
    char* json = triode_model_describe(m, true);
    assert_non_null(json);
    cJSON* root = cJSON_Parse(json);
    if (!root || !cJSON_IsObject(root)) fail_msg("%s: describe(json) is not a JSON object:\n%s", names[i], json);
    assert_non_null(strstr(json, triode_model_architecture(m)));
    cJSON_Delete(root);
    triode_free(json);
    triode_model_free(m);
  }
}

int main(void) {
  tu_shared_dir();
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_free_null),    cmocka_unit_test(test_strerror),
      cmocka_unit_test(test_options_default), cmocka_unit_test(test_metadata_wavenet),
      cmocka_unit_test(test_null_levels),  cmocka_unit_test(test_counts),
      cmocka_unit_test(test_instance_api), cmocka_unit_test(test_describe),
      cmocka_unit_test(test_multiply_adds), cmocka_unit_test(test_fma_peak),
      cmocka_unit_test(test_activation_counts), cmocka_unit_test(test_activation_rate),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
