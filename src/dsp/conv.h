/* Dilated causal convolution (spec §2.1) and its input history; a pointwise conv is the K = 1 case. */
#ifndef TRIODE_DSP_CONV_H
#define TRIODE_DSP_CONV_H

#include "cpu/isa.h"
#include "format/weights.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct {
  int cin, cout, k, dil, groups;
  bool has_bias;
  float* w; /* dense, w[(tap * cout + o) * cin + i]; zeros outside the group blocks. Owned. */
  float* b; /* cout values, or NULL without bias. Owned. */
  float* wt; /* packed for the kernels: wt[(tap * cin + i) * cout + o]. Owned; built by tri_conv_pack. */
} TriConv;

/* Sets the shape (validated against the limits; `path` names the conv in messages). Allocates nothing. */
TriodeStatus tri_conv_init(TriConv* c, TriLoadCtx* ctx, const char* path, int cin, int cout, int k, int dil,
                           int groups, bool has_bias);

/* Reads the conv's weights from the stream (PyTorch order), allocating when not counting. */
TriodeStatus tri_conv_read(TriConv* c, TriWeights* w);

/* Allocates zeroed weights for a shape set by tri_conv_init (for tests and slimming). */
TriodeStatus tri_conv_alloc(TriConv* c);

/* Builds the packed weights the dispatched kernels read (done by read and slice; tests call it after editing w). */
TriodeStatus tri_conv_pack(TriConv* c);

/* Number of parameters the file holds for this conv. */
long tri_conv_params(const TriConv* c);
/* Multiply-adds per frame: every weight once (a grouped conv's zeros outside its blocks are not counted). */
double tri_conv_macs(const TriConv* c);

/* Look-back in samples: (k - 1) * dil. */
long tri_conv_lookback(const TriConv* c);

/* Copy of the first `cout` rows and first `cin` columns (slimming). Groups must be 1. */
TriodeStatus tri_conv_slice(TriConv* dst, const TriConv* src, int cin, int cout);

void tri_conv_free(TriConv* c);

/* History of a conv's input: a linear buffer per channel, the last `lookback` frames kept in front when it
   wraps, so every tap of a block reads a contiguous run. */
typedef struct {
  int ch;
  long lookback;
  long cap; /* frames per channel */
  long pos; /* index of the first frame of the current block */
  long cur; /* frames in the current block */
  float* data;
} TriHist;

/* Allocates a history for blocks up to max_block. */
TriodeStatus tri_hist_init(TriHist* h, int ch, long lookback, int max_block);
/* Re-sizes for a new max_block keeping the last `lookback` frames (the stream continues seamlessly). */
TriodeStatus tri_hist_resize(TriHist* h, int max_block);
void tri_hist_free(TriHist* h);
size_t tri_hist_bytes(const TriHist* h);
/* Zeroes the history (all frames before the next block read as 0). */
void tri_hist_clear(TriHist* h);
/* Moves the last `lookback` frames to the front (the rare slow part of tri_hist_advance). */
void tri_hist_wrap(TriHist* h);
/* Makes room for a new current block of n frames and returns its first channel's row (row stride h->cap); the
   caller writes the block in place. Inline: it runs once per layer per block, and almost never wraps. */
static inline float*
tri_hist_advance(TriHist* h, int n)
{
  h->pos += h->cur;
  if (h->pos + n > h->cap) tri_hist_wrap(h);
  h->cur = n;
  return h->data + h->pos;
}
/* Appends n frames (rows of src, stride ld); they become the current block. */
void tri_hist_push(TriHist* h, const float* src, int ld, int n);
/* Row c of the current block: element t is frame t of the block; negative offsets reach back. */
static inline const float* tri_hist_row(const TriHist* h, int c) { return h->data + (long)c * h->cap + h->pos; }

/* Kernel versions (the conv must be packed): out (= or +=) conv of the current block of h / of `in`. */
void tri_conv_run_hist(const TriKernels* k, const TriConv* c, const TriHist* h, float* out, int ld, int n,
                       bool accumulate);
void tri_conv1x1_run(const TriKernels* k, const TriConv* c, const float* in, int ldin, float* out, int ldout, int n,
                     bool accumulate);
/* out = add + conv(in): the residual form (add may alias out; in must not). */
void tri_conv1x1_run_add(const TriKernels* k, const TriConv* c, const float* in, int ldin, float* out, int ldout,
                         int n, const float* add, int ldadd);

/* Reference versions (plain C, unpacked weights), kept as the twins the kernels are tested against. */
/* out[o][t] = b[o] + sum over taps and inputs, reading the current block of h. out has row stride ld. */
void tri_conv_apply_hist(const TriConv* c, const TriHist* h, float* out, int ld, int n);

/* Pointwise: out (= or +=) W * in (+ b). `accumulate` adds into out instead of overwriting it. */
void tri_conv1x1_apply(const TriConv* c, const float* in, int ldin, float* out, int ldout, int n, bool accumulate);

#endif
