/*
 * Shared declarations of the `triode` command-line tool: exit codes, the subcommand entry points and the
 * message helpers every subcommand uses so that all diagnostics look alike ("triode: ..." on stderr).
 */
#ifndef TRIODE_TOOLS_CLI_H
#define TRIODE_TOOLS_CLI_H

#include <stdbool.h>

/* Exit codes are part of the CLI contract (scripts and tests rely on them). */
enum {
  CLI_OK = 0,
  CLI_USAGE = 1,    /* bad or missing arguments, unknown option, bad number */
  CLI_BAD_MODEL = 2,
  CLI_BAD_AUDIO = 3, /* unreadable/unsupported input audio, or the output could not be written */
  CLI_INTERNAL = 4,  /* out of memory or an unexpected library failure */
  CLI_NO_BACKEND = 5, /* --gpu: the batch backend asked for cannot run here (no GPU, built without CUDA) */
};

/* Subcommands: each takes the arguments that follow its name (argv[0] is the subcommand name). */
int
cmd_render(int argc, char** argv);
int
cmd_info(int argc, char** argv);
int
cmd_demo(int argc, char** argv);
int
cmd_gen_demo_model(int argc, char** argv);
int
cmd_gen_model(int argc, char** argv);
int
cmd_bench(int argc, char** argv);
int
cmd_gen_test_audio(int argc, char** argv);
int
cmd_txt2f32(int argc, char** argv);
int
cmd_cmp_f32(int argc, char** argv);
int
cmd_audio_info(int argc, char** argv);
int
cmd_json_check(int argc, char** argv);

/* Help texts, printed by `triode help CMD` and `triode CMD --help`. */
void
help_render(void);
void
help_info(void);
void
help_demo(void);
void
help_gen_demo_model(void);
void
help_gen_model(void);
void
help_bench(void);

/* Messages on stderr prefixed with "triode: ". Notes are silenced by cli_set_quiet(true); errors never are. */
void
cli_set_quiet(bool quiet);
bool
cli_is_quiet(void);
void
cli_error(const char* format, ...)
#if defined(__GNUC__)
  __attribute__((format(printf, 1, 2)))
#endif
  ;
void
cli_warn(const char* format, ...)
#if defined(__GNUC__)
  __attribute__((format(printf, 1, 2)))
#endif
  ;
void
cli_note(const char* format, ...)
#if defined(__GNUC__)
  __attribute__((format(printf, 1, 2)))
#endif
  ;

#endif /* TRIODE_TOOLS_CLI_H */
