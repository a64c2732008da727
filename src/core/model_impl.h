/* Public handle types. */
#ifndef TRIODE_CORE_MODEL_IMPL_H
#define TRIODE_CORE_MODEL_IMPL_H

#include "core/node.h"
#include "triode/triode.h"

struct TriodeModelImpl {
  TriNode* root;
  TriodeLoadOptions opts;
  char warning[512];
};

struct TriodeInstanceImpl {
  const TriodeModel* model;
  const TriKernels* kern; /* instruction-set level of this instance */
  TriState st;
  int max_block;
  double sample_rate;
  bool prewarm;
  float* inbuf;  /* nin x max_block */
  float* outbuf; /* nout x max_block */
};

#endif
