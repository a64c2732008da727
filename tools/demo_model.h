/*
 * The project's demo model, designed by hand rather than trained: a two-array WaveNet whose first array is a
 * two-stage tanh overdrive and whose second array is a cabinet-like FIR filter. See demo_model.c for the design.
 */
#ifndef TRIODE_TOOLS_DEMO_MODEL_H
#define TRIODE_TOOLS_DEMO_MODEL_H

#include <cjson/cJSON.h>

/* Builds the complete .nam JSON object (metadata without loudness). Returns NULL when out of memory. */
cJSON*
demo_model_build(void);

#endif /* TRIODE_TOOLS_DEMO_MODEL_H */
