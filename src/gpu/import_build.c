/* Builder for imported programs: weights, rings and items grow as an importer walks a model. */
#include "gpu/import_build.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Offsets and sizes are ints on the device; a slot's state is also kept well inside what one launch can index. */
#define TRI_BUILD_MAX_FLOATS (1L << 28)

long
tri_build_params(TriBuild* b, const float* src, long count)
{
  const long off = b->np;
  if (b->np + count > b->cap_p) {
    long cap = b->cap_p ? b->cap_p : 256;
    while (cap < b->np + count) cap *= 2;
    float* p = realloc(b->params, (size_t)cap * sizeof *p);
    if (!p) {
      b->oom = true;
      return 0;
    }
    b->params = p;
    b->cap_p = cap;
  }
  if (src)
    memcpy(b->params + off, src, (size_t)count * sizeof *src);
  else
    memset(b->params + off, 0, (size_t)count * sizeof *b->params);
  b->np += count;
  return off;
}

long
tri_build_ring(TriBuild* b, int rows, long lookback, int* mask)
{
  long len = 1;
  while (len < lookback + b->max_block) len *= 2;
  const long off = b->state;
  b->state += (long)rows * len;
  if (len > b->rmax) b->rmax = len;
  *mask = (int)(len - 1 < INT_MAX ? len - 1 : INT_MAX);
  return off;
}

void
tri_build_item(TriBuild* b, const void* item, size_t size)
{
  if (b->item_bytes + size > b->cap_i) {
    size_t cap = b->cap_i ? b->cap_i : 1024;
    while (cap < b->item_bytes + size) cap *= 2;
    unsigned char* p = realloc(b->items, cap);
    if (!p) {
      b->oom = true;
      return;
    }
    b->items = p;
    b->cap_i = cap;
  }
  memcpy(b->items + b->item_bytes, item, size);
  b->item_bytes += size;
}

TriodeStatus
tri_build_act(TriBuild* b, const TriAct* act, long base, TriKAct* ka)
{
  memset(ka, 0, sizeof *ka);
  switch (act->kind) {
  case TRI_ACT_TANH: ka->kind = TRI_KA_TANH; break;
  case TRI_ACT_FASTTANH: ka->kind = TRI_KA_FASTTANH; break;
  case TRI_ACT_HARDTANH: ka->kind = TRI_KA_HARDTANH; break;
  case TRI_ACT_RELU: ka->kind = TRI_KA_RELU; break;
  case TRI_ACT_LEAKYRELU:
    ka->kind = TRI_KA_LEAKYRELU;
    ka->p = (int)(tri_build_params(b, act->p, 1) - base);
    break;
  case TRI_ACT_PRELU:
    ka->kind = TRI_KA_PRELU;
    ka->nslopes = act->nslopes;
    ka->p = (int)(tri_build_params(b, act->nslopes > 0 ? act->slopes : act->p, act->nslopes > 0 ? act->nslopes : 1) -
                  base);
    break;
  case TRI_ACT_SIGMOID: ka->kind = TRI_KA_SIGMOID; break;
  case TRI_ACT_SILU: ka->kind = TRI_KA_SILU; break;
  case TRI_ACT_HARDSWISH: ka->kind = TRI_KA_HARDSWISH; break;
  case TRI_ACT_LEAKYHARDTANH:
    ka->kind = TRI_KA_LEAKYHARDTANH;
    ka->p = (int)(tri_build_params(b, act->p, 4) - base);
    break;
  case TRI_ACT_SOFTSIGN: ka->kind = TRI_KA_SOFTSIGN; break;
  case TRI_ACT_IDENTITY: ka->kind = TRI_KA_IDENTITY; break;
  default: return tri_build_refuse(b, "activation %s", tri_act_name(act));
  }
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_build_refuse(TriBuild* b, const char* fmt, ...)
{
  if (b->error) {
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    b->error->status = TRIODE_FAILURE;
    snprintf(b->error->message, sizeof b->error->message, "%s: %s is not supported by the batch kernels", b->who,
             what);
  }
  return TRIODE_FAILURE;
}

static TriodeStatus
limit(TriBuild* b, const char* what, long value)
{
  if (b->error) {
    b->error->status = TRIODE_ERR_LIMIT;
    snprintf(b->error->message, sizeof b->error->message, "%s: %s needs %ld floats per instance (batch limit %ld)",
             b->who, what, value, (long)TRI_BUILD_MAX_FLOATS);
  }
  return TRIODE_ERR_LIMIT;
}

TriodeStatus
tri_build_finish(TriBuild* b, TriKProg* head, TriImport* out)
{
  if (b->oom) return TRIODE_ERR_NO_MEMORY;
  if (b->np > TRI_BUILD_MAX_FLOATS) return limit(b, "the weight set", b->np);
  if (b->state > TRI_BUILD_MAX_FLOATS) return limit(b, "the state (delay lines)", b->state);
  const long shm = (long)head->shm_fixed + (long)head->shm_rows * b->max_block;
  if (shm > TRI_BUILD_MAX_FLOATS) return limit(b, "the block scratch", shm);
  const size_t bytes = sizeof *head + b->item_bytes;
  if (bytes > (size_t)INT_MAX) return limit(b, "the program", (long)(bytes / sizeof(float)));
  head->bytes = (int)bytes;
  head->nparams = (int)b->np;
  head->state_floats = (int)b->state;
  head->cursor_mask = (int)(b->rmax > 0 ? b->rmax - 1 : 0);
  head->items = (int)sizeof *head;
  /* calloc: the blob is compared byte for byte, so padding (there is none: all ints) must be deterministic */
  unsigned char* blob = calloc(1, bytes);
  float* params = b->params ? b->params : calloc(1, sizeof(float));
  if (!blob || !params) {
    free(blob);
    if (!b->params) free(params);
    return TRIODE_ERR_NO_MEMORY;
  }
  memcpy(blob, head, sizeof *head);
  if (b->item_bytes) memcpy(blob + sizeof *head, b->items, b->item_bytes);
  out->prog = (TriKProg*)(void*)blob;
  out->params = params;
  b->params = NULL;
  return TRIODE_SUCCESS;
}

void
tri_build_free(TriBuild* b)
{
  free(b->params);
  free(b->items);
  b->params = NULL;
  b->items = NULL;
}
