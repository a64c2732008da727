/* Error and warning recording for the loader. */
#include "core/loadctx.h"

#include <stdio.h>
#include <string.h>

static void
format_message(char* buf, size_t cap, const char* file, const char* path, const char* fmt, va_list ap)
{
  int used = 0;
  if (file && *file) used = snprintf(buf, cap, "%s: ", file);
  if (used < 0 || (size_t)used >= cap) return;
  if (path && *path) {
    int m = snprintf(buf + used, cap - (size_t)used, "%s: ", path);
    if (m < 0 || (size_t)(used + m) >= cap) return;
    used += m;
  }
  vsnprintf(buf + used, cap - (size_t)used, fmt, ap);
}

TriodeStatus
tri_fail(TriLoadCtx* ctx, TriodeStatus status, const char* path, const char* fmt, ...)
{
  /* Keep the innermost (first) message: outer callers only propagate. */
  if (ctx && ctx->err && ctx->err->status == TRIODE_SUCCESS) {
    va_list ap;
    va_start(ap, fmt);
    format_message(ctx->err->message, sizeof ctx->err->message, ctx->file, path, fmt, ap);
    va_end(ap);
    ctx->err->status = status;
  }
  return status;
}

void
tri_error_set(TriodeError* error, TriodeStatus status, const char* message)
{
  if (!error) return;
  error->status = status;
  snprintf(error->message, sizeof error->message, "%s", message);
}

void
tri_warn(TriLoadCtx* ctx, const char* path, const char* fmt, ...)
{
  if (!ctx || ctx->warning[0]) return;
  va_list ap;
  va_start(ap, fmt);
  format_message(ctx->warning, sizeof ctx->warning, ctx->file, path, fmt, ap);
  va_end(ap);
}

TriodeStatus
tri_account_dense(TriLoadCtx* ctx, const char* path, long n)
{
  if (n < 0 || n > TRI_MAX_DENSE_FLOATS - ctx->dense_floats)
    return tri_fail(ctx, TRIODE_ERR_LIMIT, path, "weight matrices would need more than %ld floats",
                    (long)TRI_MAX_DENSE_FLOATS);
  ctx->dense_floats += n;
  return TRIODE_SUCCESS;
}

const char*
tri_path_key(char* buf, size_t cap, const char* prefix, const char* key)
{
  if (prefix && *prefix)
    snprintf(buf, cap, "%s.%s", prefix, key);
  else
    snprintf(buf, cap, "%s", key);
  return buf;
}

const char*
tri_path_index(char* buf, size_t cap, const char* prefix, long index)
{
  snprintf(buf, cap, "%s[%ld]", prefix ? prefix : "", index);
  return buf;
}
