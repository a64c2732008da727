/*
 * A synthetic DI guitar recording for the demo: a short riff played by plucked strings (Karplus-Strong), at the
 * level a guitar straight into an audio interface typically has (peaks around -8 dBFS). Deterministic.
 */
#ifndef TRIODE_TOOLS_DI_SYNTH_H
#define TRIODE_TOOLS_DI_SYNTH_H

/* Length in frames of the riff at `rate`. */
long
di_synth_length(int rate);
/* Writes di_synth_length(rate) mono frames into `out`. Returns 0, or -1 when out of memory. */
int
di_synth_riff(float* out, int rate);

#endif /* TRIODE_TOOLS_DI_SYNTH_H */
