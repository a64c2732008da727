/* The kernels compiled for the host: one call runs one slot's block, all its "threads" as loops. */
#ifndef TRIODE_GPU_HOST_KERNELS_HOST_H
#define TRIODE_GPU_HOST_KERNELS_HOST_H

#include "gpu/kernels/desc.h"

/* Runs slot `slot` of a launch described by `a` (a->stage must be 0); `shm` holds the program's shared floats at
   block size a->n. Thread class: audio. */
void tri_host_run(const TriKArgs* a, int slot, float* shm);

#endif
