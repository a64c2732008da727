/* The batch kernels compiled with TRI_KERNEL_THREADS: one pthread per CUDA thread, a pthread barrier per
   __syncthreads(). A missing barrier or an item touching another item's data shows up as a difference from the
   serial host run (and as a data race under ThreadSanitizer). */
#define _POSIX_C_SOURCE 200809L
#define TRI_KERNEL_THREADS 1

#include "batch_threads.h"

#include "gpu/kernels/convnet.h"
#include "gpu/kernels/linear.h"
#include "gpu/kernels/lstm.h"
#include "gpu/kernels/wavenet.h"

#include <pthread.h>
#include <stdlib.h>

static _Thread_local int g_tid;
static int g_nthreads;
static pthread_barrier_t g_barrier;

int
tri_kt_tid(void)
{
  return g_tid;
}

int
tri_kt_nthreads(void)
{
  return g_nthreads;
}

void
tri_kt_barrier(void)
{
  pthread_barrier_wait(&g_barrier);
}

typedef struct {
  const TriKArgs* a;
  int slot, tid;
  float* shm;
} Job;

static void*
thread_main(void* arg)
{
  const Job* j = arg;
  g_tid = j->tid;
  switch (j->a->prog->kind) {
  case TRI_K_WAVENET: tri_k_wavenet(j->a, j->slot, j->shm); break;
  case TRI_K_LSTM: tri_k_lstm(j->a, j->slot, j->shm); break;
  case TRI_K_CONVNET: tri_k_convnet(j->a, j->slot, j->shm); break;
  case TRI_K_LINEAR: tri_k_linear(j->a, j->slot, j->shm); break;
  default: break;
  }
  return NULL;
}

int
bt_run(const TriKArgs* a, int slot, float* shm, int nthreads)
{
  pthread_t* th = malloc((size_t)nthreads * sizeof *th);
  Job* jobs = malloc((size_t)nthreads * sizeof *jobs);
  int rc = th && jobs && pthread_barrier_init(&g_barrier, NULL, (unsigned)nthreads) == 0 ? 0 : -1;
  g_nthreads = nthreads;
  int started = 0;
  for (int t = 0; rc == 0 && t < nthreads; ++t) {
    jobs[t] = (Job){a, slot, t, shm};
    if (pthread_create(&th[t], NULL, thread_main, &jobs[t]) != 0) rc = -1;
    else started++;
  }
  for (int t = 0; t < started; ++t) pthread_join(th[t], NULL);
  if (th && jobs && started == nthreads) pthread_barrier_destroy(&g_barrier);
  free(th);
  free(jobs);
  return started == nthreads ? rc : -1;
}
