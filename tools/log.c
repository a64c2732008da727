/* Diagnostics of the CLI: one place decides the prefix, the stream and what --quiet silences. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

static bool g_quiet = false;

void
cli_set_quiet(bool quiet)
{
  g_quiet = quiet;
}

bool
cli_is_quiet(void)
{
  return g_quiet;
}

/* The lock keeps a message on one line when render threads report at the same time. */
static void
emit(const char* kind, const char* format, va_list args)
{
  flockfile(stderr);
  fputs("triode: ", stderr);
  if (kind)
    fputs(kind, stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  funlockfile(stderr);
}

void
cli_error(const char* format, ...)
{
  va_list args;
  va_start(args, format);
  emit("error: ", format, args);
  va_end(args);
}

void
cli_warn(const char* format, ...)
{
  va_list args;
  va_start(args, format);
  emit("warning: ", format, args);
  va_end(args);
}

void
cli_note(const char* format, ...)
{
  if (g_quiet)
    return;
  va_list args;
  va_start(args, format);
  emit(NULL, format, args);
  va_end(args);
}
