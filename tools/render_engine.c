/* Model loading, per-channel instances and gain staging for a render. */
#include "render_engine.h"

#include "cli.h"
#include "levels.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
render_engine_load(RenderEngine* e, const char* model_path, const RenderOptions* options)
{
  memset(e, 0, sizeof *e);
  TriodeLoadOptions load;
  triode_load_options_init(&load);
  load.fast_tanh = options->fast_tanh;
  load.no_prewarm = options->no_prewarm;
  load.film_snapshot = options->film_snapshot;
  TriodeError error;
  memset(&error, 0, sizeof error);
  TriodeStatus status = triode_model_load_file(model_path, &load, &e->model, &error);
  if (status != TRIODE_SUCCESS) {
    cli_error("cannot load model: %s", error.message[0] ? error.message : triode_strerror(status));
    return status == TRIODE_ERR_NO_MEMORY ? CLI_INTERNAL : CLI_BAD_MODEL;
  }
  const char* warning = triode_model_warning(e->model);
  if (warning)
    cli_warn("%s: %s", model_path, warning);
  int ins = triode_model_num_inputs(e->model), outs = triode_model_num_outputs(e->model);
  if (ins != 1 || outs != 1) {
    cli_error("%s: the model has %d input and %d output channels; rendering needs 1 and 1", model_path, ins, outs);
    return CLI_BAD_MODEL;
  }
  /* Like the NAM plugin, a model that does not state its rate is taken to be a 48 kHz model. */
  double rate = triode_model_sample_rate(e->model);
  e->model_rate = rate > 0.0 ? rate : 48000.0;
  return CLI_OK;
}

/* Metadata-driven gains (NAM plugin conventions, spec §1.5), each announced or warned about. */
void
render_engine_gains(const TriodeModel* model, const RenderOptions* options, float* input_gain, float* output_gain)
{
  double in_db = options->input_gain_db, out_db = options->output_gain_db, value;
  if (options->calibrate_given) {
    if (triode_model_input_level_dbu(model, &value)) {
      in_db += options->calibrate_dbu - value;
      cli_note("calibration: input %.1f dBu, model %.1f dBu -> input gain %+.2f dB", options->calibrate_dbu, value,
               options->calibrate_dbu - value);
    } else {
      cli_warn("--calibrate ignored: the model has no input_level_dbu");
    }
  }
  if (options->normalize) {
    if (triode_model_loudness(model, &value)) {
      out_db += -18.0 - value;
      cli_note("normalize: model loudness %.1f dB -> output gain %+.2f dB", value, -18.0 - value);
    } else {
      cli_warn("--normalize ignored: the model has no loudness");
    }
  }
  *input_gain = (float)levels_from_db(in_db);
  *output_gain = (float)levels_from_db(out_db);
}

static int
start_instance(RenderEngine* e, TriodeInstance** out, const RenderOptions* options, bool apply_slim)
{
  TriodeError error;
  memset(&error, 0, sizeof error);
  TriodeStatus status = triode_instance_new(e->model, out, &error);
  if (status != TRIODE_SUCCESS) {
    cli_error("cannot create a model instance: %s", error.message[0] ? error.message : triode_strerror(status));
    return status == TRIODE_ERR_NO_MEMORY ? CLI_INTERNAL : CLI_BAD_MODEL;
  }
  /* Slim first: it rebuilds the network, and the reset below then sizes it for our block. */
  if (apply_slim) {
    status = triode_instance_set_slim(*out, options->slim);
    if (status != TRIODE_SUCCESS) {
      cli_error("cannot set slim %g: %s", options->slim, triode_strerror(status));
      return CLI_BAD_MODEL;
    }
  }
  status = triode_instance_reset(*out, e->model_rate, (int)options->block);
  if (status != TRIODE_SUCCESS) {
    cli_error("cannot reset the model instance: %s", triode_strerror(status));
    return status == TRIODE_ERR_NO_MEMORY ? CLI_INTERNAL : CLI_BAD_MODEL;
  }
  return CLI_OK;
}

