/*
 * Timing loop of `triode bench`. The instance is driven like a host drives it: one process call per block, the
 * input read from a long signal and the output written into a block-sized buffer. Each pass is timed as a whole
 * (one clock read before and after), so clock overhead does not depend on the block size.
 */
#include "bench.h"

#include "bench_load.h"
#include "bench_signal.h"
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_CHANNELS = 64, MAX_RUNS = 1000 };

void
bench_init(Bench* b, const BenchOptions* options, int num_models)
{
  memset(b, 0, sizeof *b);
  b->options = *options;
  b->steps_total = num_models * options->num_isas * options->num_blocks;
  b->show_progress = isatty(fileno(stderr));
}

void
bench_free(Bench* b)
{
  free(b->records);
  free(b->signal);
  memset(b, 0, sizeof *b);
}

/* "[step/total] model what" on one terminal line, redrawn in place. */
static void
show_progress(const Bench* b, const char* model, const char* what)
{
  if (!b->show_progress)
    return;
  fprintf(stderr, "\r\033[Ktriode: bench [%d/%d] %s %s", b->steps_done + 1, b->steps_total, model, what);
  fflush(stderr);
}

static void
end_progress(const Bench* b)
{
  if (b->show_progress) {
    fputs("\r\033[K", stderr);
    fflush(stderr);
  }
}

/* The bench signal at `rate`, made once and kept while the rate stays the same. */
static const float*
signal_at(Bench* b, int rate, long* frames)
{
  long n = (long)llround(b->options.seconds * rate);
  n = n > 0 ? n : 1;
  if (!b->signal || b->signal_rate != rate || b->signal_frames != n) {
    free(b->signal);
    b->signal = bench_signal_new(n, rate);
    b->signal_rate = rate;
    b->signal_frames = n;
  }
  *frames = n;
  return b->signal;
}

static BenchRecord*
add_record(Bench* b, const BenchRecord* base)
{
  if (b->count == b->capacity) {
    int capacity = b->capacity ? 2 * b->capacity : 32;
    BenchRecord* grown = realloc(b->records, sizeof *grown * (size_t)capacity);
    if (!grown)
      return NULL;
    b->records = grown;
    b->capacity = capacity;
  }
  b->records[b->count] = *base;
  return &b->records[b->count++];
}

/* Buffers of one model: every input channel reads the signal, every output channel has a block buffer. */
typedef struct {
  TriodeInstance* instance;
  int inputs, outputs;
  const float* in[MAX_CHANNELS];
  float* out[MAX_CHANNELS];
} Channels;

/* One pass over the signal in blocks; returns its wall-clock seconds, or a negative value on failure. */
static double
timed_pass(Channels* ch, const float* signal, long frames, long block)
{
  const bool mono = ch->inputs == 1 && ch->outputs == 1;
  double t0 = bench_now();
  for (long start = 0; start < frames; start += block) {
    size_t n = (size_t)(frames - start < block ? frames - start : block);
    TriodeStatus status;
    if (mono) {
      status = triode_instance_process_mono(ch->instance, signal + start, ch->out[0], n);
    } else {
      for (int c = 0; c < ch->inputs; c++)
        ch->in[c] = signal + start;
      status = triode_instance_process(ch->instance, ch->in, ch->out, n);
    }
    if (status != TRIODE_SUCCESS)
      return -1.0;
  }
  return bench_now() - t0;
}

