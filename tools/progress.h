/* A one-line progress bar on stderr, shown only for long jobs on a terminal. */
#ifndef TRIODE_TOOLS_PROGRESS_H
#define TRIODE_TOOLS_PROGRESS_H

#include <stdbool.h>

typedef struct {
  bool enabled;
  long long total;
  int last_permille; /* redraw only when the value changes, to keep terminal output cheap */
} Progress;

/* Enables the bar when `wanted`, stderr is a terminal and total > 0. */
void
progress_begin(Progress* progress, long long total, bool wanted);
void
progress_update(Progress* progress, long long done);
/* Completes and clears the bar line. */
void
progress_end(Progress* progress);

#endif /* TRIODE_TOOLS_PROGRESS_H */
