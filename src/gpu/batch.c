/* Public batch API (include/triode/batch.h): instances, their placement in shape groups, hot swap, reset and the
   per-block call. Layout decisions live in group.c and import*.c; the backend only mirrors and computes. */
#include "triode/batch.h"

#include "gpu/backend.h"
#include "gpu/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRI_GROUP_TRY(expr)                                                                                        \
  do {                                                                                                             \
    const TriodeStatus tri_st_ = (expr);                                                                           \
    if (tri_st_ != TRIODE_SUCCESS) return tri_st_;                                                                 \
  } while (0)

typedef struct {
  const TriodeModel* model;
  TriGroup* group;
  int slot;
  long prewarm; /* samples */
  bool prewarm_default;
} BatchInst;

struct TriodeBatchImpl {
  const TriBackend* be;
  void* ctx;
  int max_block;
  double deadline;
  BatchInst* inst;
  int n, cap;
  TriGroup** groups; /* every group ever made (empty ones are kept for reuse) */
  int ngroups;
  TriGroup** active; /* groups with slots, in creation order: what process launches */
  int nactive;
};

static void
clear_error(TriodeError* error)
{
  if (!error) return;
  error->status = TRIODE_SUCCESS;
  error->message[0] = '\0';
}

static TriodeStatus
fail(TriodeError* error, TriodeStatus st, const char* msg)
{
  if (error && error->message[0] == '\0') {
    error->status = st;
    snprintf(error->message, sizeof error->message, "%s", msg);
  }
  return st;
}

bool
triode_batch_backend_available(const char* backend)
{
  const TriBackend* be;
  void* ctx;
  if (tri_backend_open(backend, 1, &be, &ctx, NULL) != TRIODE_SUCCESS) return false;
  be->close(ctx);
  return true;
}

TriodeStatus
triode_batch_new(const char* backend, int max_block, TriodeBatch** batch, TriodeError* error)
{
  clear_error(error);
  if (!batch) return fail(error, TRIODE_ERR_BAD_ARG, "triode_batch_new: null argument");
  *batch = NULL;
  if (max_block < 1 || max_block > 65536)
    return fail(error, TRIODE_ERR_BAD_ARG, "triode_batch_new: max_block must be in [1, 65536]");
  TriodeBatch* b = calloc(1, sizeof *b);
  if (!b) return fail(error, TRIODE_ERR_NO_MEMORY, "out of memory");
  b->max_block = max_block;
  const TriodeStatus st = tri_backend_open(backend, max_block, &b->be, &b->ctx, error);
  if (st != TRIODE_SUCCESS) {
    free(b);
    return fail(error, st, triode_strerror(st));
  }
  *batch = b;
  return TRIODE_SUCCESS;
}

void
triode_batch_free(TriodeBatch* batch)
{
  if (!batch) return;
  for (int i = 0; i < batch->ngroups; ++i) {
    batch->be->group_release(batch->ctx, batch->groups[i]);
    tri_group_free(batch->groups[i]);
  }
  batch->be->close(batch->ctx);
  free(batch->groups);
  free(batch->active);
  free(batch->inst);
  free(batch);
}

const char*
triode_batch_backend(const TriodeBatch* batch)
{
  return batch->be->name;
}

int
triode_batch_max_block(const TriodeBatch* batch)
{
  return batch->max_block;
}

int
triode_batch_size(const TriodeBatch* batch)
{
  return batch->n;
}

int
triode_batch_group_count(const TriodeBatch* batch)
{
  return batch->nactive;
}

const TriodeModel*
triode_batch_model(const TriodeBatch* batch, int index)
{
  return batch && index >= 0 && index < batch->n ? batch->inst[index].model : NULL;
}

TriodeStatus
triode_batch_supports(const TriodeBatch* batch, const TriodeModel* model, TriodeError* error)
{
  clear_error(error);
  if (!batch || !model) return fail(error, TRIODE_ERR_BAD_ARG, "triode_batch_supports: null argument");
  TriImport im;
  const TriodeStatus st = tri_import(model, batch->max_block, &im, error);
  tri_import_free(&im);
  return st;
}

static void
refresh_active(TriodeBatch* b)
{
  b->nactive = 0;
  for (int i = 0; i < b->ngroups; ++i)
    if (b->groups[i]->nslots > 0) b->active[b->nactive++] = b->groups[i];
}

