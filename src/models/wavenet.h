/* WaveNet model (spec §3.4, §3.5): plan structures shared by the parser, the runner and the slimmer. */
#ifndef TRIODE_MODELS_WAVENET_H
#define TRIODE_MODELS_WAVENET_H

#include "core/node.h"
#include "dsp/activation.h"
#include "dsp/conv.h"
#include "dsp/film.h"

typedef enum { TRI_GATE_NONE, TRI_GATE_GATED, TRI_GATE_BLENDED } TriGating;

/* Row budget of one fused conv + mixin product (the forward pass gathers its row pointers on the stack). */
enum { WN_FUSED_ROWS_MAX = 256 };

/* FiLM positions, in weight-stream order (§3.4.3). */
enum {
  WN_FILM_CONV_PRE,
  WN_FILM_CONV_POST,
  WN_FILM_MIXIN_PRE,
  WN_FILM_MIXIN_POST,
  WN_FILM_ACT_PRE,
  WN_FILM_ACT_POST,
  WN_FILM_L1X1_POST,
  WN_FILM_H1X1_POST,
  WN_FILM_COUNT
};
extern const char* const tri_wn_film_keys[WN_FILM_COUNT];

typedef struct {
  TriGating gating;
  TriAct act;   /* primary */
  TriAct act2;  /* secondary (gated / blended) */
  TriConv conv; /* C -> Z, dilated, bias */
  TriConv mixin; /* Dc -> Z, no bias */
  TriConv l1x1; /* B -> C (when the array's layer1x1 is active) */
  TriConv h1x1; /* B -> Hw (when head1x1 is active) */
  TriFilm film[WN_FILM_COUNT];
  bool l1x1_film_applies; /* resolved at load: fixed behaviour, or the snapshot's blended-only quirk */
  /* When no FiLM sits between them, conv and input mixin run as one product: [conv rows; mixin rows] x Z. */
  float* zwt; /* (k * C + Dc) x Z, owned; NULL when not fused */
  /* The whole layer runs as one fused kernel (TriWnFused) when its shape allows: activation code, or -1. */
  int fused_act;
  float fused_slope;
} WnLayer;

typedef struct {
  int in_size, dc, C, B, head_size, Hw, nlayers;
  bool l1x1, h1x1;
  int l1x1_groups, h1x1_groups, h1x1_out, groups_input, groups_mixin;
  int head_k, head_dil;
  bool head_bias;
  TriConv rechannel; /* in_size -> C, no bias */
  WnLayer* layers;
  TriConv head; /* Hw -> head_size */
  int* allowed; /* slimmable channel counts (NULL when not slimmable) */
  int nallowed;
} WnArray;

typedef struct {
  int in_channels, dc, narrays;
  WnArray* arrays;
  TriNode* cond; /* condition DSP, or NULL */
  bool owns_cond;
  /* post-stack head */
  int npost, post_channels;
  TriAct post_act;
  TriConv* post;
  float head_scale;
  bool slimmable;
} WaveNet;

/* Node operations implemented in wavenet_parse.c. */
TriodeStatus tri_wn_parse_node(TriLoadCtx* ctx, const cJSON* cfg, const char* path, TriNode* node);
TriodeStatus tri_wn_read_node(TriNode* node, TriWeights* w);

/* Builds the fused per-layer matrices (after the weights are read or sliced). */
TriodeStatus tri_wn_prepare(WaveNet* wn);

/* Frees a plan (also a partially built one). */
void tri_wn_free(WaveNet* wn);
/* Receptive field (look-back) of an array, and prewarm / receptive field of the model. */
long tri_wn_array_rf(const WnArray* a);
long tri_wn_prewarm(const WaveNet* wn);
long tri_wn_rf(const WaveNet* wn);
/* Costly activation evaluations per frame of the plan's own layers and post-stack head (not its condition DSP's). */
void tri_wn_activations(const WaveNet* wn, TriodeActivationCounts* counts);
/* Multiply-adds per frame of the plan's own convs and FiLM projections (not its condition DSP's). */
double tri_wn_macs(const WaveNet* wn);
/* Builds the slimmed plan for size `value` (NULL *out when that is the full size). */
TriodeStatus tri_wn_slim(const WaveNet* full, double value, WaveNet** out);
int tri_wn_breakpoints(const WaveNet* wn, double* points, int capacity);

#endif
