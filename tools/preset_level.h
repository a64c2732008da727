/*
 * Output level of the presets. Random weights leave a model's level to chance (±10 dB from seed to seed), so each
 * preset is measured through the library with the bench signal and its final linear map is scaled by a power of
 * two that brings the output RMS within 3 dB of PRESET_TARGET_RMS_DBFS. A power of two scales floats exactly,
 * and the measurement only chooses the exponent, so the file does not depend on the last bits the kernels
 * compute (unless a level falls within a hair of a rounding boundary).
 */
#ifndef TRIODE_TOOLS_PRESET_LEVEL_H
#define TRIODE_TOOLS_PRESET_LEVEL_H

#include "levels.h"

#include <stdbool.h>
#include <stddef.h>
#include <triode/triode.h>

#define PRESET_TARGET_RMS_DBFS (-20.0)

/* Runs the whole bench signal (7 s at 48 kHz) through a new instance of `model`. Returns false after a message. */
bool
preset_level_measure(const TriodeModel* model, Levels* levels);

/*
 * Loads the model JSON `text`, measures its output `levels` and sets *exponent so that scaling the output by
 * 2^exponent brings the RMS near the target. Returns false after a message when the model cannot run or its
 * output is silent or not finite.
 */
bool
preset_level_exponent(const char* text, const char* name, Levels* levels, int* exponent);

/* The levels of the same output scaled by 2^exponent (exact: a power of two scales every sample exactly). */
void
preset_level_scale(Levels* levels, int exponent);

#endif /* TRIODE_TOOLS_PRESET_LEVEL_H */
