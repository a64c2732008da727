/*
 * Hand design of the demo WaveNet (legacy keys: kernel_size, head_size, head_bias, gated=false; every layer has an
 * active layer1x1, B = C, Dc = 1, no FiLM). Per layer (spec §3.4.5): a = tanh(conv(x) + bias + mixin·c),
 * next = x + L1·a + b1, and the array's head sums a over its layers.
 *
 * Array 0, the overdrive (3 channels: dry input, stage 1, stage 2):
 *   layer 0: s1 = tanh(kDrive·x + kBias) - tanh(kBias)   asymmetric clipping, so even harmonics too
 *   layer 1: s2 = tanh(kStage2·s1)                        a second, softer stage
 *   its head passes kEps·s2 on, and channel 2 (= s2) feeds array 1.
 * Array 1, the cabinet (2 channels), runs tanh in its linear region: a layer computes a = tanh(kEps·u) ≈ kEps·u
 * and writes a/kEps into the residual, so a layer whose conv computes kEps·(F(x) - x) replaces x by the FIR F(x).
 * The head sum telescopes (Σ a = kEps·(x_last - x_first)), and with array 0's kEps·s2 added it is exactly
 * kEps·(the cabinet output). Stages:
 *   channel 1 = 243-tap moving average of s2 (five 3-tap averages, dilations 1, 3, 9, 27, 81)
 *   channel 0 = s2 - channel 1: a low cut near 60 Hz with a small bump around 100-150 Hz, and no DC
 *   presence lift (+1.5 dB at 1.5-2 kHz), then [1/4, 1/2, 1/4] low-passes with zeros at 24, 12, 8 and 6 kHz:
 *   about -9 dB at 4 kHz and -25 dB or less above 5 kHz, like a guitar speaker.
 */
#include "nam_json.h"
#include "demo_model.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { MAX_CH = 3, K = 3, MAX_LAYERS = 11, MAX_WEIGHTS = 1024 };

static const float kDrive = 12.0f;  /* gain into the first clipping stage */
static const float kBias = 0.3f;    /* asymmetry of the first stage */
/* tanh(kBias), written out: tanhf results differ by an ulp between builds, and the file must not. */
static const float kBiasTanh = 0.291312612f;
static const float kStage2 = 1.5f;  /* gain into the second stage */
static const float kEps = 0.005f;   /* small-signal scale: tanh(0.005·u) deviates from linear by < 0.01% */
static const float kMaster = 0.5f;  /* head_scale: output level */

typedef struct {
  int dilation;
  float conv[MAX_CH][MAX_CH][K]; /* [out][in][tap]; tap K-1 is the current sample */
  float conv_bias[MAX_CH];
  float mixin[MAX_CH];
  float l1x1[MAX_CH][MAX_CH]; /* [out][in] */
  float l1x1_bias[MAX_CH];
} Layer;

typedef struct {
  int input_size, channels, head_size;
  bool head_bias;
  float rechannel[MAX_CH][MAX_CH]; /* [channel][input] */
  Layer layers[MAX_LAYERS];
  int num_layers;
  float head[MAX_CH][MAX_CH]; /* [head output][channel] */
  float head_bias_values[MAX_CH];
} LayerArray;

static Layer*
add_layer(LayerArray* a, int dilation)
{
  Layer* l = &a->layers[a->num_layers++];
  memset(l, 0, sizeof *l);
  l->dilation = dilation;
  return l;
}

static void
design_overdrive(LayerArray* a)
{
  memset(a, 0, sizeof *a);
  a->input_size = 1, a->channels = 3, a->head_size = 2, a->head_bias = false;
  a->rechannel[0][0] = 1.0f;
  Layer* l = add_layer(a, 1);
  l->conv[1][0][K - 1] = kDrive;
  l->conv_bias[1] = kBias;
  l->l1x1[1][1] = 1.0f;
  l->l1x1_bias[1] = -kBiasTanh; /* silence in, silence out */
  l = add_layer(a, 1);
  l->conv[2][1][K - 1] = kStage2;
  l->l1x1[2][2] = 1.0f;
  a->head[0][2] = kEps;
}

/* A layer that writes the FIR `taps` of channel `from` into the (zero) channel `to`. */
static void
fir_into(LayerArray* a, int dilation, int from, int to, const float taps[K])
{
  Layer* l = add_layer(a, dilation);
  for (int k = 0; k < K; k++)
    l->conv[to][from][k] = kEps * taps[k];
  l->l1x1[to][to] = 1.0f / kEps;
}

/* A layer that replaces channel `ch` by its FIR `taps`. */
static void
fir_in_place(LayerArray* a, int dilation, int ch, const float taps[K])
{
  float delta[K];
  for (int k = 0; k < K; k++)
    delta[k] = taps[k] - (k == K - 1 ? 1.0f : 0.0f);
  fir_into(a, dilation, ch, ch, delta);
}

static void
design_cabinet(LayerArray* a)
{
  static const float average[K] = {1.0f / 3, 1.0f / 3, 1.0f / 3};
  static const float minus[K] = {0.0f, 0.0f, -1.0f};
  static const float presence[K] = {-1.0f, 3.0f, -1.0f};
  static const float lowpass[K] = {0.25f, 0.5f, 0.25f};
  memset(a, 0, sizeof *a);
  a->input_size = 3, a->channels = 2, a->head_size = 1, a->head_bias = true;
  a->rechannel[0][2] = 1.0f;
  fir_into(a, 1, 0, 1, average);
  for (int d = 3; d <= 81; d *= 3)
    fir_in_place(a, d, 1, average);
  fir_into(a, 1, 1, 0, minus);
  fir_in_place(a, 4, 0, presence);
  for (int d = 1; d <= 4; d++)
    fir_in_place(a, d, 0, lowpass);
  a->head[0][0] = 1.0f / kEps;
}

