/* Groups: instances whose models have the same program (shape) run in one launch. A group holds the program, the
   distinct weight sets of its models (one per model: instances of one model share it) and its slots (one per
   instance, dense so a launch covers slots [0, nslots)). Slot state itself is the backend's business; the
   program says how big it is and what it holds. Pure C bookkeeping, unit-tested in test_batch. */
#ifndef TRIODE_GPU_GROUP_H
#define TRIODE_GPU_GROUP_H

#include "gpu/kernels/desc.h"
#include "triode/triode.h"

typedef struct {
  TriKProg* prog;        /* owned, prog->bytes bytes */
  float* params;         /* cap_sets x nparams: the host copy of every weight set */
  const void** set_key;  /* which model each set holds (NULL: free entry) */
  int* set_refs;         /* slots using each set */
  int nsets, cap_sets;   /* sets [0, nsets) are in use or free (set_key NULL) */
  unsigned char* set_dirty; /* weights copied in since the backend's last sync */
  int* slot_io;          /* slot -> instance index (its row of in / out) */
  int* slot_set;         /* slot -> weight set */
  int nslots, cap_slots;
  int dirty_lo, dirty_hi; /* slots whose maps changed since the last sync (none when lo >= hi) */
  void* backend;         /* the backend's copy (device buffers), owned by the backend */
} TriGroup;

/* A new empty group for `prog` (copied). */
TriodeStatus tri_group_new(const TriKProg* prog, TriGroup** out);

/* Frees the host side; the backend's copy must have been released first. Null is allowed. */
void tri_group_free(TriGroup* g);

/* Whether `prog` has this group's shape. */
bool tri_group_matches(const TriGroup* g, const TriKProg* prog);

/* The weight set holding model `key`, adding one (a free entry or a new one, copying `params`) when none does.
   Takes a reference. */
TriodeStatus tri_group_acquire_set(TriGroup* g, const void* key, const float* params, int* set);

/* Drops a reference; the entry becomes free at zero. */
void tri_group_release_set(TriGroup* g, int set);

/* Appends a slot for instance `io` using weight set `set`; *slot receives its index. Grows the capacity by
   doubling (the backend must then re-sync). */
TriodeStatus tri_group_add_slot(TriGroup* g, int io, int set, int* slot);

/* Removes `slot` keeping slots dense: the last slot takes its place. Returns the instance index of the slot that
   moved into `slot`, or -1 when `slot` was the last one. Releases the slot's weight set reference. */
int tri_group_remove_slot(TriGroup* g, int slot);

/* Forgets what changed: the backend's copy is up to date. */
void tri_group_mark_synced(TriGroup* g);

/* Weight set `set` (nparams floats). */
const float* tri_group_set_params(const TriGroup* g, int set);

/* Restart image of set `set`: the first `*count` floats of a slot's state (the rest is zero). */
const float* tri_group_initial_state(const TriGroup* g, int set, int* count);

#endif
