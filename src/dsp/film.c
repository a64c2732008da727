/* FiLM: a pointwise projection of the condition gives a per-frame scale and optional shift. */
#include "dsp/film.h"

#include "format/json_util.h"

#include <string.h>

TriodeStatus
tri_film_parse(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, int cond_dim, int dim,
               TriFilm* film)
{
  char p[TRI_PATH_MAX];
  memset(film, 0, sizeof *film);
  tri_path_key(p, sizeof p, path, key);
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (!v || cJSON_IsFalse(v)) return TRIODE_SUCCESS;
  if (!cJSON_IsObject(v))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected an object or false, found %s", tri_json_type(v));
  bool active, shift;
  long groups;
  TRI_TRY(tri_json_bool(ctx, v, p, "active", false, true, &active));
  TRI_TRY(tri_json_bool(ctx, v, p, "shift", false, true, &shift));
  TRI_TRY(tri_json_int(ctx, v, p, "groups", false, 1, 1, TRI_MAX_CHANNELS, &groups));
  if (!active) return TRIODE_SUCCESS;
  film->active = true;
  film->shift = shift;
  film->dim = dim;
  return tri_conv_init(&film->proj, ctx, p, cond_dim, (shift ? 2 : 1) * dim, 1, 1, (int)groups, true);
}

TriodeStatus
tri_film_read(TriFilm* film, TriWeights* w)
{
  return film->active ? tri_conv_read(&film->proj, w) : TRIODE_SUCCESS;
}

long
tri_film_params(const TriFilm* film)
{
  return film->active ? tri_conv_params(&film->proj) : 0;
}

double
tri_film_macs(const TriFilm* film)
{
  return film->active ? tri_conv_macs(&film->proj) : 0.0;
}

TriodeStatus
tri_film_slice(TriFilm* dst, const TriFilm* src, int dim)
{
  *dst = *src;
  if (!src->active) return TRIODE_SUCCESS;
  dst->dim = dim;
  /* Rows [0, D') are the first scale rows; with a shift the slim shift rows are the next D' rows of the full
     matrix, as the reference slices the first m*D' rows. */
  return tri_conv_slice(&dst->proj, &src->proj, src->proj.cin, (src->shift ? 2 : 1) * dim);
}

void
tri_film_free(TriFilm* film)
{
  if (film) tri_conv_free(&film->proj);
}

int
tri_film_scratch_rows(const TriFilm* film)
{
  return film->active ? film->proj.cout : 0;
}

void
tri_film_apply(const TriKernels* k, const TriFilm* film, float* x, int ldx, const float* cond, int ldc, float* scratch, int lds, int n)
{
  if (!film->active) return;
  tri_conv1x1_run(k, &film->proj, cond, ldc, scratch, lds, n, false);
  if (ldx == n && lds == n) {
    k->mul(x, scratch, film->dim * n);
    if (film->shift) k->add(x, scratch + (long)film->dim * lds, film->dim * n);
    return;
  }
  for (int r = 0; r < film->dim; ++r) {
    float* v = x + (long)r * ldx;
    k->mul(v, scratch + (long)r * lds, n);
    if (film->shift) k->add(v, scratch + (long)(film->dim + r) * lds, n);
  }
}
