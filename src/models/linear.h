/* Linear (FIR) model plan. Immutable after loading; read by the CPU engine and by the batch engine's importer (src/gpu). */
#ifndef TRIODE_MODELS_LINEAR_H
#define TRIODE_MODELS_LINEAR_H

#include <stdbool.h>

typedef struct {
  int taps;
  bool has_bias;
  float bias;
  float* h; /* taps, chronological */
  char implementation[16];
} TriLinear;

#endif
