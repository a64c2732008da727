/* Model loading and queries. */
#include "core/model_impl.h"
#include "format/json_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TRI_MAX_FILE_BYTES (512L * 1024 * 1024)

static TriodeStatus
report(TriodeError* error, TriodeStatus st, const char* name, const char* fmt, const char* detail)
{
  if (error) {
    error->status = st;
    snprintf(error->message, sizeof error->message, "%s: ", name);
    size_t used = strlen(error->message);
    snprintf(error->message + used, sizeof error->message - used, fmt, detail);
  }
  return st;
}

/* Line and column of a byte offset, for JSON syntax errors. */
static void
locate(const char* text, size_t offset, long* line, long* col)
{
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < offset && text[i]; ++i) {
    if (text[i] == '\n') {
      ++*line;
      *col = 1;
    } else {
      ++*col;
    }
  }
}

/* Deepest bracket nesting of JSON text (strings skipped), to explain a parse refused for depth. */
static long
json_depth(const char* text)
{
  long depth = 0, max = 0;
  bool in_str = false;
  for (const char* p = text; *p; ++p) {
    if (in_str) {
      if (*p == '\\' && p[1]) ++p;
      else if (*p == '"') in_str = false;
    } else if (*p == '"') {
      in_str = true;
    } else if (*p == '[' || *p == '{') {
      if (++depth > max) max = depth;
    } else if (*p == ']' || *p == '}') {
      --depth;
    }
  }
  return max;
}

TriodeStatus
triode_model_load_string(const char* json, size_t length, const char* name, const TriodeLoadOptions* options,
                         TriodeModel** model, TriodeError* error)
{
  if (error) {
    error->status = TRIODE_SUCCESS;
    error->message[0] = '\0';
  }
  if (!model) return report(error, TRIODE_ERR_BAD_ARG, name ? name : "model", "%s", "no output pointer given");
  *model = NULL;
  if (!name) name = "<string>";
  if (!json) return report(error, TRIODE_ERR_BAD_ARG, name, "%s", "no JSON text given");
  if (length == 0) return report(error, TRIODE_ERR_IO, name, "%s", "the file is empty");
  /* cJSON wants a terminated string; the copy also bounds the parse to `length` bytes. */
  char* text = malloc(length + 1);
  if (!text) return report(error, TRIODE_ERR_NO_MEMORY, name, "%s", "out of memory");
  memcpy(text, json, length);
  text[length] = '\0';
  if (strlen(text) != length) {
    free(text);
    return report(error, TRIODE_ERR_BAD_JSON, name, "%s", "not JSON text: the file contains NUL bytes");
  }
  const char* end = NULL;
  cJSON* root = cJSON_ParseWithOpts(text, &end, 1);
  if (!root) {
    size_t off = end && end >= text ? (size_t)(end - text) : 0;
    long line, col;
    locate(text, off, &line, &col);
    char where[128];
    snprintf(where, sizeof where, "line %ld, column %ld", line, col);
    if (json_depth(text) > CJSON_NESTING_LIMIT) {
      free(text);
      return report(error, TRIODE_ERR_LIMIT, name, "JSON nested deeper than %s levels", "1000");
    }
    free(text);
    return report(error, TRIODE_ERR_BAD_JSON, name,
                  off >= length ? "invalid JSON: unexpected end of file (truncated?) at %s"
                                : "invalid JSON: syntax error at %s",
                  where);
  }
  TriodeLoadOptions opts;
  triode_load_options_init(&opts);
  if (options) opts = *options;
  TriodeModel* m = calloc(1, sizeof *m);
  if (!m) {
    cJSON_Delete(root);
    free(text);
    return report(error, TRIODE_ERR_NO_MEMORY, name, "%s", "out of memory");
  }
  m->opts = opts;
  TriLoadCtx ctx = {.file = name, .opts = &m->opts, .err = error};
  TriodeStatus st;
  if (!cJSON_IsObject(root))
    st = tri_fail(&ctx, TRIODE_ERR_BAD_JSON, "", "the top level must be a JSON object, found %s", tri_json_type(root));
  else
    st = tri_node_parse(&ctx, root, "", &m->root);
  cJSON_Delete(root);
  free(text);
  if (st != TRIODE_SUCCESS) {
    triode_model_free(m);
    return st;
  }
  memcpy(m->warning, ctx.warning, sizeof m->warning);
  *model = m;
  return TRIODE_SUCCESS;
}

