/* Small file-system helpers shared by the subcommands that write files. Both print their own error messages. */
#ifndef TRIODE_TOOLS_FILES_H
#define TRIODE_TOOLS_FILES_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

/* mkdir -p: creates every missing directory of `path`. Returns CLI_OK, or CLI_BAD_AUDIO/CLI_USAGE after a message. */
int
files_make_dirs(const char* path);

/* Prints `root` as indented JSON and a newline to `out`, then deletes it (root may be NULL: out of memory).
   Returns false when it could not be printed. */
bool
files_print_json(cJSON* root, FILE* out);

/* Writes `text` and a final newline to `path`; on failure removes the partial file. Returns a CLI exit code. */
int
files_write_text(const char* path, const char* text);

/*
 * The paths ("DIR/NAME") of the regular files in `dir` whose name ends with `suffix` (".nam"), sorted by name so
 * that a run does not depend on the directory's order. Returns CLI_OK with *count ≥ 0, or CLI_USAGE (not a
 * readable directory) / CLI_INTERNAL after a message. Free the list with files_list_free().
 */
int
files_list(const char* dir, const char* suffix, char*** paths, int* count);
void
files_list_free(char** paths, int count);

#endif /* TRIODE_TOOLS_FILES_H */
