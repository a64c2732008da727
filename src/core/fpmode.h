/* Flush-to-zero while processing, restoring the caller's floating-point mode afterwards. */
#ifndef TRIODE_CORE_FPMODE_H
#define TRIODE_CORE_FPMODE_H

typedef struct {
  unsigned long saved;
} TriFpMode;

/* Enables flush-to-zero and denormals-are-zero; returns the previous mode. Thread class: audio. */
TriFpMode tri_fp_enter(void);
void tri_fp_leave(TriFpMode mode);

#endif
