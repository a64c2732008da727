/*
 * Karplus-Strong plucked strings: a noise burst (shaped like a pick near the bridge) circulates in a delay line
 * one period long, through a two-point average that damps the high harmonics faster than the low ones, which is
 * what makes it sound like a string. Each note is rendered on its own and added into the output.
 */
#include "di_synth.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { SIXTEENTHS = 48, TAIL_SIXTEENTHS = 8 };
static const double kSixteenth = 0.125; /* seconds: 120 BPM */
static const double kPeakDbfs = -8.0;

typedef struct {
  int start;      /* in sixteenths */
  int length;     /* in sixteenths */
  int notes[3];   /* MIDI numbers, 0 = unused */
  int muted;      /* palm mute: short and dull */
} NoteEvent;

/* E minor riff: palm-muted chugs, power chords and a little run, ending on a ringing E5. */
static const NoteEvent kRiff[] = {
  {0, 2, {40}, 1},          {2, 2, {40}, 1},         {4, 2, {43, 50, 55}, 0}, {6, 2, {40}, 1},
  {8, 4, {45, 52, 57}, 0},  {12, 1, {47}, 0},        {13, 1, {50}, 0},        {14, 2, {52}, 0},
  {16, 2, {40}, 1},         {18, 2, {40}, 1},        {20, 2, {43, 50, 55}, 0}, {22, 2, {40}, 1},
  {24, 2, {46, 53, 58}, 0}, {26, 2, {45, 52, 57}, 0}, {28, 2, {43}, 0},       {30, 2, {42}, 0},
  {32, 16, {40, 47, 52}, 0},
};

long
di_synth_length(int rate)
{
  return (long)((SIXTEENTHS + TAIL_SIXTEENTHS) * kSixteenth * rate);
}

/* xorshift32 with a fixed seed: the demo must sound the same on every run and machine. */
static float
noise(uint32_t* state)
{
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return (float)((double)x / 2147483648.0 - 1.0);
}

/* Pick excitation, one period long: smoothed noise, comb-filtered by the pick position, zero mean. */
static void
make_excitation(float* e, int period, double brightness, uint32_t* seed)
{
  float smooth = 0.0f;
  double mean = 0.0;
  for (int i = 0; i < period; i++) {
    smooth += (float)brightness * (noise(seed) - smooth);
    e[i] = smooth;
  }
  int pick = period / 7 > 1 ? period / 7 : 1; /* picking about 1/7 of the string from the bridge */
  for (int i = period - 1; i >= pick; i--)
    e[i] -= e[i - pick];
  for (int i = 0; i < period; i++)
    mean += e[i];
  mean /= period;
  for (int i = 0; i < period; i++)
    e[i] -= (float)mean;
}

/* Adds one string's note into out[start .. start + hold + release). */
static int
pluck(float* out, long out_length, long start, long hold, int midi, int muted, float velocity, int rate,
      uint32_t* seed)
{
  double freq = 440.0 * pow(2.0, (midi - 69) / 12.0);
  double delay = rate / freq - 0.5; /* the two-point average adds half a sample to the loop */
  int whole = (int)delay;
  double frac = delay - whole;
  int size = whole + 2;
  float* line = calloc((size_t)size, sizeof(float));
  float* excitation = calloc((size_t)size, sizeof(float));
  if (!line || !excitation) {
    free(line);
    free(excitation);
    return -1;
  }
  make_excitation(excitation, whole, muted ? 0.15 : 0.5, seed);
  /* Loop gain per pass from the decay time: -60 dB after t60 seconds. */
  double t60 = muted ? 0.25 : 3.5 - (midi - 40) * 0.05;
  float gain_hold = (float)pow(10.0, -3.0 / (freq * t60));
  float gain_release = (float)pow(10.0, -3.0 / (freq * 0.06));
  long release = rate / 10;
  float previous = 0.0f;
  for (long n = 0, w = 0; n < hold + release && start + n < out_length; n++) {
    /* Read the sample `delay` periods back, linearly interpolated, then average it with the previous one. */
    int r0 = (int)((w - whole + 2 * size) % size), r1 = (r0 - 1 + size) % size;
    float delayed = (float)((1.0 - frac) * line[r0] + frac * line[r1]);
    float gain = n < hold ? gain_hold : gain_release;
    float y = gain * 0.5f * (delayed + previous) + (n < whole ? velocity * excitation[n] : 0.0f);
    previous = delayed;
    line[w] = y;
    w = (w + 1) % size;
    out[start + n] += y;
  }
  free(line);
  free(excitation);
  return 0;
}

int
di_synth_riff(float* out, int rate)
{
  long length = di_synth_length(rate);
  memset(out, 0, sizeof(float) * (size_t)length);
  uint32_t seed = 0x7215u;
  long sixteenth = (long)(kSixteenth * rate);
  for (size_t i = 0; i < sizeof kRiff / sizeof kRiff[0]; i++) {
    const NoteEvent* ev = &kRiff[i];
    for (int s = 0; s < 3 && ev->notes[s]; s++) {
      long strum = (long)s * rate / 100; /* a downstroke reaches each string ~10 ms after the previous one */
      float velocity = (ev->muted ? 0.8f : 1.0f) * (1.0f - 0.1f * (float)s) * (0.9f + 0.1f * noise(&seed));
      long start = ev->start * sixteenth + strum;
      if (pluck(out, length, start, ev->length * sixteenth - strum, ev->notes[s], ev->muted, velocity, rate,
                &seed) != 0)
        return -1;
    }
  }
  float peak = 0.0f;
  for (long i = 0; i < length; i++)
    peak = fmaxf(peak, fabsf(out[i]));
  float scale = peak > 0.0f ? (float)pow(10.0, kPeakDbfs / 20.0) / peak : 0.0f;
  for (long i = 0; i < length; i++)
    out[i] *= scale;
  return 0;
}
