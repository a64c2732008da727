/* What `triode demo` prints: the model it used and how the render went. */
#ifndef TRIODE_TOOLS_DEMO_REPORT_H
#define TRIODE_TOOLS_DEMO_REPORT_H

#include "levels.h"
#include "render.h"

/* Name, architecture, size and (for a WaveNet) one line per layer array. */
void
demo_report_model(const char* model_path);
/* Input and output levels and the real-time factor. */
void
demo_report_levels(const char* di_path, const char* out_path, const Levels* di, const RenderStats* stats);

#endif /* TRIODE_TOOLS_DEMO_REPORT_H */
