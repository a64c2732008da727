/* mkdir -p and whole-file text output, with the CLI's error messages. */
#include "files.h"

#include "cli.h"

#include <errno.h>
#include <stdio.h>
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
