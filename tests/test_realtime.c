/* Real-time safety: no allocator call inside triode_instance_process for any shared model, and the caller's
   floating-point mode (MXCSR) survives the denormal flush. Linked with -Wl,--wrap for the allocator functions. */
#include "test_util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#define HAVE_MXCSR 1
#endif

/* ---- allocator wrappers --------------------------------------------------------------------------------------- */

static volatile long g_calls;

void* __real_malloc(size_t n);
void* __real_calloc(size_t n, size_t size);
void* __real_realloc(void* p, size_t n);
void __real_free(void* p);
void* __real_aligned_alloc(size_t align, size_t n);
int __real_posix_memalign(void** p, size_t align, size_t n);
void* __wrap_malloc(size_t n);
void* __wrap_calloc(size_t n, size_t size);
void* __wrap_realloc(void* p, size_t n);
void __wrap_free(void* p);
void* __wrap_aligned_alloc(size_t align, size_t n);
int __wrap_posix_memalign(void** p, size_t align, size_t n);

void* __wrap_malloc(size_t n) {
  g_calls++;
  return __real_malloc(n);
}
void* __wrap_calloc(size_t n, size_t size) {
  g_calls++;
  return __real_calloc(n, size);
}
void* __wrap_realloc(void* p, size_t n) {
  g_calls++;
  return __real_realloc(p, n);
}
void __wrap_free(void* p) {
  g_calls++;
  __real_free(p);
}
void* __wrap_aligned_alloc(size_t align, size_t n) {
  g_calls++;
  return __real_aligned_alloc(align, n);
}
int __wrap_posix_memalign(void** p, size_t align, size_t n) {
  g_calls++;
  return __real_posix_memalign(p, align, n);
}

/* ---- tests ---------------------------------------------------------------------------------------------------- */

#define MAX_BLOCK 512
static float g_in[MAX_BLOCK * 4], g_out[MAX_BLOCK * 4];

/* Processes blocks of various sizes (some above max_block) and returns the number of allocator calls seen. */
static long count_process_calls(TriodeInstance* inst) {
  static const size_t sizes[] = {1, 7, 64, 100, 512, 3, 1000, 2048, 64, 511};
  long before = g_calls;
  for (int rep = 0; rep < 3; rep++)
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
      if (triode_instance_process_mono(inst, g_in, g_out, sizes[i]) != TRIODE_SUCCESS) return -1;
  triode_instance_set_prewarm(inst, true);
  (void)triode_strerror(TRIODE_ERR_LIMIT);
  const float* ins[1] = {g_in};
  float* outs[1] = {g_out};
  if (triode_instance_process(inst, ins, outs, 300) != TRIODE_SUCCESS) return -1;
  return g_calls - before;
}

static void test_no_alloc(void** state) {
  const char* path = *state;
  TriodeModel* m = tu_load(path, NULL);
  TriodeInstance* inst = tu_instance(m, MAX_BLOCK);
  long calls = count_process_calls(inst);
  printf("%s: %ld allocator calls while processing\n", path, calls);
  assert_int_equal(calls, 0);
  if (triode_model_is_slimmable(m)) {
    double pts[8];
    int n = triode_model_slim_breakpoints(m, pts, 8);
    assert_true(n > 0);
    const double values[] = {0.0, pts[0], 0.5, 1.0};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
      assert_int_equal(triode_instance_set_slim(inst, values[i]), TRIODE_SUCCESS);
      calls = count_process_calls(inst);
      printf("%s slim %.3f: %ld allocator calls while processing\n", path, values[i], calls);
      assert_int_equal(calls, 0);
    }
  }
  triode_instance_free(inst);
  triode_model_free(m);
}

/* The allocator wrappers are live (otherwise a count of zero proves nothing). */
static void test_wrappers_count(void** state) {
  (void)state;
  long before = g_calls;
  TriodeModel* m = tu_load_json("{\"version\":\"0.5.4\",\"architecture\":\"Linear\",\"config\":{\"receptive_field\":2,"
                                "\"bias\":false},\"weights\":[1,0]}",
                                NULL);
  triode_model_free(m);
  assert_true(g_calls > before);
}

#ifdef HAVE_MXCSR
/* The library flushes denormals while it processes, and puts the caller's MXCSR back. */
static void test_mxcsr(void** state) {
  (void)state;
  TriodeModel* m = tu_load_json("{\"version\":\"0.5.4\",\"architecture\":\"Linear\",\"config\":{\"receptive_field\":1,"
                                "\"bias\":false},\"weights\":[1]}",
                                NULL);
  TriodeInstance* inst = tu_instance(m, 64);
  const unsigned int saved = _mm_getcsr();
  const unsigned int ftz_daz = 0x8040u;
  const unsigned int modes[] = {saved & ~ftz_daz, saved | ftz_daz, (saved & ~ftz_daz) | 0x6000u /* round to 0 */};
  for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
    _mm_setcsr(modes[i]);
    float in[4] = {1e-40f, -1e-40f, 0.5f, 1e-39f}, out[4];
    TriodeStatus st = triode_instance_process_mono(inst, in, out, 4);
    unsigned int after = _mm_getcsr();
    _mm_setcsr(saved);
    assert_int_equal(st, TRIODE_SUCCESS);
    assert_int_equal(after & ~0x3Fu, modes[i] & ~0x3Fu); /* control bits; the sticky flags may change */
    /* Denormal inputs come out as zero because the library flushes them. */
    assert_true(out[0] == 0.0f && out[1] == 0.0f && out[3] == 0.0f);
    assert_true(out[2] == 0.5f);
  }
  triode_instance_free(inst);
  triode_model_free(m);
}
#endif

static int by_name(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

int main(void) {
  const char* shared = tu_shared_dir();
  char* paths[64];
  size_t n = 0;
  static const char* const dirs[] = {"models", "models/synthetic"};
  for (size_t d = 0; d < 2; d++) {
    char* dir_path = tu_join(shared, dirs[d]);
    DIR* dir = opendir(dir_path);
    if (!dir) return 1;
    struct dirent* e;
    while ((e = readdir(dir)) != NULL && n < 64) {
      size_t len = strlen(e->d_name);
      if (len > 4 && strcmp(e->d_name + len - 4, ".nam") == 0) paths[n++] = tu_join(dir_path, e->d_name);
    }
    closedir(dir);
    free(dir_path);
  }
  qsort(paths, n, sizeof paths[0], by_name);
  for (size_t i = 0; i < sizeof g_in / sizeof g_in[0]; i++) g_in[i] = (float)((i % 100) / 100.0 * 0.1);
  struct CMUnitTest tests[66];
  size_t t = 0;
  tests[t++] = (struct CMUnitTest)cmocka_unit_test(test_wrappers_count);
#ifdef HAVE_MXCSR
  tests[t++] = (struct CMUnitTest)cmocka_unit_test(test_mxcsr);
#endif
  for (size_t i = 0; i < n; i++) tests[t++] = (struct CMUnitTest){paths[i], test_no_alloc, NULL, NULL, paths[i]};
  int rc = _cmocka_run_group_tests("realtime", tests, t, NULL, NULL);
  for (size_t i = 0; i < n; i++) free(paths[i]);
  return rc;
}
