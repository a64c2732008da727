/* mkdir -p, whole-file text output and directory listing, with the CLI's error messages. */
#include "files.h"

#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
files_make_dirs(const char* path)
{
  char buffer[4096];
  if (strlen(path) >= sizeof buffer) {
    cli_error("directory name too long: '%s'", path);
    return CLI_USAGE;
  }
  strcpy(buffer, path);
  for (char* p = buffer + 1;; p++) {
    bool end = *p == '\0';
    if (*p == '/' || end) {
      *p = '\0';
      if (mkdir(buffer, 0777) != 0 && errno != EEXIST) {
        cli_error("cannot create directory '%s': %s", buffer, strerror(errno));
        return CLI_BAD_AUDIO;
      }
      if (end)
        break;
      *p = '/';
    }
  }
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
    cli_error("'%s' is not a directory", path);
    return CLI_BAD_AUDIO;
  }
  return CLI_OK;
}

int
files_write_text(const char* path, const char* text)
{
  FILE* f = fopen(path, "w");
  if (!f) {
    cli_error("cannot create '%s': %s", path, strerror(errno));
    return CLI_BAD_AUDIO;
  }
  bool ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
  ok = (fclose(f) == 0) && ok;
  if (!ok) {
    cli_error("error writing '%s'", path);
    unlink(path);
    return CLI_BAD_AUDIO;
  }
  return CLI_OK;
}

static int
compare_paths(const void* a, const void* b)
{
  return strcmp(*(char* const*)a, *(char* const*)b);
}

static bool
is_regular_file(const char* path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int
files_list(const char* dir, const char* suffix, char*** paths, int* count)
{
  *paths = NULL;
  *count = 0;
  DIR* d = opendir(dir);
  if (!d) {
    cli_error("cannot read directory '%s': %s", dir, strerror(errno));
    return CLI_USAGE;
  }
  const size_t suffix_length = strlen(suffix);
  int capacity = 0, rc = CLI_OK;
  for (struct dirent* entry; rc == CLI_OK && (entry = readdir(d)) != NULL;) {
    const size_t length = strlen(entry->d_name);
    if (length <= suffix_length || strcmp(entry->d_name + length - suffix_length, suffix) != 0)
      continue;
    const size_t size = strlen(dir) + 1 + length + 1;
    char* path = malloc(size);
    if (path)
      snprintf(path, size, "%s/%s", dir, entry->d_name);
    if (path && !is_regular_file(path)) {
      free(path);
      continue;
    }
    if (path && *count == capacity) {
      capacity = capacity ? 2 * capacity : 16;
      char** grown = realloc(*paths, sizeof *grown * (size_t)capacity);
      if (grown)
        *paths = grown;
      else
        capacity = *count;
    }
    if (!path || *count == capacity) {
      free(path);
      cli_error("out of memory");
      rc = CLI_INTERNAL;
      break;
    }
    (*paths)[(*count)++] = path;
  }
  closedir(d);
  if (rc != CLI_OK) {
    files_list_free(*paths, *count);
    *paths = NULL;
    *count = 0;
    return rc;
  }
  if (*count > 1)
    qsort(*paths, (size_t)*count, sizeof **paths, compare_paths);
  return CLI_OK;
}

void
files_list_free(char** paths, int count)
{
  if (!paths)
    return;
  for (int i = 0; i < count; i++)
    free(paths[i]);
  free(paths);
}

bool
files_print_json(cJSON* root, FILE* out)
{
  char* text = root ? cJSON_Print(root) : NULL;
  cJSON_Delete(root);
  if (!text)
    return false;
  fprintf(out, "%s\n", text);
  cJSON_free(text);
  return true;
}
