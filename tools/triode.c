/* The `triode` executable: finds the subcommand and hands it the rest of the command line. */
#include "cli.h"
#include "locate.h"

#include <stdio.h>
#include <string.h>
#include <triode/triode.h>

typedef struct {
  const char* name;
  int (*run)(int argc, char** argv);
  void (*help)(void); /* NULL for hidden helpers, which the help does not list */
  const char* summary;
} Command;

static const Command kCommands[] = {
  {"render", cmd_render, help_render, "run audio files through .nam models (--gpu: many at once in a batch)"},
  {"info", cmd_info, help_info, "describe a .nam model (architecture, rates, metadata)"},
  {"demo", cmd_demo, help_demo, "render a synthesized guitar phrase through the demo model"},
  {"bench", cmd_bench, help_bench, "measure the speed and memory of models (--gpu: latency of a batch)"},
  {"gen-model", cmd_gen_model, help_gen_model, "write a random-weight model of a common preset"},
  {"gen-demo-model", cmd_gen_demo_model, help_gen_demo_model, "write the hand-designed demo model"},
  {"gen-test-audio", cmd_gen_test_audio, NULL, NULL},
  {"txt2f32", cmd_txt2f32, NULL, NULL},
  {"cmp-f32", cmd_cmp_f32, NULL, NULL},
  {"audio-info", cmd_audio_info, NULL, NULL},
  {"json-check", cmd_json_check, NULL, NULL},
};
enum { NUM_COMMANDS = sizeof kCommands / sizeof kCommands[0] };

static const Command*
find_command(const char* name)
{
  for (int i = 0; i < NUM_COMMANDS; i++)
    if (strcmp(kCommands[i].name, name) == 0)
      return &kCommands[i];
  return NULL;
}

static void
print_usage(void)
{
  puts("usage: triode COMMAND [arguments]\n"
       "\n"
       "Runs Neural Amp Modeler (.nam) models.\n"
       "\n"
       "commands:");
  for (int i = 0; i < NUM_COMMANDS; i++)
    if (kCommands[i].help)
      printf("  %-16s %s\n", kCommands[i].name, kCommands[i].summary);
  puts("\n"
       "  triode help COMMAND    (or triode COMMAND --help) explains a command and its options\n"
       "  triode --version       prints the version\n"
       "\n"
       "example:\n"
       "  triode render amp.nam guitar_di.wav amp_out.wav --normalize");
}

static int
run_help(int argc, char** argv)
{
  if (argc < 2) {
    print_usage();
    return CLI_OK;
  }
  const Command* command = find_command(argv[1]);
  if (!command || !command->help) {
    cli_error("no such command '%s' (see 'triode --help')", argv[1]);
    return CLI_USAGE;
  }
  command->help();
  return CLI_OK;
}

int
main(int argc, char** argv)
{
  locate_set_argv0(argc > 0 ? argv[0] : NULL);
  if (argc < 2) {
    print_usage();
    return CLI_USAGE;
  }
  const char* name = argv[1];
  if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
    print_usage();
    return CLI_OK;
  }
  if (strcmp(name, "help") == 0)
    return run_help(argc - 1, argv + 1);
  if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
    printf("triode %s\n", TRIODE_VERSION_STRING);
    return CLI_OK;
  }
  const Command* command = find_command(name);
  if (!command) {
    cli_error("unknown command '%s' (see 'triode --help')", name);
    return CLI_USAGE;
  }
  return command->run(argc - 1, argv + 1);
}
