/* Element-wise activations of spec §2.4, applied to planar blocks (rows × frames). */
#ifndef TRIODE_DSP_ACTIVATION_H
#define TRIODE_DSP_ACTIVATION_H

#include "core/loadctx.h"
#include "cpu/isa.h"

#include <cjson/cJSON.h>

typedef enum {
  TRI_ACT_TANH,
  TRI_ACT_FASTTANH,
  TRI_ACT_HARDTANH,
  TRI_ACT_RELU,
  TRI_ACT_LEAKYRELU,
  TRI_ACT_PRELU,
  TRI_ACT_SIGMOID,
  TRI_ACT_FASTSIGMOID, /* only used inside the LSTM with fast tanh */
  TRI_ACT_SILU,
  TRI_ACT_HARDSWISH,
  TRI_ACT_LEAKYHARDTANH,
  TRI_ACT_SOFTSIGN,
  TRI_ACT_IDENTITY,    /* not a file name; used by tests and internal wiring */
} TriActKind;

typedef struct {
  TriActKind kind;
  float p[4];     /* LeakyReLU: p[0] slope; PReLU single slope: p[0]; LeakyHardtanh: lo, hi, slope lo, slope hi */
  int nslopes;    /* PReLU per-channel slopes (0 = single slope p[0]) */
  float* slopes;  /* owned */
} TriAct;

/* Parses a string or object activation at `path`. Tanh becomes fast when ctx->opts->fast_tanh. */
TriodeStatus tri_act_parse(TriLoadCtx* ctx, const cJSON* node, const char* path, TriAct* act);

/* Checks that a per-channel activation can run on `rows` rows. */
TriodeStatus tri_act_check_rows(TriLoadCtx* ctx, const TriAct* act, const char* path, int rows);

/* Deep copy (slopes duplicated). Returns TRIODE_ERR_NO_MEMORY on failure. */
TriodeStatus tri_act_copy(TriAct* dst, const TriAct* src);

void tri_act_free(TriAct* act);

/* Name as written in files ("Tanh", ...). */
const char* tri_act_name(const TriAct* act);

/* Applies the activation in place to rows [0, rows) of x (row stride ld), frames [0, n). Row r uses slope r. */
void tri_act_apply(const TriAct* act, float* x, int ld, int rows, int n);

/* The same through the dispatched kernels (vectorised tanh / sigmoid / SiLU; the rest are plain loops). */
void tri_act_run(const TriKernels* k, const TriAct* act, float* x, int ld, int rows, int n);

/* Adds `n` evaluations of the activation to the counter of its kind (cheap kinds are not counted). */
void tri_act_count(const TriAct* act, double n, TriodeActivationCounts* counts);

/* Scalar forms, exposed for the LSTM and the tests. */
float tri_fast_tanh(float x);
float tri_fast_sigmoid(float x);
float tri_sigmoid(float x);

#endif