static TriodeStatus
find_group(TriodeBatch* b, const TriKProg* prog, TriGroup** out)
{
  for (int i = 0; i < b->ngroups; ++i)
    if (tri_group_matches(b->groups[i], prog)) {
      *out = b->groups[i];
      return TRIODE_SUCCESS;
    }
  TriGroup** groups = realloc(b->groups, (size_t)(b->ngroups + 1) * sizeof *groups);
  if (!groups) return TRIODE_ERR_NO_MEMORY;
  b->groups = groups;
  TriGroup** active = realloc(b->active, (size_t)(b->ngroups + 1) * sizeof *active);
  if (!active) return TRIODE_ERR_NO_MEMORY;
  b->active = active;
  TRI_GROUP_TRY(tri_group_new(prog, out));
  b->groups[b->ngroups++] = *out;
  return TRIODE_SUCCESS;
}

/* Host-side placement of instance `io`: its group, weight set and a new slot at the group's end. The backend is
   told by sync(). */
static TriodeStatus
place_slot(TriodeBatch* b, int io, const TriImport* im, const TriodeModel* model, TriGroup** group, int* slot)
{
  TriGroup* g;
  TRI_GROUP_TRY(find_group(b, im->prog, &g));
  int set;
  TRI_GROUP_TRY(tri_group_acquire_set(g, model, im->params, &set));
  const TriodeStatus st = tri_group_add_slot(g, io, set, slot);
  if (st != TRIODE_SUCCESS) {
    tri_group_release_set(g, set);
    return st;
  }
  *group = g;
  return TRIODE_SUCCESS;
}

static TriodeStatus
sync(TriodeBatch* b, TriGroup* g)
{
  TRI_GROUP_TRY(b->be->group_sync(b->ctx, g));
  tri_group_mark_synced(g);
  return TRIODE_SUCCESS;
}

/* The file's initial state (LSTM h0, c0; zero histories) in slots [slot0, slot0 + count). */
static TriodeStatus
fill_initial(TriodeBatch* b, TriGroup* g, int slot0, int count)
{
  for (int s = slot0; s < slot0 + count; ++s) {
    int n;
    const float* init = tri_group_initial_state(g, g->slot_set[s], &n);
    TRI_GROUP_TRY(b->be->slot_fill(b->ctx, g, s, init, n));
  }
  return TRIODE_SUCCESS;
}

/* Takes a slot out of its group; the group's last slot moves into the hole. */
static TriodeStatus
unplace(TriodeBatch* b, TriGroup* g, int slot)
{
  const int last = g->nslots - 1;
  if (slot != last) TRI_GROUP_TRY(b->be->slot_move(b->ctx, g, last, slot));
  const int moved = tri_group_remove_slot(g, slot);
  if (moved >= 0) b->inst[moved].slot = slot;
  return sync(b, g); /* the moved slot's maps */
}

/* Prewarm of `count` instances of one model in consecutive slots, one launch per block for all of them. */
static TriodeStatus
prewarm(TriodeBatch* b, int index, int count)
{
  const BatchInst* in = &b->inst[index];
  const long blocks = (in->prewarm + b->max_block - 1) / b->max_block;
  return blocks > 0 ? b->be->slot_prewarm(b->ctx, in->group, in->slot, count, blocks) : TRIODE_SUCCESS;
}

TriodeStatus
triode_batch_add_n(TriodeBatch* batch, const TriodeModel* model, int count, int* first, TriodeError* error)
{
  clear_error(error);
  if (!batch || !model || count < 1 || count > (1 << 24) - batch->n)
    return fail(error, TRIODE_ERR_BAD_ARG, "triode_batch_add: bad argument");
  if (batch->n + count > batch->cap) {
    int cap = batch->cap ? batch->cap : 16;
    while (cap < batch->n + count) cap *= 2;
    BatchInst* inst = realloc(batch->inst, (size_t)cap * sizeof *inst);
    if (!inst) return fail(error, TRIODE_ERR_NO_MEMORY, "out of memory");
    batch->inst = inst;
    batch->cap = cap;
  }
  TriImport im;
  TriodeStatus st = tri_import(model, batch->max_block, &im, error);
  if (st != TRIODE_SUCCESS) return fail(error, st, triode_strerror(st));
  const int io0 = batch->n;
  TriGroup* g = NULL;
  int slot0 = 0, placed = 0;
  for (; st == TRIODE_SUCCESS && placed < count; ++placed) {
    int slot;
    st = place_slot(batch, io0 + placed, &im, model, &g, &slot);
    if (st != TRIODE_SUCCESS) break;
    if (placed == 0) slot0 = slot;
    BatchInst* in = &batch->inst[io0 + placed];
    in->model = model;
    in->group = g;
    in->slot = slot; /* slots of one group are appended: [slot0, slot0 + count) */
    in->prewarm = im.prewarm;
    in->prewarm_default = im.prewarm_default;
  }
  if (st == TRIODE_SUCCESS) st = sync(batch, g);
  if (st == TRIODE_SUCCESS) st = fill_initial(batch, g, slot0, count);
  if (st != TRIODE_SUCCESS) {
    while (placed-- > 0 && g) tri_group_remove_slot(g, g->nslots - 1); /* the newest slots: nothing moves */
    tri_import_free(&im);
    return fail(error, st, triode_strerror(st));
  }
  batch->n += count;
  refresh_active(batch);
  if (im.prewarm_default) st = prewarm(batch, io0, count); /* on failure the instances stay, not prewarmed */
  tri_import_free(&im);
  if (st != TRIODE_SUCCESS) return fail(error, st, triode_strerror(st));
  if (first) *first = io0;
  return TRIODE_SUCCESS;
}

