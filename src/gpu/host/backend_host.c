/* Host backend: slot states in host memory, the kernels run on the calling thread one slot after the other. It is
   the reference the CUDA backend is checked against in spirit (same kernel source) and the fallback of "auto". */
#include "core/fpmode.h"
#include "gpu/backend.h"
#include "gpu/host/kernels_host.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  float* state;     /* cap x state_floats */
  unsigned* cursor; /* cap */
  int cap;
} HostGroup;

typedef struct {
  int max_block;
  float* shm; /* scratch for the largest program */
  size_t shm_floats;
  float* zeros; /* prewarm input */
  float* junk;  /* prewarm output */
  bool general; /* tri_backend_general_kernels() at open */
} HostCtx;

static void
host_close(void* ctx)
{
  HostCtx* c = ctx;
  if (!c) return;
  free(c->shm);
  free(c->zeros);
  free(c->junk);
  free(c);
}

static TriodeStatus
host_open(int max_block, void** ctx, TriodeError* error)
{
  (void)error;
  HostCtx* c = calloc(1, sizeof *c);
  if (!c) return TRIODE_ERR_NO_MEMORY;
  c->max_block = max_block;
  c->general = tri_backend_general_kernels();
  c->zeros = calloc((size_t)max_block, sizeof(float));
  c->junk = calloc((size_t)max_block, sizeof(float));
  if (!c->zeros || !c->junk) {
    host_close(c);
    return TRIODE_ERR_NO_MEMORY;
  }
  *ctx = c;
  return TRIODE_SUCCESS;
}

static TriodeStatus
host_group_sync(void* ctx, TriGroup* g)
{
  HostCtx* c = ctx;
  const TriKProg* P = g->prog;
  const size_t shm = (size_t)P->shm_fixed + (size_t)P->shm_rows * (size_t)c->max_block + 1;
  if (shm > c->shm_floats) {
    float* p = realloc(c->shm, shm * sizeof *p);
    if (!p) return TRIODE_ERR_NO_MEMORY;
    c->shm = p;
    c->shm_floats = shm;
  }
  HostGroup* h = g->backend;
  if (!h) {
    h = calloc(1, sizeof *h);
    if (!h) return TRIODE_ERR_NO_MEMORY;
    g->backend = h;
  }
  if (g->cap_slots > h->cap) {
    const size_t sf = (size_t)P->state_floats;
    float* st = realloc(h->state, (size_t)g->cap_slots * sf * sizeof *st + sizeof *st);
    if (!st) return TRIODE_ERR_NO_MEMORY;
    h->state = st;
    unsigned* cur = realloc(h->cursor, (size_t)g->cap_slots * sizeof *cur);
    if (!cur) return TRIODE_ERR_NO_MEMORY;
    h->cursor = cur;
    memset(st + (size_t)h->cap * sf, 0, (size_t)(g->cap_slots - h->cap) * sf * sizeof *st);
    memset(cur + h->cap, 0, (size_t)(g->cap_slots - h->cap) * sizeof *cur);
    h->cap = g->cap_slots;
  }
  return TRIODE_SUCCESS; /* program, weights and slot maps are read from the group itself */
}

static void
host_group_release(void* ctx, TriGroup* g)
{
  (void)ctx;
  HostGroup* h = g->backend;
  if (!h) return;
  free(h->state);
  free(h->cursor);
  free(h);
  g->backend = NULL;
}

static TriodeStatus
host_slot_fill(void* ctx, TriGroup* g, int slot, const float* head, int count)
{
  (void)ctx;
  HostGroup* h = g->backend;
  const size_t sf = (size_t)g->prog->state_floats;
  float* st = h->state + (size_t)slot * sf;
  if (count > 0) memcpy(st, head, (size_t)count * sizeof *st);
  memset(st + count, 0, (sf - (size_t)count) * sizeof *st);
  h->cursor[slot] = 0;
  return TRIODE_SUCCESS;
}

static TriodeStatus
host_slot_move(void* ctx, TriGroup* g, int from, int to)
{
  (void)ctx;
  HostGroup* h = g->backend;
  const size_t sf = (size_t)g->prog->state_floats;
  memmove(h->state + (size_t)to * sf, h->state + (size_t)from * sf, sf * sizeof(float));
  h->cursor[to] = h->cursor[from];
  return TRIODE_SUCCESS;
}

static TriKArgs
args(const HostCtx* c, const TriGroup* g, const float* in, float* out, int n)
{
  const HostGroup* h = g->backend;
  TriKArgs a;
  memset(&a, 0, sizeof a);
  a.prog = g->prog;
  a.params = g->params;
  a.slot_set = g->slot_set;
  a.slot_io = g->slot_io;
  a.state = h->state;
  a.cursor = h->cursor;
  a.in = in;
  a.out = out;
  a.n = n;
  a.general = c->general;
  return a;
}

static TriodeStatus
host_slot_prewarm(void* ctx, TriGroup* g, int slot0, int count, long blocks)
{
  HostCtx* c = ctx;
  TriKArgs a = args(c, g, c->zeros, c->junk, c->max_block);
  a.slot_io = NULL;
  const TriFpMode fp = tri_fp_enter();
  for (int s = slot0; s < slot0 + count; ++s)
    for (long b = 0; b < blocks; ++b) tri_host_run(&a, s, c->shm);
  tri_fp_leave(fp);
  return TRIODE_SUCCESS;
}

static TriodeStatus
host_process(void* ctx, TriGroup* const* groups, int ngroups, const float* in, float* out, int ninst, int n,
             double deadline)
{
  (void)ninst;
  (void)deadline; /* computed on the calling thread: the caller's time is the compute time */
  HostCtx* c = ctx;
  const TriFpMode fp = tri_fp_enter();
  for (int i = 0; i < ngroups; ++i) {
    const TriGroup* g = groups[i];
    const TriKArgs a = args(c, g, in, out, n);
    for (int s = 0; s < g->nslots; ++s) tri_host_run(&a, s, c->shm);
  }
  tri_fp_leave(fp);
  return TRIODE_SUCCESS;
}

const TriBackend tri_backend_host = {
  .name = "host",
  .open = host_open,
  .close = host_close,
  .group_sync = host_group_sync,
  .group_release = host_group_release,
  .slot_fill = host_slot_fill,
  .slot_move = host_slot_move,
  .slot_prewarm = host_slot_prewarm,
  .process = host_process,
};
