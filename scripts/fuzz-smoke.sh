#!/usr/bin/env bash
# Short libFuzzer run of fuzz/fuzz_load.c over a seed corpus (the shared models and tests/data). Builds with clang in
# build-fuzz/. Installs clang and libFuzzer with apt when they are missing, or skips with a message if it cannot.
# Environment: FUZZ_SECONDS (default 60), FUZZ_BUILD (default build-fuzz), JOBS.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
build="${FUZZ_BUILD:-build-fuzz}"
jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

skip() {
  echo "fuzz-smoke: skipping: $*" >&2
  exit 0
}

have_libfuzzer() {
  command -v clang >/dev/null 2>&1 || return 1
  local tmp
  tmp="$(mktemp -d)"
  printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$tmp/t.c"
  local rc=0
  clang -fsanitize=fuzzer,address,undefined "$tmp/t.c" -o "$tmp/t" >/dev/null 2>&1 || rc=1
  rm -rf "$tmp"
  return $rc
}

if ! have_libfuzzer; then
  command -v apt-get >/dev/null 2>&1 || skip "clang with libFuzzer not found and no apt-get to install it"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || skip "clang with libFuzzer not found; not root and no sudo"
    sudo="sudo -n"
  fi
  echo "fuzz-smoke: installing clang and libFuzzer"
  { $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang libclang-rt-dev ||
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev; } ||
    skip "could not install clang/libFuzzer"
  have_libfuzzer || skip "clang is installed but cannot link -fsanitize=fuzzer"
fi

cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DTRIODE_FUZZ=ON \
  -DTRIODE_BUILD_TESTS=OFF -DTRIODE_BUILD_TOOLS=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target fuzz_load

# The first folder collects new inputs; the others are read-only seeds.
corpus="$build/corpus"
mkdir -p "$corpus"
seeds=(tests/data/bad tests/data/ok)
for d in ../shared/models ../shared/models/synthetic; do
  [ -d "$d" ] && seeds+=("$d")
done
artifacts="$build/artifacts/"
mkdir -p "$artifacts"
echo "fuzz-smoke: fuzzing for ${seconds}s over ${seeds[*]}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
"$build/fuzz/fuzz_load" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=60 \
  -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" "${seeds[@]}"
echo "fuzz-smoke: no crash in ${seconds}s"
