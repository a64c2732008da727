#include "test_util.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool is_dir(const char* path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char* tu_shared_dir(void) {
  const char* env = getenv("TRIODE_SHARED");
  const char* dir = (env && *env) ? env : TRIODE_SHARED_DIR;
  if (is_dir(dir)) return dir;
  const char* ci = getenv("CI");
  if (ci && *ci) {
    fprintf(stderr, "error: shared folder %s not found (required when CI is set)\n", dir);
    exit(1);
  }
  printf("skipping: ../shared not found (%s)\n", dir);
  exit(TU_SKIP);
}

char* tu_join(const char* a, const char* b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char* s = malloc(n);
  assert_non_null(s);
  snprintf(s, n, "%s/%s", a, b);
  return s;
}

char* tu_model_path(const char* name) {
  static const char* const subdirs[] = {"models", "models/synthetic"};
  for (size_t i = 0; i < sizeof subdirs / sizeof subdirs[0]; i++) {
    char rel[512];
    snprintf(rel, sizeof rel, "%s/%s.nam", subdirs[i], name);
    char* p = tu_join(tu_shared_dir(), rel);
    FILE* f = fopen(p, "rb");
    if (f) {
      fclose(f);
      return p;
    }
    free(p);
  }
  return NULL;
}

char* tu_read_file(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char* buf = malloc(cap + 1);
  assert_non_null(buf);
  size_t got;
  while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      cap *= 2;
      buf = realloc(buf, cap + 1);
      assert_non_null(buf);
    }
  }
  fclose(f);
  buf[n] = '\0';
  if (len) *len = n;
  return buf;
}

double* tu_read_values(const char* path, size_t* n) {
  char* text = tu_read_file(path, NULL);
  if (!text) return NULL;
  size_t cap = 1024, count = 0;
  double* v = malloc(cap * sizeof *v);
  assert_non_null(v);
  char* p = text;
  for (;;) {
    char* end;
    double x = strtod(p, &end);
    if (end == p) break;
    if (count == cap) {
      cap *= 2;
      v = realloc(v, cap * sizeof *v);
      assert_non_null(v);
    }
    v[count++] = x;
    p = end;
  }
  /* Anything left other than whitespace means a malformed file. */
  while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') p++;
  bool ok = *p == '\0';
  free(text);
  if (!ok) {
    free(v);
    return NULL;
  }
  *n = count;
  return v;
}

static bool compare(const char* label, const float* got, const double* want_d, const float* want_f, size_t n,
                    double rel_tol) {
  double max_diff = 0.0;
  size_t first_bad = n;
  for (size_t i = 0; i < n; i++) {
    double want = want_d ? want_d[i] : (double)want_f[i];
    double d = fabs((double)got[i] - want);
    if (!(d == d)) d = INFINITY; /* NaN output */
    if (d > max_diff) max_diff = d;
    if (first_bad == n && !(d <= rel_tol * fmax(1.0, fabs(want)))) first_bad = i;
  }
  printf("%s: max|Δ| = %.3g (%zu samples)\n", label, max_diff, n);
  if (first_bad < n) {
    double want = want_d ? want_d[first_bad] : (double)want_f[first_bad];
    printf("  FAIL at sample %zu: got %.9g, expected %.9g (tolerance %.3g relative)\n", first_bad,
           (double)got[first_bad], want, rel_tol);
  }
  return first_bad == n;
}

bool tu_compare(const char* label, const float* got, const double* want, size_t n, double rel_tol) {
  return compare(label, got, want, NULL, n, rel_tol);
}

bool tu_compare_f(const char* label, const float* got, const float* want, size_t n, double rel_tol) {
  return compare(label, got, NULL, want, n, rel_tol);
}

TriodeModel* tu_load(const char* path, const TriodeLoadOptions* opts) {
  TriodeModel* model = NULL;
  TriodeError err = {0};
  TriodeStatus st = triode_model_load_file(path, opts, &model, &err);
  if (st != TRIODE_SUCCESS) fail_msg("loading %s: %s (%s)", path, triode_strerror(st), err.message);
  assert_non_null(model);
  return model;
}

TriodeModel* tu_load_shared(const char* name, const TriodeLoadOptions* opts) {
  char* path = tu_model_path(name);
  if (!path) fail_msg("model %s not found in the shared models", name);
  TriodeModel* model = tu_load(path, opts);
  free(path);
  return model;
}

TriodeModel* tu_load_json(const char* json, const TriodeLoadOptions* opts) {
  TriodeModel* model = NULL;
  TriodeError err = {0};
  TriodeStatus st = triode_model_load_string(json, strlen(json), "inline", opts, &model, &err);
  if (st != TRIODE_SUCCESS) fail_msg("loading %s: %s (%s)", json, triode_strerror(st), err.message);
  assert_non_null(model);
  return model;
}

double tu_rate(const TriodeModel* model) {
  double rate = triode_model_sample_rate(model);
  return rate > 0 ? rate : 48000.0;
}

TriodeInstance* tu_instance(const TriodeModel* model, int max_block) {
  TriodeInstance* inst = NULL;
  TriodeError err = {0};
  TriodeStatus st = triode_instance_new(model, &inst, &err);
  if (st != TRIODE_SUCCESS) fail_msg("instance: %s (%s)", triode_strerror(st), err.message);
  assert_non_null(inst);
  assert_int_equal(triode_instance_reset(inst, tu_rate(model), max_block), TRIODE_SUCCESS);
  return inst;
}

void tu_process(TriodeInstance* inst, const float* in, float* out, size_t n, size_t chunk) {
  for (size_t i = 0; i < n; i += chunk) {
    size_t m = n - i < chunk ? n - i : chunk;
    assert_int_equal(triode_instance_process_mono(inst, in + i, out + i, m), TRIODE_SUCCESS);
  }
}

void tu_sine(float* x, size_t n) {
  const double two_pi = 6.283185307179586476925286766559;
  for (size_t i = 0; i < n; i++) x[i] = (float)(0.5 * sin(two_pi * 220.0 * (double)i / 48000.0));
}
