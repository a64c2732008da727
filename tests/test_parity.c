/* Parity with the reference: every oracle file in shared/oracles is reproduced within 1e-5·max(1,|y|). */
#include "test_util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 64
#define TOLERANCE 1e-5

typedef struct {
  char file[256];
  char model[128];
  char input[32];
  char variant[64];
} Oracle;

static Oracle* g_oracles;
static size_t g_count;

static bool has_variant(const char* model, const char* variant) {
  for (size_t i = 0; i < g_count; i++)
    if (strcmp(g_oracles[i].model, model) == 0 && strcmp(g_oracles[i].variant, variant) == 0) return true;
  return false;
}

/* Splits "<model>__<input>__<variant>.txt"; false for other files. */
static bool parse_name(const char* name, Oracle* o) {
  size_t len = strlen(name);
  if (len < 5 || len >= sizeof o->file || strcmp(name + len - 4, ".txt") != 0) return false;
  const char* a = strstr(name, "__");
  if (!a) return false;
  const char* b = strstr(a + 2, "__");
  if (!b || strstr(b + 2, "__")) return false;
  snprintf(o->file, sizeof o->file, "%s", name);
  snprintf(o->model, sizeof o->model, "%.*s", (int)(a - name), name);
  snprintf(o->input, sizeof o->input, "%.*s", (int)(b - a - 2), a + 2);
  snprintf(o->variant, sizeof o->variant, "%.*s", (int)(name + len - 4 - b - 2), b + 2);
  return true;
}

static int by_file(const void* x, const void* y) {
  return strcmp(((const Oracle*)x)->file, ((const Oracle*)y)->file);
}

static void run_oracle(void** state) {
  const Oracle* o = *state;
  const char* shared = tu_shared_dir();

  const char* input_file = strcmp(o->input, "sine") == 0      ? "oracles/input_sine_8192.txt"
                           : strcmp(o->input, "impulse") == 0 ? "oracles/input_impulse_2048.txt"
                                                              : NULL;
  if (!input_file) fail_msg("%s: unknown input '%s'", o->file, o->input);
  char* model_path = tu_model_path(o->model);
  if (!model_path) fail_msg("%s: no model %s.nam in models/ or models/synthetic/", o->file, o->model);

  TriodeLoadOptions opts;
  triode_load_options_init(&opts);
  double slim = -1.0;
  if (strcmp(o->variant, "std") == 0) {
    /* The plain oracles come from the snapshot Core; where a pr322fix oracle exists they differ from the fix. */
    opts.film_snapshot = has_variant(o->model, "std_pr322fix");
  } else if (strcmp(o->variant, "std_pr322fix") == 0) {
    /* defaults: the fixed FiLM */
  } else if (strcmp(o->variant, "fasttanh") == 0) {
    opts.fast_tanh = true;
  } else if (strcmp(o->variant, "std_noprewarm") == 0) {
    opts.no_prewarm = true;
  } else if (strncmp(o->variant, "std_slim", 8) == 0) {
    char* end;
    slim = strtod(o->variant + 8, &end);
    if (end == o->variant + 8 || *end || slim < 0.0 || slim > 1.0) fail_msg("%s: bad slim value", o->file);
  } else {
    fail_msg("%s: unknown variant '%s'", o->file, o->variant);
  }

  char* in_path = tu_join(shared, input_file);
  char* out_path = tu_join(shared, "oracles");
  char* want_path = tu_join(out_path, o->file);
  size_t n = 0, n_want = 0;
  double* in_d = tu_read_values(in_path, &n);
  double* want = tu_read_values(want_path, &n_want);
  assert_non_null(in_d);
  assert_non_null(want);
  assert_int_equal(n, n_want);

  TriodeModel* model = tu_load(model_path, &opts);
  float* in = malloc(n * sizeof *in);
  float* out = malloc(n * sizeof *out);
  assert_non_null(in);
  assert_non_null(out);
  for (size_t i = 0; i < n; i++) in[i] = (float)in_d[i];

  /* Every instruction-set level this machine runs must reproduce the oracle. */
  static const char* const isas[] = {"scalar", "sse2", "avx2", "avx512", "neon"};
  bool ok = true;
  int levels = 0;
  for (size_t l = 0; l < sizeof isas / sizeof isas[0]; ++l) {
    if (!triode_isa_supported(isas[l])) continue;
    TriodeInstance* inst = NULL;
    assert_int_equal(triode_instance_new(model, &inst, NULL), TRIODE_SUCCESS);
    assert_int_equal(triode_instance_set_isa(inst, isas[l]), TRIODE_SUCCESS);
    assert_string_equal(triode_instance_isa(inst), isas[l]);
    if (slim >= 0.0) assert_int_equal(triode_instance_set_slim(inst, slim), TRIODE_SUCCESS);
    assert_int_equal(triode_instance_reset(inst, tu_rate(model), BLOCK), TRIODE_SUCCESS);
    tu_process(inst, in, out, n, BLOCK);
    char label[256];
    snprintf(label, sizeof label, "%s %s %s [%s]", o->model, o->variant, o->input, isas[l]);
    ok = tu_compare(label, out, want, n, TOLERANCE) && ok;
    triode_instance_free(inst);
    levels++;
  }
  assert_true(levels >= 1);

  free(in);
  free(out);
  free(in_d);
  free(want);
  free(in_path);
  free(out_path);
  free(want_path);
  free(model_path);
  triode_model_free(model);
  assert_true(ok);
}

/* Spec §6.3 spot values (sine input) at n = 0, 1, 2, 1000, 4095, 8191: the oracle files hold them, so the parity
   runs above check the library against them too. */
typedef struct {
  const char* file;
  double y[6];
} Spot;

