/* Runs the fuzz target over the files named on the command line (regression runs without libFuzzer). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

static int replay(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "fuzz_replay: cannot open %s\n", path);
    return 1;
  }
  size_t cap = 1 << 16, n = 0, got;
  uint8_t* buf = malloc(cap);
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      uint8_t* bigger = realloc(buf, cap *= 2);
      if (!bigger) free(buf);
      buf = bigger;
    }
  }
  fclose(f);
  if (!buf) return 1;
  /* An exact-size copy, so reading past the end is caught by the sanitizers. */
  uint8_t* exact = malloc(n ? n : 1);
  if (!exact) {
    free(buf);
    return 1;
  }
  for (size_t i = 0; i < n; i++) exact[i] = buf[i];
  free(buf);
  LLVMFuzzerTestOneInput(exact, n);
  free(exact);
  printf("ok %s (%zu bytes)\n", path, n);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE...\n", argv[0]);
    return 2;
  }
  int failures = 0;
  for (int i = 1; i < argc; i++) failures += replay(argv[i]);
  return failures ? 1 : 0;
}
