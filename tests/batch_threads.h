/* Test-only runner: the batch kernels with every thread of a block as a host thread (see kernels/ctx.h). */
#ifndef TRIODE_TESTS_BATCH_THREADS_H
#define TRIODE_TESTS_BATCH_THREADS_H

#include "gpu/kernels/desc.h"

/* Runs slot `slot` of launch `a` with `nthreads` threads meeting at barriers; `shm` as for tri_host_run, and the
   staging area is used when a->stage. Returns 0, or -1 when threads could not be started. */
int bt_run(const TriKArgs* a, int slot, float* shm, int nthreads);

#endif
