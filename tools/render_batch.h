/*
 * `triode render MODEL IN... --out-dir DIR`: several input files rendered into DIR/<name>.wav, several files at a
 * time. Each file goes through render_file() with its own model and instances, so a file's output is the same
 * whatever else runs beside it.
 */
#ifndef TRIODE_TOOLS_RENDER_BATCH_H
#define TRIODE_TOOLS_RENDER_BATCH_H

#include "render.h"

enum { RENDER_PATH_MAX = 4096 };

typedef struct {
  const char* in_path;
  char out_path[RENDER_PATH_MAX];
  int rc;            /* CLI exit code of this file */
  RenderStats stats;
} RenderJob;

/*
 * Fills each job's out_path: DIR/ + the input's file name with its extension replaced by .wav (.f32 with
 * raw_f32). Fails with CLI_USAGE after a message when a name is too long or two inputs would write one output.
 */
int
render_batch_plan(RenderJob* jobs, int count, const char* out_dir, bool raw_f32);

/*
 * Renders every job, `threads` at a time; when there are fewer files than threads, the rest go to each file's
 * channels. Creates DIR first. Per-file results are in the jobs; returns the first failing file's code, or CLI_OK.
 */
int
render_batch_run(const char* model_path, RenderJob* jobs, int count, const char* out_dir,
                 const RenderOptions* options, long threads);

#endif /* TRIODE_TOOLS_RENDER_BATCH_H */
