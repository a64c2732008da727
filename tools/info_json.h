/* `triode info --json`: the model's description as one JSON object. */
#ifndef TRIODE_TOOLS_INFO_JSON_H
#define TRIODE_TOOLS_INFO_JSON_H

#include <triode/triode.h>

/* Returns a new string (free with cJSON_free()), or NULL when out of memory. */
char*
info_json(const char* path, const TriodeModel* model);

#endif /* TRIODE_TOOLS_INFO_JSON_H */
