/* Host instantiation of the kernels: kernels/ctx.h maps threads to a loop and barriers to nothing. */
#include "gpu/host/kernels_host.h"

#include "gpu/kernels/convnet.h"
#include "gpu/kernels/linear.h"
#include "gpu/kernels/lstm.h"
#include "gpu/kernels/wavenet.h"

void
tri_host_run(const TriKArgs* a, int slot, float* shm)
{
  switch (a->prog->kind) {
  case TRI_K_WAVENET: tri_k_wavenet(a, slot, shm); break;
  case TRI_K_LSTM: tri_k_lstm(a, slot, shm); break;
  case TRI_K_CONVNET: tri_k_convnet(a, slot, shm); break;
  case TRI_K_LINEAR: tri_k_linear(a, slot, shm); break;
  default: break;
  }
}
