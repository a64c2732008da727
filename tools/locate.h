/* Finding files that ship with triode (the demo model) from wherever the executable runs. */
#ifndef TRIODE_TOOLS_LOCATE_H
#define TRIODE_TOOLS_LOCATE_H

#include <stddef.h>

/* Remembers argv[0], used when the executable's path cannot be asked from the system. */
void
locate_set_argv0(const char* argv0);

/*
 * Writes the path of the demo model into `path` and returns 0, or returns -1 when it is nowhere to be found.
 * Looks next to the build tree (<exe>/../../models), the install tree (<exe>/../share/triode), ./models and the
 * source tree the executable was built from.
 */
int
locate_demo_model(char* path, size_t capacity);

#endif /* TRIODE_TOOLS_LOCATE_H */