static const Spot g_spots[] = {
    {"wavenet__sine__std.txt",
     {-0.000481538154, -0.000913377386, -0.000468336337, -0.0662207007, -0.0330164768, -0.0472578816}},
    {"lstm__sine__std.txt",
     {-0.00093382597, -6.96480274e-05, 0.000945180655, -0.0192257762, -0.0384063125, -0.0101032555}},
    {"wavenet_a1_standard__sine__std.txt",
     {-0.00119431864, 0.0129619008, -0.0052489005, 0.0234749708, 0.211552784, -0.0400019027}},
    {"my_model__sine__std.txt",
     {-0.00119431864, 0.0129619008, -0.0052489005, 0.0234749708, 0.211552784, -0.0400019027}},
    {"wavenet_condition_dsp__sine__std.txt",
     {0.233218327, 0.232235864, 0.230169028, 0.28214857, 0.335957587, 0.256742597}},
    {"wavenet_a2_max__sine__std.txt", {9.26655483, 9.20972919, 9.15206718, 10.0963535, 10.1269026, 9.77097321}},
    {"wavenet_a2_max__sine__std_pr322fix.txt",
     {9.72598839, 9.65633202, 9.57506657, 10.4613228, 10.3912277, 10.1971169}},
    {"slimmable_wavenet__sine__std.txt",
     {-5.18057632, -5.14005423, -5.09571457, -13.3981781, -9.84877014, -13.0475798}},
    {"A2__sine__std.txt", {0.000250404992, 0.000755291781, -0.004774414, 0.111706287, 0.0667405576, 0.0980717316}},
    {"A2__sine__std_slim0.0.txt",
     {-0.000973930059, 0.000315479469, -0.00637891237, 0.107999951, 0.0722597837, 0.101001516}},
    {"slimmable_container__sine__std.txt",
     {-0.000150128602, -0.000723935373, -0.0030811131, -0.0743655935, 0.0668551847, -0.0939643681}},
    {"wavenet__sine__fasttanh.txt",
     {-0.000544309034, -0.000985541265, -0.00055057765, -0.0664195567, -0.0330108777, -0.0470478609}},
    {"wavenet_a1_standard__sine__fasttanh.txt",
     {-0.00104115263, 0.0132504301, -0.00480122725, 0.0223819911, 0.211585, -0.0400060974}},
    {"lstm__sine__fasttanh.txt",
     {-0.000566780567, 0.000298082829, 0.00131383538, -0.0189383924, -0.0381666422, -0.00978389382}},
    {"synthetic_convnet_bn__sine__std.txt",
     {0.0223815292, 0.0223659743, 0.0223287679, 0.0243107025, 0.0254255421, 0.0235880688}},
    {"synthetic_linear_rf64__sine__std.txt",
     {0.00999999978, 0.0128254779, 0.0180894919, -0.297317505, -0.438857049, -0.195686936}},
};

static void test_spot_values(void** state) {
  (void)state;
  static const size_t at[6] = {0, 1, 2, 1000, 4095, 8191};
  char* dir = tu_join(tu_shared_dir(), "oracles");
  for (size_t i = 0; i < sizeof g_spots / sizeof g_spots[0]; i++) {
    char* path = tu_join(dir, g_spots[i].file);
    size_t n = 0;
    double* y = tu_read_values(path, &n);
    if (!y) fail_msg("cannot read %s", path);
    assert_int_equal(n, 8192);
    for (int k = 0; k < 6; k++)
      if (fabs(y[at[k]] - g_spots[i].y[k]) > 1e-8 * fmax(1e-3, fabs(g_spots[i].y[k])))
        fail_msg("%s[%zu] = %.9g, spec says %.9g", g_spots[i].file, at[k], y[at[k]], g_spots[i].y[k]);
    bool listed = false;
    for (size_t j = 0; j < g_count; j++) listed |= strcmp(g_oracles[j].file, g_spots[i].file) == 0;
    assert_true(listed);
    free(y);
    free(path);
  }
  free(dir);
}

int main(void) {
  char* dir_path = tu_join(tu_shared_dir(), "oracles");
  DIR* dir = opendir(dir_path);
  if (!dir) {
    fprintf(stderr, "cannot open %s\n", dir_path);
    return 1;
  }
  size_t cap = 64;
  g_oracles = calloc(cap, sizeof *g_oracles);
  struct dirent* e;
  while ((e = readdir(dir)) != NULL) {
    if (strncmp(e->d_name, "input_", 6) == 0) continue;
    if (g_count == cap) g_oracles = realloc(g_oracles, (cap *= 2) * sizeof *g_oracles);
    if (!g_oracles) return 1;
    if (parse_name(e->d_name, &g_oracles[g_count])) {
      g_count++;
    } else if (strlen(e->d_name) > 4 && strcmp(e->d_name + strlen(e->d_name) - 4, ".txt") == 0) {
      fprintf(stderr, "oracle file with an unexpected name: %s\n", e->d_name);
      return 1;
    }
  }
  closedir(dir);
  free(dir_path);
  if (g_count == 0) {
    fprintf(stderr, "no oracle files found\n");
    return 1;
  }
  qsort(g_oracles, g_count, sizeof *g_oracles, by_file);

  struct CMUnitTest* tests = calloc(g_count + 1, sizeof *tests);
  if (!tests) return 1;
  for (size_t i = 0; i < g_count; i++) {
    tests[i].name = g_oracles[i].file;
    tests[i].test_func = run_oracle;
    tests[i].initial_state = &g_oracles[i];
  }
  tests[g_count] = (struct CMUnitTest)cmocka_unit_test(test_spot_values);
  int rc = _cmocka_run_group_tests("parity", tests, g_count + 1, NULL, NULL);
  free(tests);
  free(g_oracles);
  return rc;
}