static int
compare_doubles(const void* a, const void* b)
{
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

/* 1 / rate, or 0 for an unknown (0) rate. */
static double
seconds_per_value(double rate)
{
  return rate > 0.0 ? 1.0 / rate : 0.0;
}

/* This core's rates at `isa`, measured on first use (0.2 s of multiply-adds, 0.15 s for each activation) and kept
   for the run. NULL only if more levels are asked for than exist. */
static const BenchRates*
rates_of(Bench* b, const char* isa)
{
  for (int i = 0; i < b->num_peaks; i++)
    if (strcmp(b->peaks[i].isa, isa) == 0)
      return &b->peaks[i];
  if (b->num_peaks == BENCH_MAX_ISAS)
    return NULL;
  BenchRates* p = &b->peaks[b->num_peaks++];
  snprintf(p->isa, sizeof p->isa, "%s", isa);
  p->gmacs = triode_isa_fma_peak(isa, 0.2) / 1e9;
  p->tanh = seconds_per_value(triode_isa_activation_rate(isa, "Tanh", 0.1));
  p->sigmoid = seconds_per_value(triode_isa_activation_rate(isa, "Sigmoid", 0.1));
  p->fast_tanh = seconds_per_value(triode_isa_activation_rate(isa, "Fasttanh", 0.1));
  p->tanh_latency = triode_isa_activation_latency(isa, "Tanh", 0.05);
  p->sigmoid_latency = triode_isa_activation_latency(isa, "Sigmoid", 0.05);
  p->fast_tanh_latency = triode_isa_activation_latency(isa, "Fasttanh", 0.05);
  return p;
}

/* Seconds for `n` evaluations at `per` seconds each; false when n > 0 and `per` is unknown. */
static bool
add_time(double* seconds, double n, double per)
{
  if (n <= 0.0)
    return true;
  if (per <= 0.0)
    return false;
  *seconds += n * per;
  return true;
}

/* The ceiling of a record: the RTF if every multiply-add ran at the peak rate and every activation at its measured
   rate, one after the other (both run mostly on the same multiply-add units). Loads, stores and the element-wise
   work are left out, so a model runs below it; how far below says how much is left to gain. A recurrent model is
   also bounded by its step: the step's products at the peak rate, then its activations' latencies, one after the
   other (the cell's element-wise updates on that chain left out); the lower of the two bounds counts. 0 when a rate
   the model needs is unknown. */
static double
ceiling_rtf(const BenchRates* p, const BenchRecord* r)
{
  const TriodeActivationCounts* w = &r->work;
  if (!p || p->gmacs <= 0.0)
    return 0.0;
  double frame = r->macs / (p->gmacs * 1e9), step = w->step_multiply_adds / (p->gmacs * 1e9);
  bool known = add_time(&frame, w->tanh, p->tanh) && add_time(&frame, w->sigmoid, p->sigmoid) &&
               add_time(&frame, w->fast_tanh, p->fast_tanh) &&
               add_time(&step, w->step_tanh, p->tanh_latency) && add_time(&step, w->step_sigmoid, p->sigmoid_latency) &&
               add_time(&step, w->step_fast_tanh, p->fast_tanh_latency);
  const double seconds = step > frame ? step : frame;
  return known && seconds > 0.0 ? 1.0 / (seconds * r->sample_rate) : 0.0;
}

/* Resets for `block`, warms up, times the runs; fills the speed and memory fields. */
static int
measure(Bench* b, Channels* ch, double rate, long block, BenchRecord* r)
{
  if (triode_instance_reset(ch->instance, rate, (int)block) != TRIODE_SUCCESS) {
    cli_error("bench: cannot reset %s for blocks of %ld", r->model, block);
    return CLI_INTERNAL;
  }
  r->memory_bytes = triode_instance_memory(ch->instance);
  long frames = 0;
  const float* signal = signal_at(b, (int)lround(rate), &frames);
  bool allocated = signal != NULL;
  for (int c = 0; c < ch->outputs; c++)
    allocated = (ch->out[c] = malloc(sizeof(float) * (size_t)block)) != NULL && allocated;
  const long runs = b->options.runs < MAX_RUNS ? b->options.runs : MAX_RUNS;
  double times[MAX_RUNS];
  bool ok = allocated && timed_pass(ch, signal, frames, block) >= 0.0; /* the warm-up pass */
  for (long i = 0; i < runs && ok; i++)
    ok = (times[i] = timed_pass(ch, signal, frames, block)) >= 0.0;
  for (int c = 0; c < ch->outputs; c++) {
    free(ch->out[c]);
    ch->out[c] = NULL;
  }
  if (!allocated)
    cli_error("out of memory");
  else if (!ok)
    cli_error("bench: processing failed for %s (isa %s, block %ld)", r->model, r->isa, block);
  if (!ok)
    return CLI_INTERNAL;
  qsort(times, (size_t)runs, sizeof times[0], compare_doubles);
  double median = runs % 2 ? times[runs / 2] : 0.5 * (times[runs / 2 - 1] + times[runs / 2]);
  median = median > 1e-9 ? median : 1e-9; /* a clock too coarse for a tiny signal must not divide by zero */
  r->rtf = (double)frames / rate / median;
  r->ns_per_sample = 1e9 * median / (double)frames;
  r->macs = triode_instance_multiply_adds(ch->instance);
  r->gmacs = r->macs * (double)frames / median / 1e9;
  triode_instance_activation_counts(ch->instance, &r->work);
  r->ceiling_rtf = ceiling_rtf(rates_of(b, r->isa), r);
  return CLI_OK;
}

/* Every block size at one instruction-set level (NULL: the default one). */
static int
bench_isa(Bench* b, Channels* ch, const char* isa, const BenchRecord* model_record)
{
  BenchRecord record = *model_record;
  BenchRecord* base = &record;
  TriodeStatus status = triode_instance_set_isa(ch->instance, isa);
  if (status != TRIODE_SUCCESS && status != TRIODE_FAILURE) {
    cli_error("bench: cannot select instruction set '%s': %s", isa, triode_strerror(status));
    return CLI_INTERNAL;
  }
  snprintf(base->isa, sizeof base->isa, "%s", status == TRIODE_SUCCESS ? triode_instance_isa(ch->instance) : isa);
  if (status == TRIODE_FAILURE) {
    base->skipped = true;
    b->steps_done += b->options.num_blocks;
    return add_record(b, base) ? CLI_OK : CLI_INTERNAL;
  }
  for (int k = 0; k < b->options.num_blocks; k++) {
    BenchRecord r = *base;
    r.block = b->options.blocks[k];
    char what[64];
    snprintf(what, sizeof what, "%s, block %ld", r.isa, r.block);
    show_progress(b, r.model, what);
    const BenchRates* rates = rates_of(b, r.isa); /* before the timed passes: 0.65 s of full-load work */
    r.peak_gmacs = rates ? rates->gmacs : 0.0;
    int rc = measure(b, ch, r.sample_rate, r.block, &r);
    b->steps_done++;
    if (rc != CLI_OK)
      return rc;
    if (!add_record(b, &r))
      return CLI_INTERNAL;
  }
  return CLI_OK;
}

static int
bench_instance(Bench* b, const TriodeModel* model, BenchRecord* base)
{
  Channels ch;
  memset(&ch, 0, sizeof ch);
  ch.inputs = triode_model_num_inputs(model);
  ch.outputs = triode_model_num_outputs(model);
  if (ch.inputs < 1 || ch.inputs > MAX_CHANNELS || ch.outputs < 1 || ch.outputs > MAX_CHANNELS) {
    cli_error("bench: %s has %d inputs and %d outputs; at most %d are supported", base->source, ch.inputs,
              ch.outputs, MAX_CHANNELS);
    return CLI_BAD_MODEL;
  }
  TriodeError error;
  memset(&error, 0, sizeof error);
  double t0 = bench_now();
  TriodeStatus status = triode_instance_new(model, &ch.instance, &error);
  base->prewarm_ms = 1e3 * (bench_now() - t0);
  if (status != TRIODE_SUCCESS) {
    cli_error("bench: cannot create an instance of %s: %s", base->source,
              error.message[0] ? error.message : triode_strerror(status));
    return CLI_BAD_MODEL;
  }
  if (b->options.slim_given) {
    if (!triode_model_is_slimmable(model)) {
      cli_warn("bench: %s is not slimmable; --slim does not apply to it (measured at its only size)", base->source);
    } else if ((status = triode_instance_set_slim(ch.instance, b->options.slim)) != TRIODE_SUCCESS) {
      cli_error("bench: cannot set %s to slim %g: %s", base->source, b->options.slim, triode_strerror(status));
      triode_instance_free(ch.instance);
      return CLI_BAD_MODEL;
    } else {
      base->slim = b->options.slim;
      const size_t used = strlen(base->model);
      snprintf(base->model + used, sizeof base->model - used, ":slim=%g", b->options.slim);
    }
  }
  int rc = CLI_OK;
  for (int i = 0; i < b->options.num_isas && rc == CLI_OK; i++)
    rc = bench_isa(b, &ch, b->options.isas[i], base);
  triode_instance_free(ch.instance);
  return rc;
}

int
bench_model(Bench* b, const char* source)
{
  BenchRecord base;
  memset(&base, 0, sizeof base);
  snprintf(base.source, sizeof base.source, "%s", source);
  base.slim = -1.0;
  bench_short_name(source, base.model, sizeof base.model);
  TriodeModel* model = NULL;
  show_progress(b, base.model, "loading");
  int rc = bench_load(source, b->options.fast_tanh, (int)(b->options.runs < 9 ? b->options.runs : 9), &model, &base.load_ms);
  if (rc == CLI_OK) {
    snprintf(base.architecture, sizeof base.architecture, "%s", triode_model_architecture(model));
    base.params = triode_model_num_params(model);
    double rate = triode_model_sample_rate(model);
    base.sample_rate = rate > 0.0 ? rate : 48000.0;
    rc = bench_instance(b, model, &base);
  } else {
    b->steps_done += b->options.num_isas * b->options.num_blocks;
  }
  end_progress(b);
  triode_model_free(model);
  return rc;
}
