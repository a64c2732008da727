/* The flat weight stream of a .nam model, read front to back. */
#ifndef TRIODE_FORMAT_WEIGHTS_H
#define TRIODE_FORMAT_WEIGHTS_H

#include "core/loadctx.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  const float* data; /* all numbers of the array, already validated as finite */
  size_t total;      /* how many the file has */
  size_t pos;        /* how many have been taken */
  bool counting;     /* true: only count what would be taken (nothing is read or allocated) */
  TriLoadCtx* ctx;
  const char* path;  /* JSON path of the array, for messages */
} TriWeights;

/* Takes n numbers into dst (dst unused when counting). Fails when the stream has fewer left. */
TriodeStatus tri_weights_take(TriWeights* w, float* dst, size_t n);

/* Takes one number. */
TriodeStatus tri_weights_take1(TriWeights* w, float* dst);

#endif
