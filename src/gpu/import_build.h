/* Helpers shared by the per-architecture importers: growing weight runs, state rings, items, refusal messages. */
#ifndef TRIODE_GPU_IMPORT_BUILD_H
#define TRIODE_GPU_IMPORT_BUILD_H

#include "core/node.h"
#include "dsp/activation.h"
#include "gpu/import.h"

#include <stddef.h>

typedef struct {
  int max_block;
  float* params;
  long np, cap_p;
  unsigned char* items;
  size_t item_bytes, cap_i;
  long state;  /* floats of slot state reserved so far */
  long rmax;   /* longest ring (frames) */
  bool oom;
  const char* who;    /* "WaveNet model \"name\"" for messages */
  TriodeError* error; /* nullable */
} TriBuild;

/* Appends `count` floats (zeros when src is NULL) to the weight set; returns their offset. */
long tri_build_params(TriBuild* b, const float* src, long count);

/* Reserves a ring of `rows` rows for a history with look-back `lookback`: the length is the next power of two
   >= lookback + max_block. Returns its state offset and sets *mask = length - 1. */
long tri_build_ring(TriBuild* b, int rows, long lookback, int* mask);

/* Appends an item (layer, block) of `size` bytes. */
void tri_build_item(TriBuild* b, const void* item, size_t size);

/* Appends an activation's parameters and fills `ka`; `base` is subtracted from the offset (layer-relative). */
TriodeStatus tri_build_act(TriBuild* b, const TriAct* act, long base, TriKAct* ka);

/* Records "WHO: what is not supported by the batch kernels" and returns TRIODE_FAILURE. */
TriodeStatus tri_build_refuse(TriBuild* b, const char* fmt, ...)
#if defined(__GNUC__)
  __attribute__((format(printf, 2, 3)))
#endif
  ;

/* Checks sizes, fills the header's common fields and assembles header + items into out->prog; takes the params. */
TriodeStatus tri_build_finish(TriBuild* b, TriKProg* head, TriImport* out);

void tri_build_free(TriBuild* b);

/* Per architecture: fill `head` (kind-specific and layout fields) and the builder from `node`. */
TriodeStatus tri_import_wavenet(const TriNode* node, TriBuild* b, TriKProg* head);
TriodeStatus tri_import_lstm(const TriNode* node, TriBuild* b, TriKProg* head);
TriodeStatus tri_import_convnet(const TriNode* node, TriBuild* b, TriKProg* head);
TriodeStatus tri_import_linear(const TriNode* node, TriBuild* b, TriKProg* head);

#endif
