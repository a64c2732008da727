/* Loading context: where error messages are written and which options shape the model being built. */
#ifndef TRIODE_CORE_LOADCTX_H
#define TRIODE_CORE_LOADCTX_H

#include "triode/triode.h"

#include <stdarg.h>
#include <stddef.h>

/* Limits that keep a hostile file from making the library allocate or compute without bound. */
enum {
  TRI_MAX_DEPTH = 16,            /* nested models (condition DSP, containers, sequential) */
  TRI_MAX_CHANNELS = 4096,       /* any channel / hidden / bottleneck width */
  TRI_MAX_KERNEL = 4096,         /* taps of one conv */
  TRI_MAX_DILATION = 1 << 16,    /* one conv's dilation */
  TRI_MAX_LAYERS = 4096,         /* layers in one array, blocks in a ConvNet, LSTM layers, submodels */
  TRI_MAX_BLOCK = 65536,         /* reset(max_block) */
  TRI_MAX_LINEAR_TAPS = 1 << 22, /* Linear receptive field */
};
#define TRI_MAX_LOOKBACK (1L << 21)        /* one history's look-back in samples */
#define TRI_MAX_DENSE_FLOATS (1L << 26)    /* dense matrix floats of the whole model (256 MB) */
#define TRI_MAX_STATE_BYTES (1L << 30)     /* state + scratch of one instance */
#define TRI_MAX_PREWARM (1L << 24)         /* prewarm samples */
#define TRI_MAX_SAMPLE_RATE 1536000.0

typedef struct {
  const char* file;                /* name used in messages */
  const TriodeLoadOptions* opts;   /* non-null */
  TriodeError* err;                /* nullable */
  int depth;                       /* current model nesting depth */
  long dense_floats;               /* running total, checked against TRI_MAX_DENSE_FLOATS */
  char warning[512];               /* first warning raised, or empty */
} TriLoadCtx;

/* Records an error "FILE: PATH: message" and returns `status`. `path` may be NULL or empty. */
TriodeStatus tri_fail(TriLoadCtx* ctx, TriodeStatus status, const char* path, const char* fmt, ...)
#if defined(__GNUC__)
  __attribute__((format(printf, 4, 5)))
#endif
  ;

/* Fills a caller's (nullable) error report outside loading: status and message. */
void tri_error_set(TriodeError* error, TriodeStatus status, const char* message);

/* Records a warning (only the first is kept). */
void tri_warn(TriLoadCtx* ctx, const char* path, const char* fmt, ...)
#if defined(__GNUC__)
  __attribute__((format(printf, 3, 4)))
#endif
  ;

/* Accounts for `n` more dense floats; fails with TRIODE_ERR_LIMIT over the cap. */
TriodeStatus tri_account_dense(TriLoadCtx* ctx, const char* path, long n);

/* Builds "prefix.key" or "prefix[index]" into buf (size cap) and returns buf. */
const char* tri_path_key(char* buf, size_t cap, const char* prefix, const char* key);
const char* tri_path_index(char* buf, size_t cap, const char* prefix, long index);

#define TRI_TRY(expr)                                                                                              \
  do {                                                                                                             \
    TriodeStatus tri_try_st_ = (expr);                                                                             \
    if (tri_try_st_ != TRIODE_SUCCESS) return tri_try_st_;                                                         \
  } while (0)

#endif
