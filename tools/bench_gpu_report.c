/* Output of `triode bench --gpu`: the conditions, one row per measurement and search probe, then the searches'
   answers; or one JSON array of records for scripts. */
#include "files.h"
#include "bench_gpu.h"

#include "bench_signal.h"

#include <cjson/cJSON.h>
#include <string.h>

static void
print_conditions(const BenchGpu* b, FILE* out)
{
  const BenchGpuOptions* o = &b->options;
  fprintf(out, "triode bench --gpu: %s backend; one batch of", b->backend_name);
  for (int m = 0; m < b->num_models; m++)
    fprintf(out, "%s %s", m == 0 ? "" : (m + 1 == b->num_models ? " and" : ","), b->names[m]);
  fprintf(out,
          " (N instances of each)\n"
          "%.3g s of plucked-string DI (%.0f dBFS peak) per instance at %.0f Hz after %d warm-up blocks; every\n"
          "block call timed host to host (triode_batch_process, copies included); %s tanh\n\n",
          o->seconds, BENCH_SIGNAL_PEAK_DBFS, b->sample_rate, BENCH_GPU_WARMUP_BLOCKS, o->fast_tanh ? "fast" : "exact");
}

static void
print_record(const BenchGpuRecord* r, FILE* out)
{
  const char* run = r->kind == BENCH_GPU_PROBE ? "search" : "measure";
  if (r->out_of_memory) {
    fprintf(out, "%-8s %9ld %9d %6s %6ld %10.1f   out of memory\n", run, r->per_model, r->instances, "-", r->block,
            r->budget_us);
    return;
  }
  char rtf[32];
  snprintf(rtf, sizeof rtf, r->rtf >= 1000.0 ? "%.0fx" : "%.1fx", r->rtf);
  fprintf(out, "%-8s %9ld %9d %6d %6ld %10.1f %10.1f %10.1f %10.1f %5s %10s %10.1f\n", run, r->per_model,
          r->instances, r->groups, r->block, r->budget_us, r->p50_us, r->p99_us, r->max_us, r->fits ? "yes" : "no",
          rtf, r->build_ms);
}

static void
print_search(const BenchGpu* b, const BenchGpuSearch* s, FILE* out)
{
  fprintf(out, "--find-max, block %ld (budget %.1f us at p99): ", s->block, 1e6 * (double)s->block / b->sample_rate);
  if (s->max_per_model == 0)
    fprintf(out, "not even 1 instance per model fits");
  else
    fprintf(out, "%ld instance%s per model (%ld in all)%s", s->max_per_model, s->max_per_model == 1 ? "" : "s",
            s->max_per_model * b->num_models, s->capped ? ", the most this bench tries" : "");
  fprintf(out, "; %d probe%s in %.1f s%s\n", s->probes, s->probes == 1 ? "" : "s", s->seconds,
          s->time_limit_hit ? ", stopped at the time limit (a lower bound)" : "");
}

void
bench_gpu_print_table(const BenchGpu* b, FILE* out)
{
  print_conditions(b, out);
  fprintf(out, "%-8s %9s %9s %6s %6s %10s %10s %10s %10s %5s %10s %10s\n", "run", "N/model", "instances", "groups",
          "block", "budget us", "p50 us", "p99 us", "max us", "fits", "agg RTF", "build ms");
  for (int i = 0; i < b->count; i++)
    print_record(&b->records[i], out);
  if (b->num_searches > 0)
    fputc('\n', out);
  for (int i = 0; i < b->num_searches; i++)
    print_search(b, &b->searches[i], out);
}

/* The fields every JSON record has: what ran, on what. */
static cJSON*
new_record(const BenchGpu* b, const char* kind, long block)
{
  cJSON* o = cJSON_CreateObject();
  cJSON* models = cJSON_AddArrayToObject(o, "models");
  for (int m = 0; models && m < b->num_models; m++)
    cJSON_AddItemToArray(models, cJSON_CreateString(b->names[m]));
  cJSON_AddStringToObject(o, "kind", kind);
  cJSON_AddStringToObject(o, "backend", b->backend_name);
  cJSON_AddNumberToObject(o, "block", (double)block);
  cJSON_AddNumberToObject(o, "sample_rate", b->sample_rate);
  cJSON_AddNumberToObject(o, "budget_us", 1e6 * (double)block / b->sample_rate);
  cJSON_AddBoolToObject(o, "fast_tanh", b->options.fast_tanh);
  return o;
}

static cJSON*
record_json(const BenchGpu* b, const BenchGpuRecord* r)
{
  cJSON* o = new_record(b, r->kind == BENCH_GPU_PROBE ? "search_probe" : "measure", r->block);
  cJSON_AddNumberToObject(o, "instances_per_model", (double)r->per_model);
  cJSON_AddNumberToObject(o, "instances", r->instances);
  cJSON_AddBoolToObject(o, "out_of_memory", r->out_of_memory);
  if (r->out_of_memory)
    return o;
  cJSON_AddNumberToObject(o, "groups", r->groups);
  cJSON_AddNumberToObject(o, "p50_us", r->p50_us);
  cJSON_AddNumberToObject(o, "p99_us", r->p99_us);
  cJSON_AddNumberToObject(o, "max_us", r->max_us);
  cJSON_AddNumberToObject(o, "mean_us", r->mean_us);
  cJSON_AddBoolToObject(o, "fits", r->fits);
  cJSON_AddNumberToObject(o, "rtf", r->rtf);
  cJSON_AddNumberToObject(o, "timed_blocks", (double)r->timed_blocks);
  cJSON_AddNumberToObject(o, "seconds", b->options.seconds);
  cJSON_AddNumberToObject(o, "build_ms", r->build_ms);
  return o;
}

static cJSON*
search_json(const BenchGpu* b, const BenchGpuSearch* s)
{
  cJSON* o = new_record(b, "find_max", s->block);
  cJSON_AddNumberToObject(o, "max_instances_per_model", (double)s->max_per_model);
  cJSON_AddNumberToObject(o, "max_instances", (double)(s->max_per_model * b->num_models));
  cJSON_AddNumberToObject(o, "probes", s->probes);
  cJSON_AddNumberToObject(o, "search_seconds", s->seconds);
  cJSON_AddBoolToObject(o, "time_limit_hit", s->time_limit_hit);
  cJSON_AddBoolToObject(o, "capped", s->capped);
  return o;
}

bool
bench_gpu_print_json(const BenchGpu* b, FILE* out)
{
  cJSON* array = cJSON_CreateArray();
  bool ok = array != NULL;
  for (int i = 0; ok && i < b->count + b->num_searches; i++) {
    cJSON* item = i < b->count ? record_json(b, &b->records[i]) : search_json(b, &b->searches[i - b->count]);
    ok = item && cJSON_AddItemToArray(array, item);
  }
  if (!ok) {
    cJSON_Delete(array);
    return false;
  }
  return files_print_json(array, out);
}
