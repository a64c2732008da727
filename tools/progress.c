/* Terminal progress bar: redrawn in place with '\r', erased at the end so later messages start on a clean line. */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

enum { BAR_WIDTH = 40 };

void
progress_begin(Progress* p, long long total, bool wanted)
{
  p->enabled = wanted && total > 0 && isatty(fileno(stderr));
  p->total = total;
  p->last_permille = -1;
}

void
progress_update(Progress* p, long long done)
{
  if (!p->enabled)
    return;
  if (done > p->total)
    done = p->total;
  int permille = (int)(done * 1000 / p->total);
  if (permille == p->last_permille)
    return;
  p->last_permille = permille;
  int filled = permille * BAR_WIDTH / 1000;
  char bar[BAR_WIDTH + 1];
  for (int i = 0; i < BAR_WIDTH; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[BAR_WIDTH] = '\0';
  fprintf(stderr, "\rtriode: [%s] %5.1f%%", bar, permille / 10.0);
  fflush(stderr);
}

void
progress_end(Progress* p)
{
  if (!p->enabled)
    return;
  fprintf(stderr, "\r%*s\r", BAR_WIDTH + 20, "");
  fflush(stderr);
  p->enabled = false;
}
