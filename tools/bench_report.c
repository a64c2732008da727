/* Formatting of the bench records. Load and prewarm times are per model and repeated on each of its rows. */
#include "files.h"
#include "bench_report.h"

#include "bench_signal.h"

#include <cjson/cJSON.h>
#include <string.h>

static void
print_conditions(const Bench* b, FILE* out)
{
  const BenchOptions* o = &b->options;
  fprintf(out,
          "triode bench: %.3g s of plucked-string DI (%.0f dBFS peak) per pass, median of %ld pass%s after a "
          "warm-up, one thread, %s tanh\n\n",
          o->seconds, BENCH_SIGNAL_PEAK_DBFS, o->runs, o->runs == 1 ? "" : "es", o->fast_tanh ? "fast" : "exact");
}

/* Seconds as nanoseconds, or "-" when unknown (0). */
static const char*
ns_text(double seconds, char* buf, size_t size)
{
  if (seconds > 0.0)
    snprintf(buf, size, "%.2f ns", 1e9 * seconds);
  else
    snprintf(buf, size, "-");
  return buf;
}

/* The rates the "peak" and "ceiling" columns are set against. */
static void
print_peaks(const Bench* b, FILE* out)
{
  if (b->num_peaks == 0)
    return;
  fputs("\nGMAC/s: multiply-adds of the model's convs and matrices per second; peak: that as a share of this core's\n"
        "register multiply-add rate at the level (independent multiply-adds, no memory traffic). ceiling: the RTF if\n"
        "every multiply-add ran at that rate and every tanh / sigmoid at its measured rate, one after the other (loads,\n"
        "stores and element-wise work left out), or for a recurrent model, if lower, one step's products at that rate\n"
        "then its activations' latencies: an estimate of the most this core allows at that level (the scalar level\n"
        "aside: the compiler vectorises some of its loops past its one-value rates). Measured here (per value: rate,\n"
        "then latency):\n",
        out);
  for (int i = 0; i < b->num_peaks; i++) {
    const BenchRates* p = &b->peaks[i];
    char t[32], s[32], f[32], tl[32], sl[32], fl[32];
    fprintf(out, "  %-7s %.1f GMAC/s; tanh %s / %s, sigmoid %s / %s, fast tanh %s / %s\n", p->isa, p->gmacs,
            ns_text(p->tanh, t, sizeof t), ns_text(p->tanh_latency, tl, sizeof tl), ns_text(p->sigmoid, s, sizeof s),
            ns_text(p->sigmoid_latency, sl, sizeof sl), ns_text(p->fast_tanh, f, sizeof f),
            ns_text(p->fast_tanh_latency, fl, sizeof fl));
  }
}

/* An RTF as the table prints it: no decimals from 1000x up. */
static const char*
rtf_text(double rtf, char* buf, size_t size)
{
  if (rtf <= 0.0)
    snprintf(buf, size, "-");
  else
    snprintf(buf, size, rtf >= 1000.0 ? "%.0fx" : "%.1fx", rtf);
  return buf;
}

void
bench_print_table(const Bench* b, FILE* out)
{
  int width = (int)strlen("model");
  for (int i = 0; i < b->count; i++) {
    int length = (int)strlen(b->records[i].model);
    width = length > width ? length : width;
  }
  print_conditions(b, out);
  fprintf(out, "%-*s  %-7s %6s %10s %10s %10s %8s %6s %11s %9s %11s\n", width, "model", "isa", "block", "RTF",
          "ceiling", "ns/sample", "GMAC/s", "peak", "memory KiB", "load ms", "prewarm ms");
  for (int i = 0; i < b->count; i++) {
    const BenchRecord* r = &b->records[i];
    if (r->skipped) {
      fprintf(out, "%-*s  %-7s %6s   skipped: not supported on this CPU\n", width, r->model, r->isa, "-");
      continue;
    }
    char rtf[32], ceiling[32];
    char peak[16] = "-";
    if (r->peak_gmacs > 0.0)
      snprintf(peak, sizeof peak, "%.0f%%", 100.0 * r->gmacs / r->peak_gmacs);
    fprintf(out, "%-*s  %-7s %6ld %10s %10s %10.1f %8.2f %6s %11.1f %9.2f %11.2f\n", width, r->model, r->isa, r->block,
            rtf_text(r->rtf, rtf, sizeof rtf), rtf_text(r->ceiling_rtf, ceiling, sizeof ceiling), r->ns_per_sample,
            r->gmacs, peak, (double)r->memory_bytes / 1024.0, r->load_ms, r->prewarm_ms);
  }
  print_peaks(b, out);
}

static cJSON*
record_json(const Bench* b, const BenchRecord* r)
{
  cJSON* o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "model", r->model);
  cJSON_AddStringToObject(o, "source", r->source);
  cJSON_AddStringToObject(o, "architecture", r->architecture);
  cJSON_AddNumberToObject(o, "parameters", (double)r->params);
  cJSON_AddNumberToObject(o, "sample_rate", r->sample_rate);
  if (r->slim >= 0.0)
    cJSON_AddNumberToObject(o, "slim", r->slim);
  else
    cJSON_AddNullToObject(o, "slim");
  cJSON_AddStringToObject(o, "isa", r->isa);
  cJSON_AddBoolToObject(o, "skipped", r->skipped);
  cJSON_AddNumberToObject(o, "load_ms", r->load_ms);
  cJSON_AddNumberToObject(o, "prewarm_ms", r->prewarm_ms);
  if (r->skipped)
    return o;
  cJSON_AddNumberToObject(o, "block", (double)r->block);
  cJSON_AddNumberToObject(o, "rtf", r->rtf);
  cJSON_AddNumberToObject(o, "ns_per_sample", r->ns_per_sample);
  cJSON_AddNumberToObject(o, "memory_bytes", (double)r->memory_bytes);
  cJSON_AddNumberToObject(o, "multiply_adds_per_sample", r->macs);
  cJSON_AddNumberToObject(o, "gmacs", r->gmacs);
  cJSON_AddNumberToObject(o, "fma_peak_gmacs", r->peak_gmacs);
  cJSON_AddNumberToObject(o, "tanh_per_sample", r->work.tanh);
  cJSON_AddNumberToObject(o, "sigmoid_per_sample", r->work.sigmoid);
  cJSON_AddNumberToObject(o, "fast_tanh_per_sample", r->work.fast_tanh);
  cJSON_AddNumberToObject(o, "step_multiply_adds", r->work.step_multiply_adds);
  if (r->ceiling_rtf > 0.0)
    cJSON_AddNumberToObject(o, "ceiling_rtf", r->ceiling_rtf);
  else
    cJSON_AddNullToObject(o, "ceiling_rtf");
  cJSON_AddNumberToObject(o, "seconds", b->options.seconds);
  cJSON_AddNumberToObject(o, "runs", (double)b->options.runs);
  cJSON_AddBoolToObject(o, "fast_tanh", b->options.fast_tanh);
  return o;
}

bool
bench_print_json(const Bench* b, FILE* out)
{
  cJSON* array = cJSON_CreateArray();
  bool ok = array != NULL;
  for (int i = 0; ok && i < b->count; i++) {
    cJSON* item = record_json(b, &b->records[i]);
    ok = item && cJSON_AddItemToArray(array, item);
  }
  if (!ok) {
    cJSON_Delete(array);
    return false;
  }
  return files_print_json(array, out);
}