int
render_engine_start(RenderEngine* e, int channels, const RenderOptions* options)
{
  e->block = options->block;
  e->threads = (int)(options->threads < channels ? options->threads : channels);
  e->threads = e->threads > 0 ? e->threads : 1;
  e->instances = calloc((size_t)channels, sizeof *e->instances);
  e->scratch = malloc(sizeof(float) * (size_t)e->block * (size_t)channels);
  e->channel_seconds = calloc((size_t)channels, sizeof *e->channel_seconds);
  if (!e->instances || !e->scratch || !e->channel_seconds) {
    cli_error("out of memory");
    return CLI_INTERNAL;
  }
  e->channels = channels;
  bool slim = false;
  if (options->slim_given) {
    slim = triode_model_is_slimmable(e->model);
    if (!slim)
      cli_warn("--slim ignored: the model is not slimmable");
  }
  for (int c = 0; c < channels; c++) {
    int rc = start_instance(e, &e->instances[c], options, slim);
    if (rc != CLI_OK)
      return rc;
  }
  render_engine_gains(e->model, options, &e->input_gain, &e->output_gain);
  return CLI_OK;
}

static double
now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/*
 * One channel of an interleaved buffer, block by block through its scratch buffer. Touches only channel c's
 * samples, instance, scratch and timer, so different channels may run on different threads.
 */
static bool
process_channel(RenderEngine* e, int c, float* interleaved, long frames)
{
  const int stride = e->channels;
  float* scratch = e->scratch + (size_t)c * (size_t)e->block;
  for (long start = 0; start < frames; start += e->block) {
    long n = frames - start < e->block ? frames - start : e->block;
    float* x = interleaved + start * stride + c;
    for (long i = 0; i < n; i++)
      scratch[i] = x[i * stride] * e->input_gain;
    double t0 = now_seconds();
    TriodeStatus status = triode_instance_process_mono(e->instances[c], scratch, scratch, (size_t)n);
    e->channel_seconds[c] += now_seconds() - t0;
    if (status != TRIODE_SUCCESS) {
      cli_error("processing failed: %s", triode_strerror(status));
      return false;
    }
    for (long i = 0; i < n; i++)
      x[i * stride] = scratch[i] * e->output_gain;
  }
  return true;
}

/* Channels first, first + step, ... of one chunk: the share of one thread. */
typedef struct {
  RenderEngine* engine;
  float* interleaved;
  long frames;
  int first, step;
  bool ok;
} ChannelShare;

static void*
process_share(void* arg)
{
  ChannelShare* share = arg;
  share->ok = true;
  for (int c = share->first; c < share->engine->channels && share->ok; c += share->step)
    share->ok = process_channel(share->engine, c, share->interleaved, share->frames);
  return NULL;
}

enum { MAX_THREADS = 256 };

bool
render_engine_process(RenderEngine* e, float* interleaved, long frames)
{
  /* Threads live for one chunk only: a chunk is thousands of frames, so starting them costs next to nothing. */
  const int threads = e->threads < MAX_THREADS ? e->threads : MAX_THREADS;
  ChannelShare shares[MAX_THREADS];
  pthread_t ids[MAX_THREADS];
  bool started[MAX_THREADS];
  for (int t = 0; t < threads; t++) {
    shares[t] = (ChannelShare){e, interleaved, frames, t, threads, false};
    /* Share 0 runs here; a thread that cannot start runs here too, after the others are launched. */
    started[t] = t > 0 && pthread_create(&ids[t], NULL, process_share, &shares[t]) == 0;
  }
  bool ok = true;
  for (int t = 0; t < threads; t++) {
    if (!started[t])
      process_share(&shares[t]);
  }
  for (int t = 0; t < threads; t++) {
    if (started[t])
      pthread_join(ids[t], NULL);
    ok = ok && shares[t].ok;
  }
  e->process_seconds = 0.0;
  for (int c = 0; c < e->channels; c++)
    e->process_seconds += e->channel_seconds[c];
  return ok;
}

void
render_engine_free(RenderEngine* e)
{
  if (e->instances)
    for (int c = 0; c < e->channels; c++)
      triode_instance_free(e->instances[c]);
  free(e->instances);
  free(e->scratch);
  free(e->channel_seconds);
  triode_model_free(e->model);
  memset(e, 0, sizeof *e);
}
