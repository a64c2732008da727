/*
 * The WaveNet presets: A1 (spec §3.4.11 table, written with the legacy keys of the trainer's 0.5 files) and A2
 * (one array, per-layer kernel sizes, written with the current keys of the shared A2.nam).
 *
 * Weight scales. Each matrix has the level of a uniform variance gain²/fan_in (weights_matrix), so a layer keeps
 * the level it is given. The input gain drives a guitar DI (peaks near -12 dBFS) into the nonlinear region of the
 * first layers, as an amp's gain does; the final level is then set by preset_level.c. Biases are zero, as in a
 * freshly initialised network: silence in gives exact silence out.
 */
#include "nam_json.h"
#include "preset_build.h"

enum { A1_KERNEL = 3, A2_LAYERS = 23, A2_HEAD_KERNEL = 16 };

static const double kInputGain = 6.0;    /* array 0 rechannel and input mixin: drive into the nonlinearity */
static const double kConvGain = 1.0;     /* dilated convs */
static const double kResidualGain = 0.5; /* layer1x1: each layer adds a fraction to the residual stream */
static const double kHeadGain = 1.0;     /* head rechannels */
static const double kA1HeadScale = 0.02; /* the trainer's A1 value (spec §3.4.11) */
static const double kA2HeadScale = 0.01; /* the value of the shared A2.nam */

