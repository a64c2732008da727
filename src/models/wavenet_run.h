/* WaveNet per-instance run state (histories and block scratch for one plan at one block size) and the forward
   pass over it. */
#ifndef TRIODE_MODELS_WAVENET_RUN_H
#define TRIODE_MODELS_WAVENET_RUN_H

#include "models/wavenet.h"

typedef struct {
  int ld;
  TriHist* hist;      /* one per layer, all arrays in order */
  TriHist* head_hist; /* one per array */
  TriHist* post_hist; /* one per post-stack conv */
  TriState cond;
  /* Per layer, the fused kernel's constant part (C = 0 where the layer runs unfused); its history offsets in `off`. */
  TriWnFused* fused;
  long* off;
  float *c, *x[2], *z, *v, *cp, *r, *h, *S, *hout[2], *film, *post[2];
  size_t bytes;
} WnRun;

/* Allocates histories and scratch for blocks of up to max_block frames. */
TriodeStatus tri_wn_run_new(const WaveNet* wn, int max_block, WnRun** out);
void tri_wn_run_free(const WaveNet* wn, WnRun* r);
/* Zeroes the histories (restart also restores the condition DSP's initial state). */
void tri_wn_run_clear(const WaveNet* wn, WnRun* r, bool restart);
/* One block of n <= max_block frames (spec §3.4.5-3.4.7). Allocates nothing. */
void tri_wn_forward(const WaveNet* wn, WnRun* r, const TriKernels* k, const float* in, int ldin, float* out, int ldout,
                    int n);

#endif
