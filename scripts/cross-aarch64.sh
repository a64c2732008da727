#!/usr/bin/env bash
# Builds the library and its tests for aarch64 (NEON kernels) and runs them under qemu-user. Installs the cross
# toolchain and arm64 libraries with apt when it can; otherwise skips with a message (exit 0).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${CROSS_BUILD:-build-aarch64}"
jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
skip() {
  echo "cross-aarch64: skipping: $*" >&2
  exit 0
}
have() {
  command -v aarch64-linux-gnu-gcc >/dev/null && command -v qemu-aarch64 >/dev/null &&
    [ -f /usr/lib/aarch64-linux-gnu/pkgconfig/libcjson.pc ] && [ -f /usr/lib/aarch64-linux-gnu/pkgconfig/cmocka.pc ]
}
if ! have; then
  command -v apt-get >/dev/null 2>&1 || skip "no cross toolchain and no apt-get"
  sudo=""
  [ "$(id -u)" -ne 0 ] && { command -v sudo >/dev/null 2>&1 || skip "not root and no sudo"; sudo="sudo -n"; }
  echo "cross-aarch64: installing gcc-aarch64-linux-gnu, qemu-user and arm64 libraries"
  { $sudo dpkg --add-architecture arm64 && $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends gcc-aarch64-linux-gnu \
      qemu-user libc6-dev-arm64-cross libcjson-dev:arm64 libcmocka-dev:arm64; } || skip "could not install them"
  have || skip "toolchain still incomplete"
fi
cmake -S . -B "$build" -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake -DCMAKE_BUILD_TYPE=Release \
  -DTRIODE_BUILD_TOOLS=OFF >/dev/null
cmake --build "$build" -j "$jobs"
file "$build/tests/test_kernels" 2>/dev/null | grep -q aarch64 || file "$build/tests/test_kernels" || true
cd "$build" && ctest --output-on-failure -j "$jobs" -E "fuzz_replay|batch"
