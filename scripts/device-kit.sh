#!/usr/bin/env bash
# Builds, on this (development) machine, what a GPU session sends to the device machine: the CUDA build of `triode`
# and `gpu_check`, the shared libraries they load that a bare CUDA image may lack (cJSON, libsndfile and its codecs,
# libsamplerate, cmocka, the CUDA runtime), and the shared models. The device machine has nvcc but none of those
# development packages and no network, so building there would first need them carried anyway.
#
# Built on Debian 12, the programs and libraries need glibc 2.34 or newer on the device (checked with objdump -T).
#
# Output: .devkit/ (ignored by git) with bin/, lib/, shared/models/. Pass it to the device tool as `carry: [".devkit"]`
# and run scripts/device-run.sh there. Environment: KIT (default .devkit), BUILD (default build-device), JOBS.
set -euo pipefail
cd "$(dirname "$0")/.."
kit="${KIT:-.devkit}"
build="${BUILD:-build-device}"
jobs="${JOBS:-$(nproc 2>/dev/null || echo 2)}"

command -v nvcc >/dev/null 2>&1 || { echo "device-kit: nvcc not found; the kit needs the CUDA build" >&2; exit 1; }
[ -d ../shared/models ] || { echo "device-kit: ../shared/models not found" >&2; exit 1; }

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTRIODE_CUDA=ON >/dev/null
cmake --build "$build" -j "$jobs" --target triode gpu_check

rm -rf "$kit"
mkdir -p "$kit/bin" "$kit/lib" "$kit/shared"
cp "$build/tools/triode" "$build/tests/gpu_check" "$kit/bin/"
cp -r ../shared/models "$kit/shared/"

# Every library the two programs load except the C runtime itself (the image has its own, and a second copy of the
# loader or libc would not mix with it).
for bin in "$kit"/bin/*; do
  ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'
done | sort -u | while read -r lib; do
  case "$(basename "$lib")" in
    libc.so.* | libm.so.* | libpthread.so.* | libdl.so.* | librt.so.* | ld-linux*.so.* | libgcc_s.so.* | libstdc++.so.*)
      ;;
    *) cp -L "$lib" "$kit/lib/" ;;
  esac
done

echo "device-kit: $(du -sh "$kit" | cut -f1) in $kit:"
ls "$kit/bin" "$kit/lib"
