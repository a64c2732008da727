/* Status strings. */
#include "triode/triode.h"

const char*
triode_strerror(TriodeStatus status)
{
  switch (status) {
  case TRIODE_SUCCESS: return "success";
  case TRIODE_FAILURE: return "not applicable";
  case TRIODE_ERR_UNKNOWN: return "internal error";
  case TRIODE_ERR_BAD_ARG: return "invalid argument";
  case TRIODE_ERR_NO_MEMORY: return "out of memory";
  case TRIODE_ERR_IO: return "cannot read file";
  case TRIODE_ERR_BAD_JSON: return "invalid JSON";
  case TRIODE_ERR_BAD_VERSION: return "unsupported file version";
  case TRIODE_ERR_BAD_ARCH: return "unknown architecture or activation";
  case TRIODE_ERR_BAD_CONFIG: return "invalid model configuration";
  case TRIODE_ERR_BAD_WEIGHTS: return "invalid weights";
  case TRIODE_ERR_LIMIT: return "model exceeds safety limits";
  case TRIODE_ERR_BAD_STATE: return "invalid state for this call";
  }
  return "unknown status";
}

void
triode_load_options_init(TriodeLoadOptions* options)
{
  if (!options) return;
  options->fast_tanh = false;
  options->film_snapshot = false;
  options->no_prewarm = false;
}
