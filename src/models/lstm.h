/* LSTM model plan. Immutable after loading; read by the CPU engine and by the batch engine's importer (src/gpu). */
#ifndef TRIODE_MODELS_LSTM_H
#define TRIODE_MODELS_LSTM_H

#include <stdbool.h>

typedef struct {
  int in, hidden;
  float* w;  /* 4H x (in + H), row-major */
  float* wt; /* (in + H) x 4H: packed for the kernels' mat-vec, in the model's kernel block */
  float* b;  /* 4H */
  float* bk; /* b, in the kernel block */
  float* h0; /* H */
  float* c0; /* H */
} TriLstmLayer;

typedef struct {
  int nlayers, input_size, hidden;
  bool fast;
  TriLstmLayer* layers;
  float* head_w; /* out x H */
  float* head_b; /* out */
  /* What the CPU kernels read, in one block of whole cache lines: per layer wt then bk, then the head (hk_w, hk_b). */
  float* kernel_block;
  void* kernel_mem; /* what kernel_block was carved from */
  float *hk_w, *hk_b;
} TriLstm;

#endif
