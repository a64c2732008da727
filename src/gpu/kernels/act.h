/* Activations of spec §2.4 for one value, written with the same formulas and evaluation order as the CPU engine
   (src/dsp/activation.c) so results agree within float rounding of the math library. */
#ifndef TRIODE_GPU_KERNELS_ACT_H
#define TRIODE_GPU_KERNELS_ACT_H

#include "gpu/kernels/ctx.h"

/* The reference's rational tanh approximation, evaluated as written. */
TRI_KFN float
tri_k_fast_tanh(float x)
{
  const float a = fabsf(x);
  const float x2 = x * x;
  const float num =
    x * (2.45550750702956f + 2.45550750702956f * a + (0.893229853513558f + 0.821226666969744f * a) * x2);
  const float den = 2.44506634652299f + (2.44506634652299f + x2) * fabsf(x + 0.814642734961073f * x * a);
  return num / den;
}

TRI_KFN float
tri_k_sigmoid(float x)
{
  return 1.0f / (1.0f + expf(-x));
}

TRI_KFN float
tri_k_fast_sigmoid(float x)
{
  return 0.5f * (tri_k_fast_tanh(0.5f * x) + 1.0f);
}

/* act(x) for row `row` of the block; `p` points at the activation's parameters (slopes, bounds). */
TRI_KFN float
tri_k_act(const TriKAct* act, const float* p, int row, float x)
{
  switch (act->kind) {
  case TRI_KA_TANH: return tanhf(x);
  case TRI_KA_FASTTANH: return tri_k_fast_tanh(x);
  case TRI_KA_HARDTANH: return x < -1.0f ? -1.0f : (x > 1.0f ? 1.0f : x);
  case TRI_KA_RELU: return x > 0.0f ? x : 0.0f;
  case TRI_KA_LEAKYRELU: return x > 0.0f ? x : p[0] * x;
  case TRI_KA_PRELU: {
    const float a = act->nslopes > 0 ? p[row < act->nslopes ? row : act->nslopes - 1] : p[0];
    return x > 0.0f ? x : a * x;
  }
  case TRI_KA_SIGMOID: return tri_k_sigmoid(x);
  case TRI_KA_SILU: return x * tri_k_sigmoid(x);
  case TRI_KA_HARDSWISH: {
    float c = x + 3.0f;
    c = c < 0.0f ? 0.0f : (c > 6.0f ? 6.0f : c);
    return (x * c) * (1.0f / 6.0f);
  }
  case TRI_KA_LEAKYHARDTANH:
    if (x < p[0]) return (x - p[0]) * p[2] + p[0];
    if (x > p[1]) return (x - p[1]) * p[3] + p[1];
    return x;
  case TRI_KA_SOFTSIGN: return x / (1.0f + fabsf(x));
  default: return x;
  }
}

#endif
