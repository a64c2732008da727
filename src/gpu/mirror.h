/* Read-only views of the model structs that src/models keeps private (LSTM, ConvNet, Linear, SlimmableContainer).
 *
 * They must match the definitions at the top of src/models/lstm.c, convnet.c, linear.c and container.c field for
 * field. Each importer first compares the shape fields read through these views with the architecture's own
 * describe() output and refuses the model ("internal layout mismatch") when they disagree, so a change there fails
 * loudly in test_batch instead of reading garbage. The clean fix is for src/models to publish these structs in
 * headers (models/lstm.h, ...) and for this file to include them.
 */
#ifndef TRIODE_GPU_MIRROR_H
#define TRIODE_GPU_MIRROR_H

#include "core/node.h"
#include "dsp/activation.h"
#include "dsp/conv.h"

#include <stdbool.h>

typedef struct {
  int in, hidden;
  float* w;  /* 4H x (in + H), row-major */
  float* wt;
  float* b;  /* 4H */
  float* h0; /* H */
  float* c0; /* H */
} TriMirrorLstmLayer;

typedef struct {
  int nlayers, input_size, hidden;
  bool fast;
  TriMirrorLstmLayer* layers;
  float* head_w; /* out x H */
  float* head_b; /* out */
} TriMirrorLstm;

typedef struct {
  TriConv conv;
  float* scale;
  float* offset;
} TriMirrorConvBlock;

typedef struct {
  int channels, nblocks;
  bool batchnorm;
  TriAct act;
  TriMirrorConvBlock* blocks;
  TriConv head;
} TriMirrorConvNet;

typedef struct {
  int taps;
  bool has_bias;
  float bias;
  float* h;
  char implementation[16];
} TriMirrorLinear;

typedef struct {
  int n;
  double* max_value;
  TriNode** models;
} TriMirrorContainer;

/* Integer `key` of the architecture's describe() object, or `fallback` when absent. */
long tri_mirror_describe_int(const TriNode* node, const char* key, long fallback);

#endif
