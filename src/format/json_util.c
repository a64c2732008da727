/* Typed, validated access to JSON values. */
#include "format/json_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char*
tri_json_type(const cJSON* v)
{
  if (!v) return "nothing";
  if (cJSON_IsNull(v)) return "null";
  if (cJSON_IsBool(v)) return "a boolean";
  if (cJSON_IsNumber(v)) return "a number";
  if (cJSON_IsString(v)) return "a string";
  if (cJSON_IsArray(v)) return "an array";
  if (cJSON_IsObject(v)) return "an object";
  return "an invalid value";
}

TriodeStatus
tri_json_int_value(TriLoadCtx* ctx, const cJSON* v, const char* path, long lo, long hi, long* out)
{
  if (!cJSON_IsNumber(v))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, path, "expected an integer, found %s", tri_json_type(v));
  double d = v->valuedouble;
  if (!isfinite(d) || d != floor(d))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, path, "expected an integer, found %.17g", d);
  if (d < (double)lo || d > (double)hi) {
    TriodeStatus st = (d > (double)hi && hi >= 1024) ? TRIODE_ERR_LIMIT : TRIODE_ERR_BAD_CONFIG;
    return tri_fail(ctx, st, path, "expected an integer in [%ld, %ld], found %.17g", lo, hi, d);
  }
  *out = (long)d;
  return TRIODE_SUCCESS;
}

/* Looks `key` up in obj and writes its path to p. Returns TRIODE_FAILURE when the key is absent but optional (the
   caller then uses its default), an error when it is absent and required. */
static TriodeStatus
lookup(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, bool required, char* p, size_t cap,
       const cJSON** v)
{
  tri_path_key(p, cap, path, key);
  *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  if (*v) return TRIODE_SUCCESS;
  return required ? tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "required key is missing") : TRIODE_FAILURE;
}

TriodeStatus
tri_json_int(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, bool required, long def, long lo,
             long hi, long* out)
{
  char p[TRI_PATH_MAX];
  const cJSON* v;
  const TriodeStatus st = lookup(ctx, obj, path, key, required, p, sizeof p, &v);
  if (st == TRIODE_FAILURE) *out = def;
  if (st != TRIODE_SUCCESS) return st == TRIODE_FAILURE ? TRIODE_SUCCESS : st;
  return tri_json_int_value(ctx, v, p, lo, hi, out);
}

TriodeStatus
tri_json_bool(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, bool required, bool def,
              bool* out)
{
  char p[TRI_PATH_MAX];
  const cJSON* v;
  const TriodeStatus st = lookup(ctx, obj, path, key, required, p, sizeof p, &v);
  if (st == TRIODE_FAILURE) *out = def;
  if (st != TRIODE_SUCCESS) return st == TRIODE_FAILURE ? TRIODE_SUCCESS : st;
  if (!cJSON_IsBool(v))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected true or false, found %s", tri_json_type(v));
  *out = cJSON_IsTrue(v);
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_json_number(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, bool required, double def,
                double* out)
{
  char p[TRI_PATH_MAX];
  const cJSON* v;
  const TriodeStatus st = lookup(ctx, obj, path, key, required, p, sizeof p, &v);
  if (st == TRIODE_FAILURE) *out = def;
  if (st != TRIODE_SUCCESS) return st == TRIODE_FAILURE ? TRIODE_SUCCESS : st;
  if (!cJSON_IsNumber(v))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected a number, found %s", tri_json_type(v));
  if (!isfinite(v->valuedouble))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected a finite number, found %g", v->valuedouble);
  *out = v->valuedouble;
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_json_object(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, bool required,
                const cJSON** out)
{
  char p[TRI_PATH_MAX];
  tri_path_key(p, sizeof p, path, key);
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(obj, key);
  *out = NULL;
  if (!v || cJSON_IsNull(v)) {
    if (required) return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "required object is missing");
    return TRIODE_SUCCESS;
  }
  if (!cJSON_IsObject(v))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected an object, found %s", tri_json_type(v));
  *out = v;
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_json_array(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, bool required, int lo, int hi,
               const cJSON** out)
{
  char p[TRI_PATH_MAX];
  tri_path_key(p, sizeof p, path, key);
  const cJSON* v = cJSON_GetObjectItemCaseSensitive(obj, key);
  *out = NULL;
  if (!v) {
    if (required) return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "required array is missing");
    return TRIODE_SUCCESS;
  }
  if (!cJSON_IsArray(v))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, p, "expected an array, found %s", tri_json_type(v));
  int n = cJSON_GetArraySize(v);
  if (n < lo || n > hi)
    return tri_fail(ctx, n > hi ? TRIODE_ERR_LIMIT : TRIODE_ERR_BAD_CONFIG, p,
                    "expected an array of %d to %d entries, found %d", lo, hi, n);
  *out = v;
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_json_int_list(TriLoadCtx* ctx, const cJSON* arr, const char* path, long lo, long hi, int n, int max, int** out,
                  int* count)
{
  *out = NULL;
  if (!cJSON_IsArray(arr))
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, path, "expected an array of integers, found %s",
                    tri_json_type(arr));
  int len = cJSON_GetArraySize(arr);
  if (n >= 0 && len != n)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, path, "expected %d entries, found %d", n, len);
  if (n < 0 && (len < 1 || len > max))
    return tri_fail(ctx, len > max ? TRIODE_ERR_LIMIT : TRIODE_ERR_BAD_CONFIG, path,
                    "expected 1 to %d entries, found %d", max, len);
  int* v = calloc((size_t)(len > 0 ? len : 1), sizeof *v);
  if (!v) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  int i = 0;
  const cJSON* e;
  cJSON_ArrayForEach(e, arr)
  {
    char p[TRI_PATH_MAX];
    long x = 0;
    TriodeStatus st = tri_json_int_value(ctx, e, tri_path_index(p, sizeof p, path, i), lo, hi, &x);
    if (st) {
      free(v);
      return st;
    }
    v[i++] = (int)x;
  }
  *out = v;
  *count = len;
  return TRIODE_SUCCESS;
}
