/* Backend lookup: "host" always, "cuda" when compiled in, "auto" = cuda when it opens, else host. */
#include "core/loadctx.h"
#include "gpu/backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
tri_backend_general_kernels(void)
{
  const char* v = getenv("TRIODE_GPU_KERNEL");
  return v && strcmp(v, "general") == 0;
}

TriodeStatus
tri_backend_open(const char* name, int max_block, const TriBackend** backend, void** ctx, TriodeError* error)
{
  *backend = NULL;
  *ctx = NULL;
  const bool is_auto = !name || strcmp(name, "auto") == 0;
  if (!is_auto && strcmp(name, "host") != 0 && strcmp(name, "cuda") != 0) {
    char msg[160];
    snprintf(msg, sizeof msg, "unknown batch backend \"%.40s\" (expected auto, cuda or host)", name);
    tri_error_set(error, TRIODE_ERR_BAD_ARG, msg);
    return TRIODE_ERR_BAD_ARG;
  }
  if (is_auto || strcmp(name, "cuda") == 0) {
#ifdef TRIODE_HAVE_CUDA
    TriodeError quiet;
    const TriodeStatus st = tri_backend_cuda.open(max_block, ctx, is_auto ? &quiet : error);
    if (st == TRIODE_SUCCESS) {
      *backend = &tri_backend_cuda;
      return st;
    }
    if (!is_auto) return st;
#else
    if (!is_auto) {
      tri_error_set(error, TRIODE_FAILURE, "batch backend \"cuda\" is not available: triode was built without CUDA");
      return TRIODE_FAILURE;
    }
#endif
  }
  const TriodeStatus st = tri_backend_host.open(max_block, ctx, error);
  if (st == TRIODE_SUCCESS) *backend = &tri_backend_host;
  return st;
}
