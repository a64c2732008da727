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

/* Puts instance `io` of an imported model into its group at the model's initial state (not prewarmed). */
static TriodeStatus
place(TriodeBatch* b, int io, const TriImport* im, const TriodeModel* model, TriGroup** group, int* slot)
{
  TriGroup* g;
  TRI_GROUP_TRY(find_group(b, im->prog, &g));
  int set;
  TRI_GROUP_TRY(tri_group_acquire_set(g, model, im->params, &set));
  TriodeStatus st = tri_group_add_slot(g, io, set, slot);
  if (st != TRIODE_SUCCESS) {
    tri_group_release_set(g, set);
    return st;
  }
  st = b->be->group_sync(b->ctx, g);
  if (st == TRIODE_SUCCESS) {
    int count;
    const float* init = tri_group_initial_state(g, set, &count);
    st = b->be->slot_fill(b->ctx, g, *slot, init, count);
  }
  if (st != TRIODE_SUCCESS) {
    tri_group_remove_slot(g, *slot); /* the last slot: nothing moves */
    return st;
  }
  *group = g;
  return TRIODE_SUCCESS;
}

/* Takes a slot out of its group; the group's last slot moves into the hole. */
static void
unplace(TriodeBatch* b, TriGroup* g, int slot)
{
  const int last = g->nslots - 1;
  if (slot != last) b->be->slot_move(b->ctx, g, last, slot);
  const int moved = tri_group_remove_slot(g, slot);
  if (moved >= 0) b->inst[moved].slot = slot;
}

static TriodeStatus
prewarm(TriodeBatch* b, int index)
{
  const BatchInst* in = &b->inst[index];
  const long blocks = (in->prewarm + b->max_block - 1) / b->max_block;
  return blocks > 0 ? b->be->slot_prewarm(b->ctx, in->group, in->slot, blocks) : TRIODE_SUCCESS;
}

TriodeStatus
triode_batch_add(TriodeBatch* batch, const TriodeModel* model, int* index, TriodeError* error)
{
  clear_error(error);
  if (!batch || !model) return fail(error, TRIODE_ERR_BAD_ARG, "triode_batch_add: null argument");
  if (batch->n == batch->cap) {
    const int cap = batch->cap ? 2 * batch->cap : 16;
    BatchInst* inst = realloc(batch->inst, (size_t)cap * sizeof *inst);
    if (!inst) return fail(error, TRIODE_ERR_NO_MEMORY, "out of memory");
    batch->inst = inst;
    batch->cap = cap;
  }
  TriImport im;
  TriodeStatus st = tri_import(model, batch->max_block, &im, error);
  if (st != TRIODE_SUCCESS) return fail(error, st, triode_strerror(st));
  const int io = batch->n;
  BatchInst* in = &batch->inst[io];
  memset(in, 0, sizeof *in);
  st = place(batch, io, &im, model, &in->group, &in->slot);
  if (st == TRIODE_SUCCESS) {
    in->model = model;
    in->prewarm = im.prewarm;
    in->prewarm_default = im.prewarm_default;
    batch->n++;
    refresh_active(batch);
    if (in->prewarm_default) st = prewarm(batch, io);
  }
  tri_import_free(&im);
  if (st != TRIODE_SUCCESS) return fail(error, st, triode_strerror(st));
  if (index) *index = io;
  return TRIODE_SUCCESS;
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
  st = place(batch, index, &im, model, &g, &slot);
  if (st == TRIODE_SUCCESS) {
    in->model = model;
    in->group = g;
    in->slot = slot;
    in->prewarm = im.prewarm;
    in->prewarm_default = im.prewarm_default;
    unplace(batch, old_group, old_slot); /* may move this very instance when both are in one group */
    refresh_active(batch);
    if (in->prewarm_default) st = prewarm(batch, index);
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
  return prewarm_it ? prewarm(batch, index) : TRIODE_SUCCESS;
}

TriodeStatus
triode_batch_restart_instance(TriodeBatch* batch, int index, bool prewarm_it)
{
  if (!batch || index < 0 || index >= batch->n) return TRIODE_ERR_BAD_ARG;
  const BatchInst* in = &batch->inst[index];
  int count;
  const float* init = tri_group_initial_state(in->group, in->group->slot_set[in->slot], &count);
  TRI_GROUP_TRY(batch->be->slot_fill(batch->ctx, in->group, in->slot, init, count));
  return prewarm_it ? prewarm(batch, index) : TRIODE_SUCCESS;
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
