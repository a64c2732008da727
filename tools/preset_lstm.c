/*
 * The LSTM presets (spec §3.3): per layer W (4H × (I + H), gate blocks i, f, g, o), the summed bias, then the
 * initial h and c; then the 1 × H head and its bias.
 *
 * Stability: recurrent weights have PyTorch's default scale (uniform ±1/sqrt(H)) and the forget gate a positive
 * bias (about 1, the usual initialisation), so the cell state decays instead of blowing up. The cell-candidate
 * bias is zero, which makes h = c = 0 an exact fixed point of silent input: the zeros stored as the initial state
 * are exactly the state the trainer would store (the state after 48000 zero samples) without simulating it, and
 * silence gives silence.
 */
#include "preset_build.h"

#include <math.h>

static const double kInputGain = 8.0;  /* layer 0 input column: drives a guitar DI into the gates' curves */
static const double kGateBias = 0.5;   /* spread of the input and output gate biases */
static const double kForgetBias = 1.0; /* centre of the forget gate biases */
static const double kHeadGain = 0.5;   /* before the level calibration of preset_level.c */

enum { GATES = 4, GATE_FORGET = 1, GATE_CELL = 2 };

static void
layer_weights(int input_size, int hidden, PresetRng* rng, WeightList* w)
{
  const double recurrent = 1.0 / sqrt((double)hidden);
  const double input = input_size == 1 ? kInputGain : weights_limit(1.0, input_size);
  for (int row = 0; row < GATES * hidden; row++) {
    weights_uniform(w, rng, input_size, input);
    weights_uniform(w, rng, hidden, recurrent);
  }
  for (int gate = 0; gate < GATES; gate++) {
    if (gate == GATE_CELL)
      weights_constant(w, hidden, 0.0f);
    else
      weights_uniform_around(w, rng, hidden, gate == GATE_FORGET ? kForgetBias : 0.0, kGateBias);
  }
  weights_constant(w, 2L * hidden, 0.0f); /* h0, c0 */
}

void
preset_build_lstm(const PresetSpec* preset, PresetRng* rng, cJSON* root, WeightList* w)
{
  const int hidden = preset->width, layers = preset->depth;
  cJSON_AddStringToObject(root, "architecture", "LSTM");
  cJSON* config = cJSON_AddObjectToObject(root, "config");
  cJSON_AddNumberToObject(config, "input_size", 1);
  cJSON_AddNumberToObject(config, "hidden_size", hidden);
  cJSON_AddNumberToObject(config, "num_layers", layers);
  for (int l = 0; l < layers; l++)
    layer_weights(l == 0 ? 1 : hidden, hidden, rng, w);
  w->output_first = w->count;
  weights_matrix(w, rng, 1, hidden, kHeadGain);
  weights_constant(w, 1, 0.0f);
  w->output_count = w->count - w->output_first;
}
