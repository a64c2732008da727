/* The dispatched primitives, written once over simd.h and compiled per ISA by the kernels_<isa>.c stubs.
   Scalar leftovers use the same formulas through partial vectors, so every frame of a block gets identical math. */
#include "cpu/isa.h"
#include "cpu/simd.h"

#include <stddef.h>

/* One job per part; the order matters (each uses the ones before it). */
#include "cpu/kernels_math.h"
#include "cpu/kernels_gemm.h"
#include "cpu/kernels_lstm.h"
#include "cpu/kernels_wavenet.h"

const TriKernels TRI_FN(tri_kernels_) = {
  .isa = TRI_ISA_ID,
  .name = TRI_ISA_NAME,
  .lanes = TRI_VL,
  .masked = TRI_MASKED,
  .gemm = TRI_FN(gemm_),
  .tanh = TRI_FN(map_tanh_),
  .fast_tanh = TRI_FN(map_fast_tanh_),
  .sigmoid = TRI_FN(map_sigmoid_),
  .fast_sigmoid = TRI_FN(map_fast_sigmoid_),
  .silu = TRI_FN(map_silu_),
  .add = TRI_FN(zip_add_),
  .mul = TRI_FN(zip_mul_),
  .scale = TRI_FN(scale_),
  .matvec = TRI_FN(matvec_),
  .lstm_cell = TRI_FN(lstm_cell_),
  .leaky = TRI_FN(leaky_),
  .clamp = TRI_FN(clamp_),
  .wn_layer = TRI_FN(wn_layer_),
  .wn_max_c = TRI_WN_MAX_C,
  .lstm_run = TRI_FN(lstm_run_),
  .fma_burst = TRI_FN(fma_burst_),
  .act_chain = TRI_FN(act_chain_),
  .fma_per_burst_round = TRI_PEAK_CHAINS * TRI_VL,
};
