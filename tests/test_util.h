/* Helpers shared by the tests: locating ../shared, reading oracle files, comparing signals, running models. */
#ifndef TRIODE_TEST_UTIL_H
#define TRIODE_TEST_UTIL_H

#include "triode/triode.h"

#include <stdbool.h>
#include <stddef.h>

/* Exit status ctest treats as "skipped" (SKIP_RETURN_CODE). */
#define TU_SKIP 77

/* The shared folder (spec, models, oracles). When it is missing: exits 1 if env CI is set, else prints
   "skipping: ../shared not found" and exits TU_SKIP. */
const char* tu_shared_dir(void);

/* "a/b" in a new string (caller frees). */
char* tu_join(const char* a, const char* b);

/* Path of shared model `name` (without .nam) in models/ or models/synthetic/, or NULL. Caller frees. */
char* tu_model_path(const char* name);

/* Whole file in a new NUL-terminated buffer; *len gets its size. NULL when unreadable. */
char* tu_read_file(const char* path, size_t* len);

/* One number per line (oracle format). Returns a new array and its length in *n, or NULL. */
double* tu_read_values(const char* path, size_t* n);

/* Checks |got - want| <= rel_tol * max(1, |want|) for every sample. Prints
   "label: max|Δ| = X (n samples)" and, on failure, the first failing index. Returns true when all pass. */
bool tu_compare(const char* label, const float* got, const double* want, size_t n, double rel_tol);

/* Same with a float reference. */
bool tu_compare_f(const char* label, const float* got, const float* want, size_t n, double rel_tol);

/* Loads a model file; on failure prints the error and fails the current cmocka test. */
TriodeModel* tu_load(const char* path, const TriodeLoadOptions* opts);

/* Loads shared model `name` (without .nam, from models/ or models/synthetic/); fails the test when missing. */
TriodeModel* tu_load_shared(const char* name, const TriodeLoadOptions* opts);
/* Loads JSON text; on failure prints the error and fails the current cmocka test. */
TriodeModel* tu_load_json(const char* json, const TriodeLoadOptions* opts);

/* Creates an instance reset for (rate, max_block); the rate is the model's, or 48000 when unknown. */
TriodeInstance* tu_instance(const TriodeModel* model, int max_block);

/* Feeds n mono samples in chunks of `chunk` frames; asserts every call succeeds. */
void tu_process(TriodeInstance* inst, const float* in, float* out, size_t n, size_t chunk);

/* x[i] = 0.5 sin(2π·220·i/48000), as the sine oracle input. */
void tu_sine(float* x, size_t n);

/* The model's rate, or 48000 when the file gives none. */
double tu_rate(const TriodeModel* model);

#endif
