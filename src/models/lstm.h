/* LSTM model plan. Immutable after loading; read by the CPU engine and by the batch engine's importer (src/gpu). */
#ifndef TRIODE_MODELS_LSTM_H
#define TRIODE_MODELS_LSTM_H

#include <stdbool.h>

typedef struct {
  int in, hidden;
  float* w;  /* 4H x (in + H), row-major */
  float* wt; /* (in + H) x 4H: packed for the kernels' mat-vec */
  float* b;  /* 4H */
  float* h0; /* H */
  float* c0; /* H */
} TriLstmLayer;

typedef struct {
  int nlayers, input_size, hidden;
  bool fast;
  TriLstmLayer* layers;
  float* head_w; /* out x H */
  float* head_b; /* out */
} TriLstm;

#endif
