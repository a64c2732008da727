/* The flat weight stream. */
#include "format/weights.h"

#include <string.h>

TriodeStatus
tri_weights_take(TriWeights* w, float* dst, size_t n)
{
  if (w->counting) { /* only the total matters; it is compared with the file's count afterwards */
    w->pos += n;
    return TRIODE_SUCCESS;
  }
  if (n > w->total - w->pos) {
    return tri_fail(w->ctx, TRIODE_ERR_BAD_WEIGHTS, w->path, "the weight list ended early (has %zu numbers)",
                    w->total);
  }
  if (!w->counting && n) memcpy(dst, w->data + w->pos, n * sizeof *dst);
  w->pos += n;
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_weights_take1(TriWeights* w, float* dst)
{
  return tri_weights_take(w, dst, 1);
}