typedef struct {
  float values[MAX_WEIGHTS];
  int count;
} Weights;

static void
push(Weights* w, float v)
{
  if (w->count < MAX_WEIGHTS)
    w->values[w->count] = v;
  w->count++;
}

/* Weight stream of one array in the order of spec §3.4.3 (the Conv1d (out, in, tap) layout). */
static void
push_array(Weights* w, const LayerArray* a)
{
  const int c = a->channels;
  for (int o = 0; o < c; o++)
    for (int i = 0; i < a->input_size; i++)
      push(w, a->rechannel[o][i]);
  for (int n = 0; n < a->num_layers; n++) {
    const Layer* l = &a->layers[n];
    for (int o = 0; o < c; o++)
      for (int i = 0; i < c; i++)
        for (int k = 0; k < K; k++)
          push(w, l->conv[o][i][k]);
    for (int o = 0; o < c; o++)
      push(w, l->conv_bias[o]);
    for (int o = 0; o < c; o++)
      push(w, l->mixin[o]);
    for (int o = 0; o < c; o++)
      for (int i = 0; i < c; i++)
        push(w, l->l1x1[o][i]);
    for (int o = 0; o < c; o++)
      push(w, l->l1x1_bias[o]);
  }
  for (int o = 0; o < a->head_size; o++)
    for (int i = 0; i < c; i++)
      push(w, a->head[o][i]);
  if (a->head_bias)
    for (int o = 0; o < a->head_size; o++)
      push(w, a->head_bias_values[o]);
}

/* The weight count of spec §3.4.4 computed independently of push_array, as a self-check. */
static int
expected_count(const LayerArray* arrays, int n)
{
  int total = 1; /* head_scale */
  for (int i = 0; i < n; i++) {
    const LayerArray* a = &arrays[i];
    int c = a->channels;
    total += a->input_size * c;
    total += a->num_layers * (c * c * K + c + c * 1 + c * c + c);
    total += a->head_size * c + (a->head_bias ? a->head_size : 0);
  }
  return total;
}

static cJSON*
array_config(const LayerArray* a)
{
  int dilations[MAX_LAYERS];
  for (int n = 0; n < a->num_layers; n++)
    dilations[n] = a->layers[n].dilation;
  return nam_json_legacy_array(a->input_size, a->channels, a->head_size, a->head_bias, K, dilations, a->num_layers);
}

static cJSON*
metadata(void)
{
  cJSON* m = cJSON_CreateObject();
  cJSON_AddStringToObject(m, "name", "triode demo overdrive");
  cJSON_AddStringToObject(m, "modeled_by", "triode gen-demo-model");
  cJSON_AddStringToObject(m, "gear_make", "triode");
  cJSON_AddStringToObject(m, "gear_model", "hand-designed overdrive and cabinet");
  cJSON_AddStringToObject(m, "gear_type", "amp_cab");
  cJSON_AddStringToObject(m, "tone_type", "overdrive");
  /* A typical interface: 0 dBFS = +12 dBu. Lets `render --calibrate` be tried on the demo model. */
  cJSON_AddNumberToObject(m, "input_level_dbu", 12.0);
  cJSON_AddNumberToObject(m, "output_level_dbu", 12.0);
  return m;
}

cJSON*
demo_model_build(void)
{
  static LayerArray arrays[2];
  static Weights w;
  design_overdrive(&arrays[0]);
  design_cabinet(&arrays[1]);
  w.count = 0;
  push_array(&w, &arrays[0]);
  push_array(&w, &arrays[1]);
  push(&w, kMaster);
  if (w.count != expected_count(arrays, 2) || w.count > MAX_WEIGHTS)
    return NULL;

  cJSON* root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "version", "0.5.4");
  cJSON_AddStringToObject(root, "architecture", "WaveNet");
  cJSON_AddNumberToObject(root, "sample_rate", 48000);
  cJSON_AddItemToObject(root, "metadata", metadata());
  cJSON* notes = cJSON_AddArrayToObject(root, "notes");
  cJSON_AddItemToArray(notes, cJSON_CreateString("Designed by hand, not trained: written by `triode gen-demo-model` "
                                                 "(tools/demo_model.c explains every weight)."));
  cJSON_AddItemToArray(notes, cJSON_CreateString("loudness: RMS in dB of the output for the `triode demo` DI "
                                                 "phrase (not the trainer's reference signal)."));
  cJSON* config = cJSON_AddObjectToObject(root, "config");
  cJSON* layers = cJSON_AddArrayToObject(config, "layers");
  for (int i = 0; i < 2; i++)
    cJSON_AddItemToArray(layers, array_config(&arrays[i]));
  cJSON_AddNullToObject(config, "head");
  cJSON_AddItemToObject(config, "head_scale", nam_json_float(kMaster));
  cJSON* weights = cJSON_AddArrayToObject(root, "weights");
  for (int i = 0; i < w.count; i++)
    cJSON_AddItemToArray(weights, nam_json_float(w.values[i]));
  return root;
}
