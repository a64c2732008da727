#!/usr/bin/env bash
# Runs on the GPU machine, over the kit of scripts/device-kit.sh (carried as .devkit): the correctness check of the
# CUDA batch backend, then the issue's workloads with `triode bench --gpu --find-max`, each workload also with the
# general WaveNet body (TRIODE_GPU_KERNEL=general) for comparison. Logs go to $OUT (the device tool's folder that
# comes back), else /tmp/triode-device.
#
#   device run: bash scripts/device-run.sh [PART] [quick]     carry: [".devkit"]
#
# PART: check (gpu_check), fixed (the workloads, default kernels), general (the WaveNet workloads with the general
# body), or check+fixed (the default). One device command may run 10 minutes: each search stops after 60 s, so
# check+fixed and general each fit one call. `quick` shortens every measurement (a smoke run of the kit and the
# GPU). Not tested on a device yet: if the programs do not start (other system libraries there), build on the
# device instead with the kit's lib/ for the headers' libraries.
set -uo pipefail
cd "$(dirname "$0")/.."
kit="${KIT:-.devkit}"
out="${OUT:-/tmp/triode-device}"
mkdir -p "$out"
[ -x "$kit/bin/triode" ] || { echo "device-run: $kit/bin/triode missing: run scripts/device-kit.sh here and carry $kit" >&2; exit 1; }
export LD_LIBRARY_PATH="$PWD/$kit/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export TRIODE_SHARED="$PWD/$kit/shared"
part="${1:-check+fixed}"
quick="${2:-}"
if [ "$part" = quick ]; then part=check+fixed; quick=quick; fi
secs=2; limit=60; check_secs=3
if [ "$quick" = quick ]; then secs=0.5; limit=15; check_secs=1; fi
T="$kit/bin/triode"

{ nvidia-smi --query-gpu=name,clocks.sm,clocks.max.sm,memory.total --format=csv; nproc; } >"$out/machine.txt" 2>&1
cat "$out/machine.txt"

if [[ "$part" == check* ]]; then
  echo "== gpu_check"
  "$kit/bin/gpu_check" "$check_secs" 2 2>&1 | tee "$out/gpu_check.txt"
  echo "gpu_check exit ${PIPESTATUS[0]}" | tee -a "$out/gpu_check.txt"
fi

# The issue's workloads: model, block, instances to start the search from.
bench() {
  local label="$1"; shift
  echo "== $label"
  "$T" bench --gpu --seconds "$secs" --search-limit "$limit" "$@" 2>&1 | tee -a "$out/bench.txt"
}
for body in fixed general; do
  [[ "$part" == *"$body"* ]] || continue
  if [ "$body" = general ]; then export TRIODE_GPU_KERNEL=general; else unset TRIODE_GPU_KERNEL; fi
  bench "A1 standard, 128 ($body)" preset:a1-standard --block 128 --instances 4000 --find-max
  bench "A1 standard, 64 ($body)" preset:a1-standard --block 64 --instances 2000 --find-max
  bench "A2 full, 128 ($body)" preset:a2-full --block 128 --instances 2000 --find-max
  [ "$body" = fixed ] && bench "LSTM 1x16, 128" preset:lstm-1x16 --block 128 --instances 10000 --find-max
  bench "A1 standard offline, 4096 ($body)" preset:a1-standard --block 4096 --instances 4000
done
unset TRIODE_GPU_KERNEL
echo "device-run: logs in $out"
