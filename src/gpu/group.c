/* Group bookkeeping (see group.h). */
#include "gpu/group.h"

#include <stdlib.h>
#include <string.h>

TriodeStatus
tri_group_new(const TriKProg* prog, TriGroup** out)
{
  *out = NULL;
  TriGroup* g = calloc(1, sizeof *g);
  if (!g) return TRIODE_ERR_NO_MEMORY;
  g->prog = malloc((size_t)prog->bytes);
  if (!g->prog) {
    free(g);
    return TRIODE_ERR_NO_MEMORY;
  }
  memcpy(g->prog, prog, (size_t)prog->bytes);
  *out = g;
  return TRIODE_SUCCESS;
}

void
tri_group_free(TriGroup* g)
{
  if (!g) return;
  free(g->prog);
  free(g->params);
  free(g->set_key);
  free(g->set_refs);
  free(g->set_dirty);
  free(g->slot_io);
  free(g->slot_set);
  free(g);
}

bool
tri_group_matches(const TriGroup* g, const TriKProg* prog)
{
  return g->prog->bytes == prog->bytes && memcmp(g->prog, prog, (size_t)prog->bytes) == 0;
}

static TriodeStatus
grow_sets(TriGroup* g)
{
  const int cap = g->cap_sets ? 2 * g->cap_sets : 1;
  const size_t np = (size_t)(g->prog->nparams > 0 ? g->prog->nparams : 1);
  float* params = realloc(g->params, (size_t)cap * np * sizeof *params);
  if (!params) return TRIODE_ERR_NO_MEMORY;
  g->params = params;
  const void** keys = realloc((void*)g->set_key, (size_t)cap * sizeof *keys);
  if (!keys) return TRIODE_ERR_NO_MEMORY;
  g->set_key = keys;
  int* refs = realloc(g->set_refs, (size_t)cap * sizeof *refs);
  if (!refs) return TRIODE_ERR_NO_MEMORY;
  g->set_refs = refs;
  unsigned char* dirty = realloc(g->set_dirty, (size_t)cap);
  if (!dirty) return TRIODE_ERR_NO_MEMORY;
  g->set_dirty = dirty;
  g->cap_sets = cap;
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_group_acquire_set(TriGroup* g, const void* key, const float* params, int* set)
{
  int free_entry = -1;
  for (int s = 0; s < g->nsets; ++s) {
    if (g->set_key[s] == key) {
      g->set_refs[s]++;
      *set = s;
      return TRIODE_SUCCESS;
    }
    if (!g->set_key[s] && free_entry < 0) free_entry = s;
  }
  int s = free_entry;
  if (s < 0) {
    if (g->nsets == g->cap_sets) {
      const TriodeStatus st = grow_sets(g);
      if (st != TRIODE_SUCCESS) return st;
    }
    s = g->nsets++;
  }
  memcpy(g->params + (size_t)s * (size_t)g->prog->nparams, params, (size_t)g->prog->nparams * sizeof *params);
  g->set_key[s] = key;
  g->set_refs[s] = 1;
  g->set_dirty[s] = 1;
  *set = s;
  return TRIODE_SUCCESS;
}

void
tri_group_release_set(TriGroup* g, int set)
{
  if (set < 0 || set >= g->nsets || g->set_refs[set] <= 0) return;
  if (--g->set_refs[set] == 0) g->set_key[set] = NULL;
}

static void
mark_slot(TriGroup* g, int slot)
{
  if (g->dirty_lo >= g->dirty_hi) {
    g->dirty_lo = slot;
    g->dirty_hi = slot + 1;
    return;
  }
  if (slot < g->dirty_lo) g->dirty_lo = slot;
  if (slot + 1 > g->dirty_hi) g->dirty_hi = slot + 1;
}

void
tri_group_mark_synced(TriGroup* g)
{
  if (g->set_dirty) memset(g->set_dirty, 0, (size_t)g->cap_sets);
  g->dirty_lo = g->dirty_hi = 0;
}

TriodeStatus
tri_group_add_slot(TriGroup* g, int io, int set, int* slot)
{
  if (g->nslots == g->cap_slots) {
    const int cap = g->cap_slots ? 2 * g->cap_slots : 4;
    int* a = realloc(g->slot_io, (size_t)cap * sizeof *a);
    if (!a) return TRIODE_ERR_NO_MEMORY;
    g->slot_io = a;
    int* b = realloc(g->slot_set, (size_t)cap * sizeof *b);
    if (!b) return TRIODE_ERR_NO_MEMORY;
    g->slot_set = b;
    g->cap_slots = cap;
  }
  *slot = g->nslots++;
  g->slot_io[*slot] = io;
  g->slot_set[*slot] = set;
  mark_slot(g, *slot);
  return TRIODE_SUCCESS;
}

int
tri_group_remove_slot(TriGroup* g, int slot)
{
  tri_group_release_set(g, g->slot_set[slot]);
  const int last = --g->nslots;
  if (slot == last) return -1;
  g->slot_io[slot] = g->slot_io[last];
  g->slot_set[slot] = g->slot_set[last];
  mark_slot(g, slot);
  return g->slot_io[slot];
}

const float*
tri_group_set_params(const TriGroup* g, int set)
{
  return g->params + (size_t)set * (size_t)g->prog->nparams;
}

const float*
tri_group_initial_state(const TriGroup* g, int set, int* count)
{
  *count = g->prog->init_floats;
  return tri_group_set_params(g, set) + g->prog->init_off;
}
