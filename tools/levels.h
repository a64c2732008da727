/* Peak and RMS measurement of a signal, for the summaries printed by render and demo. */
#ifndef TRIODE_TOOLS_LEVELS_H
#define TRIODE_TOOLS_LEVELS_H

typedef struct {
  double peak;        /* largest |x| over finite samples */
  double sum_squares; /* over finite samples */
  long long count;    /* finite samples seen */
  long long nonfinite;
} Levels;

void
levels_init(Levels* levels);
void
levels_add(Levels* levels, const float* samples, long count);
/* dBFS of the peak and of the RMS; -inf for silence. */
double
levels_peak_db(const Levels* levels);
double
levels_rms_db(const Levels* levels);
/* 20·log10(x), -inf for 0. */
double
levels_to_db(double linear);
double
levels_from_db(double db);

#endif /* TRIODE_TOOLS_LEVELS_H */
