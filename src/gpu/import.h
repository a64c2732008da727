/* Import: a loaded model converted for the batch kernels, i.e. its program (the shape, compared byte for byte to
   group instances) and one weight set in the layout the kernels read. Pure C, no backend involved. */
#ifndef TRIODE_GPU_IMPORT_H
#define TRIODE_GPU_IMPORT_H

#include "gpu/kernels/desc.h"
#include "triode/triode.h"

typedef struct {
  TriKProg* prog; /* owned; prog->bytes bytes */
  float* params;  /* owned; prog->nparams floats */
  long prewarm;   /* prewarm samples of the model (before rounding up to whole blocks) */
  bool prewarm_default; /* prewarm on add / set_model (false when loaded with no_prewarm) */
} TriImport;

/* Converts `model` for blocks of up to `max_block` frames. Returns TRIODE_FAILURE with a message naming the model
   and the feature when the kernels cannot run it, TRIODE_ERR_NO_MEMORY, TRIODE_ERR_LIMIT for a state too large.
   `error` is nullable. Thread class: instantiation. */
TriodeStatus tri_import(const TriodeModel* model, int max_block, TriImport* out, TriodeError* error);

void tri_import_free(TriImport* im);

#endif
