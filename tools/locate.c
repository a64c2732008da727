/* Search for shipped data files relative to the executable, the working directory and the source tree. */
#include "locate.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef TRIODE_SOURCE_DIR
#define TRIODE_SOURCE_DIR "."
#endif

static const char* g_argv0 = NULL;

void
locate_set_argv0(const char* argv0)
{
  g_argv0 = argv0;
}

/* Directory of the running executable, without a trailing slash; false when unknown. */
static bool
executable_dir(char* dir, size_t capacity)
{
  ssize_t n = readlink("/proc/self/exe", dir, capacity - 1);
  if (n > 0) {
    dir[n] = '\0';
  } else if (g_argv0 && strchr(g_argv0, '/') && strlen(g_argv0) < capacity) {
    strcpy(dir, g_argv0);
  } else {
    return false;
  }
  char* slash = strrchr(dir, '/');
  if (!slash)
    return false;
  *slash = '\0';
  return true;
}

static bool
try_path(char* path, size_t capacity, const char* dir, const char* relative)
{
  int n = snprintf(path, capacity, "%s/%s", dir, relative);
  return n > 0 && (size_t)n < capacity && access(path, R_OK) == 0;
}

int
locate_demo_model(char* path, size_t capacity)
{
  char dir[4096];
  if (executable_dir(dir, sizeof dir)) {
    if (try_path(path, capacity, dir, "../../models/triode_demo.nam") ||
        try_path(path, capacity, dir, "../share/triode/triode_demo.nam"))
      return 0;
  }
  if (try_path(path, capacity, ".", "models/triode_demo.nam") ||
      try_path(path, capacity, TRIODE_SOURCE_DIR, "models/triode_demo.nam"))
    return 0;
  return -1;
}
