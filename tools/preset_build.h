/*
 * Internals shared by the preset builders (presets.c, preset_wavenet.c, preset_lstm.c): a portable random number
 * generator and the growing weight list.
 *
 * Weights are uniform, drawn from 24-bit integers and scaled with sqrt (correctly rounded everywhere), so that a
 * seed gives the same floats, hence the same file bytes, whatever the C library: no log, sin or exp is involved.
 */
#ifndef TRIODE_TOOLS_PRESET_BUILD_H
#define TRIODE_TOOLS_PRESET_BUILD_H

#include "presets.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  uint64_t state;
} PresetRng;

void
preset_rng_seed(PresetRng* rng, unsigned long seed);

typedef struct {
  float* values;
  long count, capacity;
  bool failed; /* an allocation failed; the list is unusable */
  /* The final linear map (last head and its bias): the model's output is proportional to these weights. */
  long output_first, output_count;
} WeightList;

/* Appends `n` weights uniform in [-limit, limit). */
void
weights_uniform(WeightList* w, PresetRng* rng, long n, double limit);
/* Appends `n` weights uniform in [centre - limit, centre + limit). */
void
weights_uniform_around(WeightList* w, PresetRng* rng, long n, double centre, double limit);
/*
 * Appends a rows × cols matrix of uniform weights scaled to a mean squared row norm of exactly gain²: like
 * variance gain²/cols, but without the seed-to-seed spread of level that small random matrices otherwise have.
 * Only products, sums and sqrt are involved, so the result is the same everywhere.
 */
void
weights_matrix(WeightList* w, PresetRng* rng, long rows, long cols, double gain);
/* Appends `n` copies of `value`. */
void
weights_constant(WeightList* w, long n, float value);
/* Limit of a uniform distribution with variance gain²/fan_in: keeps a layer's output level near its input's. */
double
weights_limit(double gain, long fan_in);

/*
 * Family builders: add "architecture" and "config" to `root`, append the weights in file order and set the
 * output range.
 */
void
preset_build_a1(const PresetSpec* preset, PresetRng* rng, cJSON* root, WeightList* w);
void
preset_build_a2(const PresetSpec* preset, PresetRng* rng, cJSON* root, WeightList* w);
void
preset_build_lstm(const PresetSpec* preset, PresetRng* rng, cJSON* root, WeightList* w);

#endif /* TRIODE_TOOLS_PRESET_BUILD_H */