/* Trainer A1 layouts: the standard preset repeats [1..512]; the smaller ones split 20 layers 7 + 13. */
static const int kStandardDilations[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
static const int kLiteDilations0[] = {1, 2, 4, 8, 16, 32, 64};
static const int kLiteDilations1[] = {128, 256, 512, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
static const int kA2Dilations[A2_LAYERS] = {1, 3, 7, 17, 41, 101, 239, 1, 3, 7, 17, 41, 101, 239,
                                             1, 13, 1, 3, 7, 17, 41, 101, 239};
static const int kA2Kernels[A2_LAYERS] = {6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 15, 15, 6, 6, 6, 6, 6, 6, 6};

typedef struct {
  int input_size, channels, head_size;
  bool head_bias;
  const int* dilations;
  int num_layers;
} A1Array;

static cJSON*
a1_array_config(const A1Array* a)
{
  return nam_json_legacy_array(a->input_size, a->channels, a->head_size, a->head_bias, A1_KERNEL, a->dilations,
                               a->num_layers);
}

/* One non-gated layer with an active layer1x1 (spec §3.4.3): conv + bias, input mixin, layer1x1 + bias. */
static void
push_layer(WeightList* w, PresetRng* rng, int channels, int kernel, bool first_array)
{
  const long c = channels;
  weights_matrix(w, rng, c, c * kernel, kConvGain);
  weights_constant(w, c, 0.0f);
  weights_matrix(w, rng, c, 1, first_array ? kInputGain : 1.0);
  weights_matrix(w, rng, c, c, kResidualGain);
  weights_constant(w, c, 0.0f);
}

static void
a1_array_weights(const A1Array* a, bool first, PresetRng* rng, WeightList* w)
{
  const long c = a->channels;
  weights_matrix(w, rng, c, a->input_size, first ? kInputGain : 1.0);
  for (int l = 0; l < a->num_layers; l++)
    push_layer(w, rng, a->channels, A1_KERNEL, first);
  w->output_first = w->count; /* the last array's head is the output map */
  weights_matrix(w, rng, a->head_size, c, kHeadGain);
  if (a->head_bias)
    weights_constant(w, a->head_size, 0.0f);
  w->output_count = w->count - w->output_first;
}

void
preset_build_a1(const PresetSpec* preset, PresetRng* rng, cJSON* root, WeightList* w)
{
  const int c0 = preset->width, c1 = preset->width / 2;
  const bool standard = preset->depth == 1;
  const A1Array arrays[2] = {
    {1, c0, c1, false, standard ? kStandardDilations : kLiteDilations0, standard ? 10 : 7},
    {c0, c1, 1, true, standard ? kStandardDilations : kLiteDilations1, standard ? 10 : 13},
  };
  cJSON_AddStringToObject(root, "architecture", "WaveNet");
  cJSON* config = cJSON_AddObjectToObject(root, "config");
  cJSON* layers = cJSON_AddArrayToObject(config, "layers");
  for (int i = 0; i < 2; i++) {
    cJSON_AddItemToArray(layers, a1_array_config(&arrays[i]));
    a1_array_weights(&arrays[i], i == 0, rng, w);
  }
  cJSON_AddNullToObject(config, "head");
  cJSON_AddNumberToObject(config, "head_scale", kA1HeadScale);
  weights_constant(w, 1, (float)kA1HeadScale);
}

/* The per-layer FiLM switches of the current format, all off, spelled like the trainer writes them. */
static void
add_inactive_films(cJSON* o)
{
  static const char* const kFilms[] = {"conv_pre_film",        "conv_post_film",       "input_mixin_pre_film",
                                       "input_mixin_post_film", "activation_pre_film", "activation_post_film",
                                       "layer1x1_post_film",    "head1x1_post_film"};
  for (size_t i = 0; i < sizeof kFilms / sizeof kFilms[0]; i++) {
    cJSON* film = cJSON_AddObjectToObject(o, kFilms[i]);
    cJSON_AddBoolToObject(film, "active", false);
    cJSON_AddBoolToObject(film, "shift", true);
    cJSON_AddNumberToObject(film, "groups", 1);
  }
}

static cJSON*
a2_array_config(int channels)
{
  cJSON* o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "input_size", 1);
  cJSON_AddNumberToObject(o, "condition_size", 1);
  cJSON* head = cJSON_AddObjectToObject(o, "head");
  cJSON_AddNumberToObject(head, "out_channels", 1);
  cJSON_AddNumberToObject(head, "kernel_size", A2_HEAD_KERNEL);
  cJSON_AddBoolToObject(head, "bias", true);
  cJSON_AddNumberToObject(o, "channels", channels);
  nam_json_add_ints(o, "kernel_sizes", kA2Kernels, A2_LAYERS);
  nam_json_add_ints(o, "dilations", kA2Dilations, A2_LAYERS);
  cJSON* activations = cJSON_AddArrayToObject(o, "activation");
  cJSON* gating = cJSON_AddArrayToObject(o, "gating_mode");
  cJSON* secondary = cJSON_AddArrayToObject(o, "secondary_activation");
  for (int l = 0; l < A2_LAYERS; l++) {
    cJSON* act = cJSON_CreateObject();
    cJSON_AddStringToObject(act, "type", "LeakyReLU");
    cJSON_AddNumberToObject(act, "negative_slope", 0.01);
    cJSON_AddItemToArray(activations, act);
    cJSON_AddItemToArray(gating, cJSON_CreateString("none"));
    cJSON_AddItemToArray(secondary, cJSON_CreateNull());
  }
  cJSON_AddNumberToObject(o, "bottleneck", channels);
  cJSON* head1x1 = cJSON_AddObjectToObject(o, "head1x1");
  cJSON_AddBoolToObject(head1x1, "active", false);
  cJSON_AddNumberToObject(head1x1, "out_channels", 1);
  cJSON_AddNumberToObject(head1x1, "groups", 1);
  cJSON* layer1x1 = cJSON_AddObjectToObject(o, "layer1x1");
  cJSON_AddBoolToObject(layer1x1, "active", true);
  cJSON_AddNumberToObject(layer1x1, "groups", 1);
  cJSON_AddNumberToObject(o, "groups_input", 1);
  cJSON_AddNumberToObject(o, "groups_input_mixin", 1);
  add_inactive_films(o);
  cJSON_AddNullToObject(o, "slimmable");
  return o;
}

void
preset_build_a2(const PresetSpec* preset, PresetRng* rng, cJSON* root, WeightList* w)
{
  const long c = preset->width;
  cJSON_AddStringToObject(root, "architecture", "WaveNet");
  cJSON* config = cJSON_AddObjectToObject(root, "config");
  cJSON* layers = cJSON_AddArrayToObject(config, "layers");
  cJSON_AddItemToArray(layers, a2_array_config(preset->width));
  cJSON_AddNullToObject(config, "head");
  cJSON_AddNumberToObject(config, "head_scale", kA2HeadScale);

  weights_matrix(w, rng, c, 1, kInputGain);
  for (int l = 0; l < A2_LAYERS; l++)
    push_layer(w, rng, preset->width, kA2Kernels[l], true);
  /* The head conv (B -> 1, kernel 16) and its bias: the output map. */
  w->output_first = w->count;
  weights_matrix(w, rng, 1, c * A2_HEAD_KERNEL, kHeadGain);
  weights_constant(w, 1, 0.0f);
  w->output_count = w->count - w->output_first;
  weights_constant(w, 1, (float)kA2HeadScale);
}
