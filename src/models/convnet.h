/* ConvNet model plan. Immutable after loading; read by the CPU engine and by the batch engine's importer (src/gpu). */
#ifndef TRIODE_MODELS_CONVNET_H
#define TRIODE_MODELS_CONVNET_H

#include "dsp/activation.h"
#include "dsp/conv.h"
#include <stdbool.h>

typedef struct {
  TriConv conv;
  float* scale;  /* batchnorm folded: s = gamma / sqrt(eps + var) */
  float* offset; /* l = beta - s * mean */
} TriConvBlock;

typedef struct {
  int channels, nblocks;
  bool batchnorm;
  TriAct act;
  TriConvBlock* blocks;
  TriConv head; /* C -> out, with bias */
} TriConvNet;

#endif
