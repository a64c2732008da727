/* Model description for `triode info`: a JSON tree, or the same tree rendered as indented text. */
#include "core/model_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tri_describe_child(cJSON* obj, const char* key, const TriNode* child);

static cJSON*
describe_node(const TriNode* node)
{
  cJSON* o = cJSON_CreateObject();
  if (!o) return NULL;
  cJSON_AddStringToObject(o, "architecture", node->ops->name);
  cJSON_AddStringToObject(o, "version", node->version);
  cJSON_AddNumberToObject(o, "sample_rate", node->sample_rate);
  cJSON_AddNumberToObject(o, "inputs", node->nin);
  cJSON_AddNumberToObject(o, "outputs", node->nout);
  cJSON_AddNumberToObject(o, "parameters", (double)node->params);
  cJSON_AddNumberToObject(o, "receptive_field", (double)node->ops->receptive_field(node));
  cJSON_AddNumberToObject(o, "prewarm_samples", (double)node->ops->prewarm_samples(node, NULL));
  node->ops->describe(node, o);
  return o;
}

void
tri_describe_child(cJSON* obj, const char* key, const TriNode* child)
{
  cJSON* c = describe_node(child);
  if (c) cJSON_AddItemToObject(obj, key, c);
}

/* ---- text rendering ------------------------------------------------------------------------------------------ */

typedef struct {
  char* s;
  size_t len, cap;
  bool failed;
} Str;

static void
put(Str* b, const char* fmt, ...)
{
  if (b->failed) return;
  if (!b->s) { /* never do pointer arithmetic on NULL */
    b->s = malloc(256);
    if (!b->s) {
      b->failed = true;
      return;
    }
    b->cap = 256;
    b->s[0] = '\0';
  }
  va_list ap;
  for (;;) {
    va_start(ap, fmt);
    int m = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (m < 0) {
      b->failed = true;
      return;
    }
    if ((size_t)m < b->cap - b->len) {
      b->len += (size_t)m;
      return;
    }
    size_t ncap = (b->cap + (size_t)m + 1) * 2;
    char* ns = realloc(b->s, ncap);
    if (!ns) {
      b->failed = true;
      return;
    }
    b->s = ns;
    b->cap = ncap;
  }
}

static bool
is_scalar(const cJSON* v)
{
  return !cJSON_IsObject(v) && !cJSON_IsArray(v);
}

static void
put_scalar(Str* b, const cJSON* v)
{
  if (cJSON_IsString(v))
    put(b, "%s", v->valuestring);
  else if (cJSON_IsBool(v))
    put(b, "%s", cJSON_IsTrue(v) ? "yes" : "no");
  else if (cJSON_IsNumber(v))
    put(b, "%.10g", v->valuedouble);
  else
    put(b, "null");
}

static void render(Str* b, const cJSON* obj, int depth);

static void
render_value(Str* b, const char* key, const cJSON* v, int depth)
{
  put(b, "%*s%s:", depth * 2, "", key);
  if (is_scalar(v)) {
    put(b, " ");
    put_scalar(b, v);
    put(b, "\n");
    return;
  }
  if (cJSON_IsArray(v)) {
    bool flat = true;
    const cJSON* e;
    cJSON_ArrayForEach(e, v) flat = flat && is_scalar(e);
    if (flat) {
      put(b, " [");
      cJSON_ArrayForEach(e, v)
      {
        put_scalar(b, e);
        if (e->next) put(b, ", ");
      }
      put(b, "]\n");
      return;
    }
    put(b, "\n");
    int i = 0;
    cJSON_ArrayForEach(e, v)
    {
      put(b, "%*s[%d]\n", (depth + 1) * 2, "", i++);
      if (cJSON_IsObject(e)) render(b, e, depth + 2);
    }
    return;
  }
  put(b, "\n");
  render(b, v, depth + 1);
}

static void
render(Str* b, const cJSON* obj, int depth)
{
  const cJSON* e;
  cJSON_ArrayForEach(e, obj) render_value(b, e->string ? e->string : "?", e, depth);
}

char*
triode_model_describe(const TriodeModel* model, bool json)
{
  if (!model) return NULL;
  cJSON* root = describe_node(model->root);
  if (!root) return NULL;
  char* out = NULL;
  if (json) {
    out = cJSON_PrintUnformatted(root);
  } else {
    Str b = {0};
    put(&b, "%s", ""); /* allocate, so an empty tree still yields "" */
    render(&b, root, 0);
    out = b.failed ? NULL : b.s;
    if (b.failed) free(b.s);
  }
  cJSON_Delete(root);
  return out;
}
