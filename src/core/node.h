/* A loaded model node (one architecture, possibly holding nested nodes) and the operations every architecture
   provides. Nodes are immutable after loading; per-instance state lives in an opaque `void*` owned by the
   architecture. Blocks are planar: channel c of a block starts at base + c * ld. */
#ifndef TRIODE_CORE_NODE_H
#define TRIODE_CORE_NODE_H

#include "core/loadctx.h"
#include "cpu/isa.h"
#include "format/weights.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct TriNode TriNode;

typedef struct {
  const char* name;
  /* Parses `config` (and nested models) into node->impl; sets node->nin / node->nout. Allocates no weights. */
  TriodeStatus (*parse)(TriLoadCtx* ctx, const cJSON* config, const char* path, TriNode* node);
  /* Reads (or, when w->counting, counts) the node's own weight stream. */
  TriodeStatus (*read_weights)(TriNode* node, TriWeights* w);
  void (*destroy)(void* impl);

  /* Per-instance state. state_new allocates what does not depend on the block size, at the file's initial
     state; resize (re)allocates block buffers for up to max_block frames and keeps the streaming state where
     the reference keeps it. */
  TriodeStatus (*state_new)(const TriNode* node, void** state);
  void (*state_free)(const TriNode* node, void* state);
  TriodeStatus (*state_resize)(const TriNode* node, void* state, int max_block);
  /* Reset semantics of the reference (histories zeroed; LSTM and Linear keep theirs). */
  void (*state_clear)(const TriNode* node, void* state);
  /* Back to the state right after state_new (file's initial LSTM state, zero Linear history). */
  void (*state_restart)(const TriNode* node, void* state);
  size_t (*state_bytes)(const TriNode* node, const void* state);
  /* n <= max_block frames. in: nin rows of stride ldin; out: nout rows of stride ldout. Must not allocate. */
  void (*process)(const TriNode* node, void* state, const TriKernels* k, const float* in, int ldin, float* out,
                  int ldout, int n);

  /* Prewarm sample count, receptive field; `state` is nullable (NULL = full size / default selection). */
  long (*prewarm_samples)(const TriNode* node, const void* state);
  long (*receptive_field)(const TriNode* node);
  /* Multiply-adds per frame of the dense products (each conv, matrix and FIR weight once), at the state's size. */
  double (*macs)(const TriNode* node, const void* state);
  /* Adds the node's costly activation evaluations per frame (TriodeActivationCounts), at the state's size. */
  void (*activations)(const TriNode* node, const void* state, TriodeActivationCounts* counts);
  /* Optional (NULL: not slimmable). set_slim may allocate; it resets and prewarms what it switches to. */
  TriodeStatus (*set_slim)(const TriNode* node, void* state, const TriKernels* k, double value, int max_block,
                           bool prewarm);
  int (*slim_breakpoints)(const TriNode* node, double* points, int capacity);
  /* Adds architecture details to a describe object. */
  void (*describe)(const TriNode* node, cJSON* obj);
} TriArchOps;

struct TriNode {
  const TriArchOps* ops;
  void* impl;
  char version[32];
  double sample_rate; /* -1 when unknown */
  int nin, nout;
  long params; /* own weights + nested nodes */
  bool has_loudness, has_input_level, has_output_level;
  double loudness, input_level, output_level;
  int nmeta;
  char** meta_keys;
  char** meta_values;
};

/* Parses a complete model object (envelope + architecture) at `path`. */
TriodeStatus tri_node_parse(TriLoadCtx* ctx, const cJSON* obj, const char* path, TriNode** out);
void tri_node_free(TriNode* node);

/* Per-instance state of a node and its block size. */
typedef struct {
  const TriNode* node;
  void* impl;
} TriState;

TriodeStatus tri_state_new(const TriNode* node, TriState* st);
void tri_state_free(TriState* st);

/* Feeds ceil(P / max_block) * max_block zeros (P = prewarm count), discarding the output. Allocates its buffers
   (instantiation class). */
TriodeStatus tri_node_prewarm(const TriNode* node, void* state, const TriKernels* k, int max_block);

/* Architectures. */
extern const TriArchOps tri_arch_linear;
extern const TriArchOps tri_arch_convnet;
extern const TriArchOps tri_arch_lstm;
extern const TriArchOps tri_arch_wavenet;
extern const TriArchOps tri_arch_container;
extern const TriArchOps tri_arch_sequential;

#endif
