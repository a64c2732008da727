/*
 * The render path shared by `triode render` and `triode demo`: a file goes through one model instance per
 * channel (with resampling to and from the model's rate when needed) into a 32-bit float WAV.
 */
#ifndef TRIODE_TOOLS_RENDER_H
#define TRIODE_TOOLS_RENDER_H

#include "levels.h"

#include <stdbool.h>

/* Frames per read of the input file. The batch render reads as much, so its resamplers see the same chunks. */
enum { RENDER_CHUNK_FRAMES = 4096 };

typedef struct {
  long block;          /* frames per process call and the instance's max_block */
  bool fast_tanh;      /* TriodeLoadOptions */
  bool no_prewarm;
  bool film_snapshot;
  bool slim_given;     /* --slim value applies only when given */
  double slim;
  bool normalize;      /* output gain += -18 - loudness */
  double input_gain_db;
  double output_gain_db;
  bool calibrate_given; /* input gain += calibrate_dbu - input_level_dbu */
  double calibrate_dbu;
  bool raw_f32;        /* headerless float32 mono at the model rate in and out */
  bool mono;           /* average all channels into one */
  bool progress;       /* allow a progress bar (it still needs a terminal and a long file) */
  long threads;        /* channels processed in parallel, at most this many at a time (1: all on this thread) */
} RenderOptions;

typedef struct {
  int channels;          /* channels written */
  int file_rate;         /* rate of the input and output files */
  double model_rate;     /* rate the model ran at */
  long long frames;      /* frames written (= frames read) */
  Levels input;          /* input level, after the --mono downmix and before any gain */
  Levels output;         /* what was written */
  double process_seconds; /* time spent inside the model, summed over channels */
  char architecture[64];
  long num_params;
} RenderStats;

void
render_options_init(RenderOptions* options);

/* Renders `in_path` through the model into `out_path`. Returns a CLI exit code; on failure no output is left. */
int
render_file(const char* model_path, const char* in_path, const char* out_path, const RenderOptions* options,
            RenderStats* stats);

/* Averages `in_channels` interleaved channels into the first `frames` samples of `data` (--mono). */
void
render_downmix(float* data, long frames, int in_channels);

/* Whether two paths name one existing file: writing over the input while reading it would destroy it. */
bool
render_same_file(const char* a, const char* b);

/*
 * Warnings (no frames, NaN or infinite output) and the summary notes of one rendered file. A zero
 * process_seconds leaves out the model-time line (the batch render reports its time once for all files).
 */
void
render_report(const char* in_path, const char* out_path, const RenderStats* stats);

#endif /* TRIODE_TOOLS_RENDER_H */
