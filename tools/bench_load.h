/* Model sources of `triode bench`: .nam files and the built-in presets (preset:NAME), loaded and timed. */
#ifndef TRIODE_TOOLS_BENCH_LOAD_H
#define TRIODE_TOOLS_BENCH_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <triode/triode.h>

#define BENCH_PRESET_PREFIX "preset:"

/*
 * Loads `source` and sets *load_ms to the library's parse-and-build time (for a preset, generating its JSON is
 * not counted). Returns a CLI exit code after a message on failure.
 */
int
bench_load(const char* source, bool fast_tanh, int runs, TriodeModel** model, double* load_ms);

/* The short name shown in the table: preset:NAME as is, a path without its folder and ".nam". */
void
bench_short_name(const char* source, char* name, size_t capacity);

/* Seconds of a monotonic clock. */
double
bench_now(void);

#endif /* TRIODE_TOOLS_BENCH_LOAD_H */
