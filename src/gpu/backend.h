/* Backend interface of the batch engine: a table of operations plus an opaque context (ggml style). The batch
   (batch.c) owns the groups and their host-side layout (group.h) and tells the backend what changed; the backend
   owns the state of every slot and runs the kernels (kernels/), on the host or on a device.
   Every operation is instantiation class except `process`, which is audio class. */
#ifndef TRIODE_GPU_BACKEND_H
#define TRIODE_GPU_BACKEND_H

#include "gpu/group.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  const char* name;
  /* Opens the backend for blocks of up to max_block frames. TRIODE_FAILURE with a message in `error` (nullable)
     when it cannot run here (no device). */
  TriodeStatus (*open)(int max_block, void** ctx, TriodeError* error);
  void (*close)(void* ctx);
  /* Makes the backend's copy of group g match its host layout: program, weight sets, slot maps, and room for
     g->cap_slots slot states, keeping the state of slots [0, g->nslots) and zeroing new ones. What changed since
     the last sync is marked in the group (set_dirty, dirty_lo/hi); the caller then calls tri_group_mark_synced. */
  TriodeStatus (*group_sync)(void* ctx, TriGroup* g);
  /* Releases the backend's copy of group g (g->backend becomes NULL). Optional work before tri_group_free. */
  void (*group_release)(void* ctx, TriGroup* g);
  /* Sets the state of slot `slot`: its first `count` floats from `head` (nullable when count is 0), the rest 0. */
  TriodeStatus (*slot_fill)(void* ctx, TriGroup* g, int slot, const float* head, int count);
  /* Copies the state of slot `from` into slot `to` (keeping slots dense after a removal). */
  TriodeStatus (*slot_move)(void* ctx, TriGroup* g, int from, int to);
  /* Runs `blocks` blocks of max_block zeros through slots [slot0, slot0 + count) alone, discarding the output
     (prewarm; one launch per block covers them all). */
  TriodeStatus (*slot_prewarm)(void* ctx, TriGroup* g, int slot0, int count, long blocks);
  /* One block of n frames for every slot of every group: in / out hold ninst x n floats, instance-major.
     Waits at most `deadline` seconds for the result when > 0; returns TRIODE_FAILURE (out zeroed) when late. */
  TriodeStatus (*process)(void* ctx, TriGroup* const* groups, int ngroups, const float* in, float* out, int ninst,
                          int n, double deadline);
} TriBackend;

/* The backends; tri_backend_cuda exists only when compiled with CUDA (TRIODE_HAVE_CUDA). */
extern const TriBackend tri_backend_host;
#ifdef TRIODE_HAVE_CUDA
extern const TriBackend tri_backend_cuda;
#endif

/* Finds a backend by name ("host", "cuda", "auto"/NULL) and opens it. Messages: unknown name (BAD_ARG),
   "built without CUDA" / no device (FAILURE). */
TriodeStatus tri_backend_open(const char* name, int max_block, const TriBackend** backend, void** ctx,
                              TriodeError* error);

/* Whether the environment asks for the general kernel bodies only (TRIODE_GPU_KERNEL=general), for measuring the
   specialised ones against them; read when a backend opens. */
bool tri_backend_general_kernels(void);

#ifdef __cplusplus
}
#endif

#endif