TriodeStatus
triode_model_load_file(const char* path, const TriodeLoadOptions* options, TriodeModel** model, TriodeError* error)
{
  if (error) {
    error->status = TRIODE_SUCCESS;
    error->message[0] = '\0';
  }
  if (!model || !path) return report(error, TRIODE_ERR_BAD_ARG, path ? path : "model", "%s", "null argument");
  *model = NULL;
  struct stat sb;
  if (stat(path, &sb) != 0) return report(error, TRIODE_ERR_IO, path, "cannot open: %s", strerror(errno));
  if (S_ISDIR(sb.st_mode)) return report(error, TRIODE_ERR_IO, path, "%s", "is a directory, not a model file");
  if (!S_ISREG(sb.st_mode)) return report(error, TRIODE_ERR_IO, path, "%s", "is not a regular file");
  if (sb.st_size == 0) return report(error, TRIODE_ERR_IO, path, "%s", "the file is empty");
  if (sb.st_size > TRI_MAX_FILE_BYTES)
    return report(error, TRIODE_ERR_LIMIT, path, "%s", "the file is larger than 512 MB");
  FILE* f = fopen(path, "rb");
  if (!f) return report(error, TRIODE_ERR_IO, path, "cannot open: %s", strerror(errno));
  size_t size = (size_t)sb.st_size;
  char* buf = malloc(size);
  if (!buf) {
    fclose(f);
    return report(error, TRIODE_ERR_NO_MEMORY, path, "%s", "out of memory");
  }
  size_t got = fread(buf, 1, size, f);
  int read_err = ferror(f);
  fclose(f);
  if (read_err || got == 0) {
    free(buf);
    return report(error, TRIODE_ERR_IO, path, "%s", "read error");
  }
  TriodeStatus st = triode_model_load_string(buf, got, path, options, model, error);
  free(buf);
  return st;
}

void
triode_model_free(TriodeModel* model)
{
  if (!model) return;
  tri_node_free(model->root);
  free(model);
}

void
triode_free(void* ptr)
{
  free(ptr);
}

const char*
triode_model_architecture(const TriodeModel* model)
{
  return model->root->ops->name;
}

const char*
triode_model_version(const TriodeModel* model)
{
  return model->root->version;
}

const char*
triode_model_warning(const TriodeModel* model)
{
  return model->warning[0] ? model->warning : NULL;
}

double
triode_model_sample_rate(const TriodeModel* model)
{
  return model->root->sample_rate;
}

int
triode_model_num_inputs(const TriodeModel* model)
{
  return model->root->nin;
}

int
triode_model_num_outputs(const TriodeModel* model)
{
  return model->root->nout;
}

long
triode_model_receptive_field(const TriodeModel* model)
{
  return model->root->ops->receptive_field(model->root);
}

long
triode_model_prewarm_samples(const TriodeModel* model)
{
  return model->root->ops->prewarm_samples(model->root, NULL);
}

long
triode_model_num_params(const TriodeModel* model)
{
  return model->root->params;
}

static bool
get_level(bool has, double v, double* out)
{
  if (has && out) *out = v;
  return has;
}

bool
triode_model_loudness(const TriodeModel* model, double* value)
{
  return get_level(model->root->has_loudness, model->root->loudness, value);
}

bool
triode_model_input_level_dbu(const TriodeModel* model, double* value)
{
  return get_level(model->root->has_input_level, model->root->input_level, value);
}

bool
triode_model_output_level_dbu(const TriodeModel* model, double* value)
{
  return get_level(model->root->has_output_level, model->root->output_level, value);
}

int
triode_model_metadata_count(const TriodeModel* model)
{
  return model->root->nmeta;
}

const char*
triode_model_metadata_key(const TriodeModel* model, int index)
{
  return index >= 0 && index < model->root->nmeta ? model->root->meta_keys[index] : NULL;
}

const char*
triode_model_metadata_value(const TriodeModel* model, int index)
{
  return index >= 0 && index < model->root->nmeta ? model->root->meta_values[index] : NULL;
}

bool
triode_model_is_slimmable(const TriodeModel* model)
{
  const TriNode* r = model->root;
  return r->ops->set_slim && r->ops->slim_breakpoints(r, NULL, 0) > 0;
}

int
triode_model_slim_breakpoints(const TriodeModel* model, double* points, int capacity)
{
  const TriNode* r = model->root;
  if (!r->ops->slim_breakpoints) return 0;
  return r->ops->slim_breakpoints(r, points, points ? capacity : 0);
}
