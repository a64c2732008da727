/*
 * Command-line option parsing shared by every subcommand. Options may come before, between or after the
 * positional arguments, as `--name value` or `--name=value`; `--` ends the options.
 */
#ifndef TRIODE_TOOLS_ARGS_H
#define TRIODE_TOOLS_ARGS_H

#include <stdbool.h>

typedef enum {
  ARG_FLAG,   /* bool, no value */
  ARG_INT,    /* long within [min, max] */
  ARG_DOUBLE, /* finite double within [min, max] */
  ARG_STRING, /* const char* pointing into argv */
  ARG_LIST,   /* ArgList: every occurrence is kept, in order (e.g. --block 16 --block 64) */
} ArgKind;

enum { ARG_LIST_MAX = 64 };

typedef struct {
  const char* items[ARG_LIST_MAX]; /* pointing into argv */
  int count;
} ArgList;

typedef struct {
  const char* name; /* long name without the leading "--" */
  char short_name;  /* single-letter alias, or 0 */
  ArgKind kind;
  void* target;     /* bool*, long*, double*, const char** or ArgList* according to kind */
  double min, max;  /* accepted range of ARG_INT and ARG_DOUBLE */
  bool* given;      /* nullable: set to true when the option appears */
} ArgSpec;

typedef enum {
  ARGS_OK = 0,
  ARGS_HELP,  /* -h or --help was given: the caller prints its help and exits 0 */
  ARGS_ERROR, /* a message was printed; the caller exits with CLI_USAGE */
} ArgsResult;

/*
 * Parses argv[1..argc) (argv[0] is the subcommand name) against `specs`. Positional arguments are stored in
 * `positional` (at most `max_positional`; more is an error) and counted in *num_positional. `command` names the
 * subcommand in error messages.
 */
ArgsResult
args_parse(const char* command, int argc, char** argv, const ArgSpec* specs, int num_specs, const char** positional,
           int max_positional, int* num_positional);

/* Strict number parsing (whole string, finite); used by args_parse and by subcommands with their own syntax. */
bool
args_parse_double(const char* text, double* value);
bool
args_parse_long(const char* text, long* value);

#endif /* TRIODE_TOOLS_ARGS_H */
