/* The preset table, the shared random source and weight list, and the .nam envelope around a family's config. */
#include "nam_json.h"
#include "preset_build.h"

#include "cli.h"
#include "preset_level.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const PresetSpec kPresets[] = {
  {"a1-standard", PRESET_A1, 16, 1, 13802, "WaveNet A1 standard: 2 arrays of 10 Tanh layers, 16 and 8 channels"},
  {"a1-lite", PRESET_A1, 12, 0, 6554, "WaveNet A1 lite: 7 + 13 Tanh layers, 12 and 6 channels"},
  {"a1-feather", PRESET_A1, 8, 0, 3026, "WaveNet A1 feather: 7 + 13 Tanh layers, 8 and 4 channels"},
  {"a1-nano", PRESET_A1, 4, 0, 842, "WaveNet A1 nano: 7 + 13 Tanh layers, 4 and 2 channels"},
  {"a2-full", PRESET_A2, 8, 0, 12146, "WaveNet A2 full: 23 LeakyReLU layers, kernels 6/15, 8 channels"},
  {"a2-lite", PRESET_A2, 3, 0, 1871, "WaveNet A2 lite: 23 LeakyReLU layers, kernels 6/15, 3 channels"},
  {"lstm-1x16", PRESET_LSTM, 16, 1, 1201, "LSTM, 1 layer, hidden size 16 (the trainer's 'feather')"},
  {"lstm-2x24", PRESET_LSTM, 24, 2, 7321, "LSTM, 2 layers, hidden size 24"},
};
enum { NUM_PRESETS = sizeof kPresets / sizeof kPresets[0] };

int
presets_count(void)
{
  return NUM_PRESETS;
}

const PresetSpec*
presets_get(int index)
{
  return index >= 0 && index < NUM_PRESETS ? &kPresets[index] : NULL;
}

const PresetSpec*
presets_find(const char* name)
{
  for (int i = 0; i < NUM_PRESETS; i++)
    if (strcmp(kPresets[i].name, name) == 0)
      return &kPresets[i];
  return NULL;
}

/* SplitMix64: tiny, well mixed even for neighbouring seeds, and defined by integer arithmetic alone. */
static uint64_t
rng_next(PresetRng* rng)
{
  uint64_t z = (rng->state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

void
preset_rng_seed(PresetRng* rng, unsigned long seed)
{
  rng->state = (uint64_t)seed;
}

static void
weights_push(WeightList* w, float value)
{
  if (w->failed)
    return;
  if (w->count == w->capacity) {
    long capacity = w->capacity ? 2 * w->capacity : 1024;
    float* grown = realloc(w->values, sizeof(float) * (size_t)capacity);
    if (!grown) {
      w->failed = true;
      return;
    }
    w->values = grown;
    w->capacity = capacity;
  }
  w->values[w->count++] = value;
}

void
weights_uniform_around(WeightList* w, PresetRng* rng, long n, double centre, double limit)
{
  for (long i = 0; i < n; i++) {
    /* The top 24 bits, centred: exactly representable steps in (-1, 1), symmetric around 0. */
    double u = ((double)(rng_next(rng) >> 40) + 0.5) / 8388608.0 - 1.0;
    weights_push(w, (float)(centre + u * limit));
  }
}

void
weights_uniform(WeightList* w, PresetRng* rng, long n, double limit)
{
  weights_uniform_around(w, rng, n, 0.0, limit);
}

void
weights_matrix(WeightList* w, PresetRng* rng, long rows, long cols, double gain)
{
  long first = w->count;
  weights_uniform(w, rng, rows * cols, 1.0);
  if (w->failed)
    return;
  double sum = 0.0;
  for (long i = first; i < w->count; i++)
    sum += (double)w->values[i] * (double)w->values[i];
  double scale = sum > 0.0 ? gain * sqrt((double)rows / sum) : 0.0;
  for (long i = first; i < w->count; i++)
    w->values[i] = (float)((double)w->values[i] * scale);
}

void
weights_constant(WeightList* w, long n, float value)
{
  for (long i = 0; i < n; i++)
    weights_push(w, value);
}

double
weights_limit(double gain, long fan_in)
{
  /* A uniform variable on [-a, a] has variance a²/3. */
  return gain * sqrt(3.0 / (double)fan_in);
}

static cJSON*
metadata(const PresetSpec* preset, unsigned long seed)
{
  char name[96];
  snprintf(name, sizeof name, "triode preset %s seed %lu", preset->name, seed);
  cJSON* m = cJSON_CreateObject();
  cJSON_AddStringToObject(m, "name", name);
  cJSON_AddStringToObject(m, "modeled_by", "triode gen-model (random weights, not trained)");
  return m;
}

/* Replaces root's "weights" (and "sample_rate", kept after it like the trainer writes it) with `w`. */
static bool
attach_weights(cJSON* root, const WeightList* w)
{
  cJSON_DeleteItemFromObject(root, "weights");
  cJSON_DeleteItemFromObject(root, "sample_rate");
  cJSON* weights = cJSON_AddArrayToObject(root, "weights");
  bool ok = weights && !w->failed;
  for (long i = 0; ok && i < w->count; i++) {
    cJSON* item = nam_json_float(w->values[i]);
    ok = item && cJSON_AddItemToArray(weights, item);
  }
  return ok && cJSON_AddNumberToObject(root, "sample_rate", 48000);
}

/* Scales the output map by the power of two that preset_level_exponent asks for (exact in float). */
static bool
calibrate(const PresetSpec* preset, cJSON* root, WeightList* w, Levels* levels)
{
  char* text = cJSON_PrintUnformatted(root);
  if (!text) {
    cli_error("out of memory");
    return false;
  }
  int exponent = 0;
  bool ok = preset_level_exponent(text, preset->name, levels, &exponent);
  cJSON_free(text);
  if (!ok || exponent == 0)
    return ok;
  preset_level_scale(levels, exponent);
  for (long i = w->output_first; i < w->output_first + w->output_count; i++)
    w->values[i] = ldexpf(w->values[i], exponent);
  if (!attach_weights(root, w)) {
    cli_error("out of memory");
    return false;
  }
  return true;
}

cJSON*
presets_build(const PresetSpec* preset, unsigned long seed, Levels* levels)
{
  Levels ignored;
  PresetRng rng;
  preset_rng_seed(&rng, seed);
  WeightList w;
  memset(&w, 0, sizeof w);
  cJSON* root = cJSON_CreateObject();
  if (!root) {
    cli_error("out of memory");
    return NULL;
  }
  cJSON_AddStringToObject(root, "version", preset->family == PRESET_A2 ? "0.7.0" : "0.5.4");
  cJSON_AddItemToObject(root, "metadata", metadata(preset, seed));
  if (preset->family == PRESET_A1)
    preset_build_a1(preset, &rng, root, &w);
  else if (preset->family == PRESET_A2)
    preset_build_a2(preset, &rng, root, &w);
  else
    preset_build_lstm(preset, &rng, root, &w);
  bool ok = !w.failed && w.count == preset->num_weights;
  if (!ok && !w.failed)
    cli_error("internal error: preset %s has %ld weights, expected %ld", preset->name, w.count, preset->num_weights);
  if (ok && !attach_weights(root, &w)) {
    ok = false;
    w.failed = true;
  }
  if (w.failed)
    cli_error("out of memory");
  ok = ok && calibrate(preset, root, &w, levels ? levels : &ignored);
  free(w.values);
  if (!ok) {
    cJSON_Delete(root);
    return NULL;
  }
  return root;
}
