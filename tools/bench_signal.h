/*
 * The test signal of `triode bench` and of the preset level check: the demo's plucked-string DI riff
 * (di_synth.c) scaled to peaks of -12 dBFS and repeated to the requested length. A real guitar-like signal rather
 * than zeros or a sine, so that activations see the values they see in use.
 */
#ifndef TRIODE_TOOLS_BENCH_SIGNAL_H
#define TRIODE_TOOLS_BENCH_SIGNAL_H

#define BENCH_SIGNAL_PEAK_DBFS (-12.0)

/* A new array of `frames` samples at `rate` Hz (free() it), or NULL when out of memory. Deterministic. */
float*
bench_signal_new(long frames, int rate);

#endif /* TRIODE_TOOLS_BENCH_SIGNAL_H */
