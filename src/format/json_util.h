/* Typed, validated access to config keys; every failure names the JSON path and what was expected. */
#ifndef TRIODE_FORMAT_JSON_UTIL_H
#define TRIODE_FORMAT_JSON_UTIL_H

#include "core/loadctx.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

#define TRI_PATH_MAX 384

/* Human name of a JSON value's type ("string", "number", ...). */
const char* tri_json_type(const cJSON* v);

/* Integer key in [lo, hi]. Missing: error when required, else *out = def. Must be an integral number. */
TriodeStatus tri_json_int(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, bool required,
                          long def, long lo, long hi, long* out);
/* The same for a value that is already looked up (array elements). */
TriodeStatus tri_json_int_value(TriLoadCtx* ctx, const cJSON* v, const char* path, long lo, long hi, long* out);

TriodeStatus tri_json_bool(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, bool required,
                           bool def, bool* out);

/* Finite number. */
TriodeStatus tri_json_number(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, bool required,
                             double def, double* out);

/* Object child (required or NULL when missing / null if allow_null). */
TriodeStatus tri_json_object(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, bool required,
                             const cJSON** out);

/* Array child with length in [lo, hi]. */
TriodeStatus tri_json_array(TriLoadCtx* ctx, const cJSON* obj, const char* path, const char* key, bool required,
                            int lo, int hi, const cJSON** out);

/* Reads an int list (array of integers in [lo, hi]) of exactly `n` entries (n < 0: any length in [1, max]).
   *out is allocated (caller frees); *count receives the length. */
TriodeStatus tri_json_int_list(TriLoadCtx* ctx, const cJSON* arr, const char* path, long lo, long hi, int n,
                               int max, int** out, int* count);

#endif
