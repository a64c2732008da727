/* A pool of worker threads taking the next file from a shared counter until none is left. */
#include "render_batch.h"

#include "cli.h"
#include "files.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

int
render_batch_plan(RenderJob* jobs, int count, const char* out_dir, bool raw_f32)
{
  for (int i = 0; i < count; i++) {
    const char* base = strrchr(jobs[i].in_path, '/');
    base = base ? base + 1 : jobs[i].in_path;
    const char* dot = strrchr(base, '.');
    int stem = (int)(dot && dot != base ? (size_t)(dot - base) : strlen(base));
    int n = snprintf(jobs[i].out_path, sizeof jobs[i].out_path, "%s/%.*s%s", out_dir, stem, base,
                     raw_f32 ? ".f32" : ".wav");
    if (n < 0 || (size_t)n >= sizeof jobs[i].out_path || stem == 0) {
      cli_error("render: no output name for '%s' in '%s'", jobs[i].in_path, out_dir);
      return CLI_USAGE;
    }
    for (int j = 0; j < i; j++)
      if (strcmp(jobs[i].out_path, jobs[j].out_path) == 0) {
        cli_error("render: '%s' and '%s' would both be written to '%s'", jobs[j].in_path, jobs[i].in_path,
                  jobs[i].out_path);
        return CLI_USAGE;
      }
  }
  return CLI_OK;
}

typedef struct {
  const char* model_path;
  RenderJob* jobs;
  int count;
  int next; /* the next job to take, under `lock` */
  pthread_mutex_t lock;
  RenderOptions options;
} Batch;

static void*
worker(void* arg)
{
  Batch* batch = arg;
  for (;;) {
    pthread_mutex_lock(&batch->lock);
    int i = batch->next < batch->count ? batch->next++ : -1;
    pthread_mutex_unlock(&batch->lock);
    if (i < 0)
      return NULL;
    RenderJob* job = &batch->jobs[i];
    job->rc = render_file(batch->model_path, job->in_path, job->out_path, &batch->options, &job->stats);
  }
}

enum { MAX_WORKERS = 256 };

int
render_batch_run(const char* model_path, RenderJob* jobs, int count, const char* out_dir,
                 const RenderOptions* options, long threads)
{
  int rc = files_make_dirs(out_dir);
  if (rc != CLI_OK)
    return rc;
  Batch batch = {model_path, jobs, count, 0, PTHREAD_MUTEX_INITIALIZER, *options};
  long workers = threads < count ? threads : count;
  workers = workers < MAX_WORKERS ? workers : MAX_WORKERS;
  workers = workers > 0 ? workers : 1;
  batch.options.threads = threads / workers > 0 ? threads / workers : 1;
  /* Several progress bars on one terminal line would garble each other. */
  batch.options.progress = batch.options.progress && workers == 1;
  pthread_t ids[MAX_WORKERS];
  long started = 0;
  for (long t = 1; t < workers; t++)
    if (pthread_create(&ids[started], NULL, worker, &batch) == 0)
      started++;
  worker(&batch); /* this thread works too, so the batch completes even if no thread could start */
  for (long t = 0; t < started; t++)
    pthread_join(ids[t], NULL);
  pthread_mutex_destroy(&batch.lock);
  for (int i = 0; i < count; i++)
    if (jobs[i].rc != CLI_OK)
      return jobs[i].rc;
  return CLI_OK;
}
