/* Shared by the hidden test-helper subcommands. */
#ifndef TRIODE_TOOLS_TESTUTIL_H
#define TRIODE_TOOLS_TESTUTIL_H

#include "args.h"

/*
 * Parses a helper's arguments, which must include exactly `expected` positionals. Returns CLI_OK, CLI_USAGE
 * (after a message) or -1 when help was requested and printed.
 */
int
testutil_parse(const char* command, int argc, char** argv, const ArgSpec* specs, int num_specs, const char** pos,
               int expected);

#endif /* TRIODE_TOOLS_TESTUTIL_H */
