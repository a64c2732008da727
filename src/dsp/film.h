/* Feature-wise linear modulation (spec §2.3): x <- x * scale(c) (+ shift(c)). */
#ifndef TRIODE_DSP_FILM_H
#define TRIODE_DSP_FILM_H

#include "dsp/conv.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

typedef struct {
  bool active;
  bool shift;
  int dim;      /* D: rows modulated */
  TriConv proj; /* cond_dim -> (shift ? 2 : 1) * D, with bias */
} TriFilm;

/* Parses layer-array key `key` (missing or false: inactive; object: active/shift/groups). */
TriodeStatus tri_film_parse(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, int cond_dim,
                            int dim, TriFilm* film);

/* Reads the projection's weights (nothing when inactive). */
TriodeStatus tri_film_read(TriFilm* film, TriWeights* w);

long tri_film_params(const TriFilm* film);
/* Multiply-adds per frame of the projection (0 when inactive). */
double tri_film_macs(const TriFilm* film);

/* Copy keeping the first rows for a slimmed width `dim`. */
TriodeStatus tri_film_slice(TriFilm* dst, const TriFilm* src, int dim);

void tri_film_free(TriFilm* film);

/* Rows of scratch needed: (shift ? 2 : 1) * dim. */
int tri_film_scratch_rows(const TriFilm* film);

/* x (dim rows, stride ldx) modulated by cond (stride ldc); scratch has tri_film_scratch_rows rows of stride lds.
   x may alias cond. */
void tri_film_apply(const TriKernels* k, const TriFilm* film, float* x, int ldx, const float* cond, int ldc, float* scratch, int lds,
                    int n);

#endif
