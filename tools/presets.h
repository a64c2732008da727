/*
 * Seeded random-weight models of the common trainer presets (spec §3.4.11): the A1 WaveNets, the two A2 sizes and
 * two LSTMs. Used by `triode gen-model` to write them and by `triode bench` to load them from memory. They have
 * the exact shapes and weight counts of real captures, so they cost what real captures cost, but they are not
 * trained: they only sound like some untuned distortion.
 */
#ifndef TRIODE_TOOLS_PRESETS_H
#define TRIODE_TOOLS_PRESETS_H

#include "levels.h"

#include <cjson/cJSON.h>

typedef enum {
  PRESET_A1,   /* two-array Tanh WaveNet, legacy keys, file version 0.5.4 */
  PRESET_A2,   /* one-array LeakyReLU WaveNet with per-layer kernels, current keys, file version 0.7.0 */
  PRESET_LSTM, /* file version 0.5.4 */
} PresetFamily;

typedef struct {
  const char* name;        /* "a1-standard", ... */
  PresetFamily family;
  int width;               /* A1: array 0 channels; A2: channels (= bottleneck); LSTM: hidden size */
  int depth;               /* A1: 1 for the standard dilations, 0 for the lite ones; LSTM: layers; A2: unused */
  long num_weights;        /* what the library must count (spec §3.4.11, §3.3) */
  const char* description; /* one line for the help */
} PresetSpec;

int
presets_count(void);
const PresetSpec*
presets_get(int index);
/* The preset called `name`, or NULL. */
const PresetSpec*
presets_find(const char* name);

/*
 * Builds the complete .nam JSON object of `preset` with weights drawn from `seed`: the same seed gives the same
 * file on every machine. `levels` (nullable) receives the output level of the model for the bench signal.
 * Returns NULL after a message when out of memory, when the weight count does not match num_weights or when the
 * library cannot run the model.
 */
cJSON*
presets_build(const PresetSpec* preset, unsigned long seed, Levels* levels);

#endif /* TRIODE_TOOLS_PRESETS_H */