TriodeStatus
triode_batch_add(TriodeBatch* batch, const TriodeModel* model, int* index, TriodeError* error)
{
  return triode_batch_add_n(batch, model, 1, index, error);
}

TriodeStatus
triode_batch_set_model(TriodeBatch* batch, int index, const TriodeModel* model, TriodeError* error)
{
  clear_error(error);
  if (!batch || !model || index < 0 || index >= batch->n)
    return fail(error, TRIODE_ERR_BAD_ARG, "triode_batch_set_model: bad argument");
  TriImport im;
  TriodeStatus st = tri_import(model, batch->max_block, &im, error);
  if (st != TRIODE_SUCCESS) return fail(error, st, triode_strerror(st));
  BatchInst* in = &batch->inst[index];
  TriGroup* old_group = in->group;
  const int old_slot = in->slot;
  TriGroup* g;
  int slot;
  st = place_slot(batch, index, &im, model, &g, &slot);
  if (st == TRIODE_SUCCESS) {
    st = sync(batch, g);
    if (st == TRIODE_SUCCESS) st = fill_initial(batch, g, slot, 1);
    if (st != TRIODE_SUCCESS) tri_group_remove_slot(g, slot); /* the newest slot: nothing moves */
  }
  if (st == TRIODE_SUCCESS) {
    in->model = model;
    in->group = g;
    in->slot = slot;
    in->prewarm = im.prewarm;
    in->prewarm_default = im.prewarm_default;
    st = unplace(batch, old_group, old_slot); /* may move this very instance when both are in one group */
    refresh_active(batch);
    if (st == TRIODE_SUCCESS && in->prewarm_default) st = prewarm(batch, index, 1);
  }
  tri_import_free(&im);
  return st == TRIODE_SUCCESS ? st : fail(error, st, triode_strerror(st));
}

TriodeStatus
triode_batch_reset_instance(TriodeBatch* batch, int index, bool prewarm_it)
{
  if (!batch || index < 0 || index >= batch->n) return TRIODE_ERR_BAD_ARG;
  const BatchInst* in = &batch->inst[index];
  if (in->group->prog->clear_on_reset) TRI_GROUP_TRY(batch->be->slot_fill(batch->ctx, in->group, in->slot, NULL, 0));
  return prewarm_it ? prewarm(batch, index, 1) : TRIODE_SUCCESS;
}

TriodeStatus
triode_batch_restart_instance(TriodeBatch* batch, int index, bool prewarm_it)
{
  if (!batch || index < 0 || index >= batch->n) return TRIODE_ERR_BAD_ARG;
  const BatchInst* in = &batch->inst[index];
  int count;
  const float* init = tri_group_initial_state(in->group, in->group->slot_set[in->slot], &count);
  TRI_GROUP_TRY(batch->be->slot_fill(batch->ctx, in->group, in->slot, init, count));
  return prewarm_it ? prewarm(batch, index, 1) : TRIODE_SUCCESS;
}

void
triode_batch_set_deadline(TriodeBatch* batch, double seconds)
{
  if (batch) batch->deadline = seconds > 0.0 ? seconds : 0.0;
}

TriodeStatus
triode_batch_process(TriodeBatch* batch, const float* in, float* out, int frames)
{
  if (!batch || frames < 0 || frames > batch->max_block) return TRIODE_ERR_BAD_ARG;
  if (frames == 0 || batch->n == 0) return TRIODE_SUCCESS;
  if (!in || !out) return TRIODE_ERR_BAD_ARG;
  return batch->be->process(batch->ctx, batch->active, batch->nactive, in, out, batch->n, frames, batch->deadline);
}
