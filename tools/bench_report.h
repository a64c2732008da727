/* Output of `triode bench`: an aligned table for people, or one JSON array of records for scripts. */
#ifndef TRIODE_TOOLS_BENCH_REPORT_H
#define TRIODE_TOOLS_BENCH_REPORT_H

#include "bench.h"

#include <stdio.h>

/* The conditions of the run (signal, runs, tanh) on one line, then the table. */
void
bench_print_table(const Bench* bench, FILE* out);

/* Returns false when out of memory. */
bool
bench_print_json(const Bench* bench, FILE* out);

#endif /* TRIODE_TOOLS_BENCH_REPORT_H */
