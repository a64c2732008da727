/* Table-driven option parser: one loop, every subcommand gets the same syntax and the same error messages. */
#include "args.h"

#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool
args_parse_double(const char* text, double* value)
{
  char* end = NULL;
  errno = 0;
  double v = strtod(text, &end);
  if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v))
    return false;
  *value = v;
  return true;
}

bool
args_parse_long(const char* text, long* value)
{
  char* end = NULL;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (end == text || *end != '\0' || errno == ERANGE)
    return false;
  *value = v;
  return true;
}

static const ArgSpec*
find_long(const ArgSpec* specs, int num_specs, const char* name, size_t name_length)
{
  for (int i = 0; i < num_specs; i++)
    if (strlen(specs[i].name) == name_length && strncmp(specs[i].name, name, name_length) == 0)
      return &specs[i];
  return NULL;
}

static const ArgSpec*
find_short(const ArgSpec* specs, int num_specs, char name)
{
  for (int i = 0; i < num_specs; i++)
    if (specs[i].short_name == name)
      return &specs[i];
  return NULL;
}

/* Stores `value` into the option's target after checking its syntax and range. */
static bool
store_value(const char* command, const ArgSpec* spec, const char* value)
{
  if (spec->kind == ARG_STRING) {
    *(const char**)spec->target = value;
    return true;
  }
  if (spec->kind == ARG_LIST) {
    ArgList* list = spec->target;
    if (list->count == ARG_LIST_MAX) {
      cli_error("%s: --%s given more than %d times", command, spec->name, ARG_LIST_MAX);
      return false;
    }
    list->items[list->count++] = value;
    return true;
  }
  if (spec->kind == ARG_INT) {
    long v;
    if (!args_parse_long(value, &v) || v < spec->min || v > spec->max) {
      cli_error("%s: --%s expects an integer in [%.0f, %.0f], got '%s'", command, spec->name, spec->min, spec->max,
                value);
      return false;
    }
    *(long*)spec->target = v;
    return true;
  }
  double v;
  if (!args_parse_double(value, &v) || v < spec->min || v > spec->max) {
    cli_error("%s: --%s expects a number in [%g, %g], got '%s'", command, spec->name, spec->min, spec->max, value);
    return false;
  }
  *(double*)spec->target = v;
  return true;
}

ArgsResult
args_parse(const char* command, int argc, char** argv, const ArgSpec* specs, int num_specs, const char** positional,
           int max_positional, int* num_positional)
{
  *num_positional = 0;
  bool options_done = false;
  for (int i = 1; i < argc; i++) {
    const char* arg = argv[i];
    bool is_option = !options_done && arg[0] == '-' && arg[1] != '\0';
    if (!is_option) {
      if (*num_positional >= max_positional) {
        cli_error("%s: unexpected argument '%s' (see 'triode help %s')", command, arg, command);
        return ARGS_ERROR;
      }
      positional[(*num_positional)++] = arg;
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      options_done = true;
      continue;
    }
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
      return ARGS_HELP;

    const ArgSpec* spec = NULL;
    const char* inline_value = NULL;
    if (arg[1] == '-') {
      const char* name = arg + 2;
      const char* eq = strchr(name, '=');
      size_t name_length = eq ? (size_t)(eq - name) : strlen(name);
      spec = find_long(specs, num_specs, name, name_length);
      inline_value = eq ? eq + 1 : NULL;
    } else if (arg[2] == '\0') {
      spec = find_short(specs, num_specs, arg[1]);
    }
    if (!spec) {
      cli_error("%s: unknown option '%s' (see 'triode help %s')", command, arg, command);
      return ARGS_ERROR;
    }
    if (spec->given)
      *spec->given = true;
    if (spec->kind == ARG_FLAG) {
      if (inline_value) {
        cli_error("%s: option --%s takes no value", command, spec->name);
        return ARGS_ERROR;
      }
      *(bool*)spec->target = true;
      continue;
    }
    const char* value = inline_value;
    if (!value) {
      /* The next word is the value even when it starts with '-', so "--input-gain -6" works. */
      if (i + 1 >= argc) {
        cli_error("%s: option %s needs a value", command, arg);
        return ARGS_ERROR;
      }
      value = argv[++i];
    }
    if (!store_value(command, spec, value))
      return ARGS_ERROR;
  }
  return ARGS_OK;
}
