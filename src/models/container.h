/* SlimmableContainer plan. Immutable after loading; read by the CPU engine and by the batch engine's importer (src/gpu). */
#ifndef TRIODE_MODELS_CONTAINER_H
#define TRIODE_MODELS_CONTAINER_H

#include "core/node.h"
#include <stdbool.h>

typedef struct {
  int n;
  double* max_value;
  TriNode** models;
} TriContainer;

#endif
