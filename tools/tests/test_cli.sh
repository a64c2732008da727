#!/bin/sh
# End-to-end tests of the `triode` executable.
# usage: test_cli.sh CASE TRIODE SHARED_DIR SOURCE_DIR
# Each CASE is one ctest test. Test audio is made by the binary's hidden helpers (gen-test-audio, txt2f32, ...),
# so nothing beyond a POSIX shell is needed. Cases that need SHARED_DIR (reference models and oracles) exit 77
# (skipped) when it is missing, or fail when the CI variable is set.
set -u

CASE=$1
TRIODE=$2
SHARED=$3
SRC=$4
DEMO_MODEL="$SRC/models/triode_demo.nam"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/triode-cli.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
ERR="$TMP/stderr.txt"
OUT="$TMP/stdout.txt"
FAILED=0

fail() {
  echo "FAIL [$CASE]: $*"
  FAILED=1
}

# expect RC COMMAND...: runs COMMAND (stdout to $OUT, stderr to $ERR) and checks its exit status.
expect() {
  want=$1
  shift
  "$@" >"$OUT" 2>"$ERR"
  got=$?
  if [ "$got" -ne "$want" ]; then
    fail "expected exit $want, got $got: $*"
    sed 's/^/    stderr: /' "$ERR" | head -5
  fi
}

# stderr_has TEXT: the last command's stderr contains TEXT.
stderr_has() {
  grep -qF -- "$1" "$ERR" || fail "stderr lacks '$1' (got: $(head -c 300 "$ERR"))"
}

stdout_has() {
  grep -qF -- "$1" "$OUT" || fail "stdout lacks '$1' (got: $(head -c 300 "$OUT"))"
}

# audio_info FILE: prints "frames=N channels=C rate=R".
audio_info() {
  "$TRIODE" audio-info "$1" 2>/dev/null
}

need_shared() {
  if [ ! -d "$SHARED/models" ] || [ ! -d "$SHARED/oracles" ]; then
    if [ -n "${CI:-}" ]; then
      echo "FAIL [$CASE]: reference folder '$SHARED' is missing (needed in CI)"
      exit 1
    fi
    echo "SKIP [$CASE]: reference folder '$SHARED' not found"
    exit 77
  fi
}

need_demo_model() {
  [ -f "$DEMO_MODEL" ] || { echo "FAIL [$CASE]: $DEMO_MODEL is missing"; exit 1; }
}

case_exit_codes() {
  need_demo_model
  expect 1 "$TRIODE"
  expect 0 "$TRIODE" --help
  stdout_has "render"
  expect 0 "$TRIODE" --version
  stdout_has "triode "
  expect 0 "$TRIODE" help render
  stdout_has "--block"
  expect 0 "$TRIODE" render --help
  stdout_has "--calibrate"
  expect 0 "$TRIODE" info -h
  expect 0 "$TRIODE" demo --help
  expect 1 "$TRIODE" help nosuchcommand
  expect 1 "$TRIODE" nosuchcommand
  expect 1 "$TRIODE" render
  expect 1 "$TRIODE" render "$DEMO_MODEL" "$TMP/in.wav"
  expect 1 "$TRIODE" render "$DEMO_MODEL" a b c
  "$TRIODE" gen-test-audio "$TMP/in.wav" --seconds 0.2 || fail "gen-test-audio"
  expect 1 "$TRIODE" render "$DEMO_MODEL" "$TMP/in.wav" "$TMP/o.wav" --bogus
  stderr_has "unknown option '--bogus'"
  expect 1 "$TRIODE" render "$DEMO_MODEL" "$TMP/in.wav" "$TMP/o.wav" --block 0
  expect 1 "$TRIODE" render "$DEMO_MODEL" "$TMP/in.wav" "$TMP/o.wav" --block abc
  expect 1 "$TRIODE" render "$DEMO_MODEL" "$TMP/in.wav" "$TMP/o.wav" --slim 2
  expect 1 "$TRIODE" render "$DEMO_MODEL" "$TMP/in.wav" "$TMP/o.wav" --input-gain
  expect 1 "$TRIODE" render "$DEMO_MODEL" "$TMP/in.wav" "$TMP/o.wav" --mono=yes
  expect 1 "$TRIODE" render "$DEMO_MODEL" "$TMP/in.wav" "$TMP/in.wav"
  expect 2 "$TRIODE" render "$TMP/no_such_model.nam" "$TMP/in.wav" "$TMP/o.wav"
  expect 3 "$TRIODE" render "$DEMO_MODEL" "$TMP/no_such_input.wav" "$TMP/o.wav"
  expect 0 "$TRIODE" render "$DEMO_MODEL" "$TMP/in.wav" "$TMP/o.wav"
  [ -f "$TMP/o.wav" ] || fail "render wrote no output"
}

case_oracle() {
  need_shared
  "$TRIODE" txt2f32 "$SHARED/oracles/input_sine_8192.txt" "$TMP/sine.f32" || fail "txt2f32"
  for variant in "std" "fasttanh:--fast-tanh"; do
    name=${variant%%:*}
    option=${variant#*:}
    [ "$option" = "$variant" ] && option=""
    # shellcheck disable=SC2086 # $option is one word or nothing
    expect 0 "$TRIODE" render "$SHARED/models/wavenet_a1_standard.nam" "$TMP/sine.f32" "$TMP/out_$name.f32" \
      --raw-f32 --quiet $option
    expect 0 "$TRIODE" cmp-f32 "$TMP/out_$name.f32" "$SHARED/oracles/wavenet_a1_standard__sine__$name.txt" \
      --rtol 1e-5
    cat "$OUT"
  done
  # Blocks of odd sizes give the same stream.
  expect 0 "$TRIODE" render "$SHARED/models/wavenet.nam" "$TMP/sine.f32" "$TMP/b7.f32" --raw-f32 --block 7 -q
  expect 0 "$TRIODE" cmp-f32 "$TMP/b7.f32" "$SHARED/oracles/wavenet__sine__std.txt" --rtol 1e-5
}

case_resample() {
  need_demo_model
  for rate in 44100 96000; do
    "$TRIODE" gen-test-audio "$TMP/in$rate.wav" --rate $rate --seconds 1.3 --format pcm16 || fail "gen-test-audio"
    expect 0 "$TRIODE" render "$DEMO_MODEL" "$TMP/in$rate.wav" "$TMP/out$rate.wav"
    stderr_has "resampling $rate Hz -> 48000 Hz and back"
    want=$(audio_info "$TMP/in$rate.wav")
    got=$(audio_info "$TMP/out$rate.wav")
    [ "$want" = "$got" ] || fail "resampled output '$got' differs from input '$want'"
  done
  # Odd lengths too: no frame may be lost at the end.
  "$TRIODE" gen-test-audio "$TMP/odd.wav" --rate 22050 --seconds 0.123457 || fail "gen-test-audio"
  expect 0 "$TRIODE" render "$DEMO_MODEL" "$TMP/odd.wav" "$TMP/odd_out.wav" --quiet
  [ "$(audio_info "$TMP/odd.wav")" = "$(audio_info "$TMP/odd_out.wav")" ] || fail "odd-length resampled output"
  [ ! -s "$ERR" ] || fail "--quiet still printed: $(cat "$ERR")"
  # Through an identity model, resampling up and back returns the input: same length, same timing.
  printf '{"version":"0.5.4","architecture":"Linear","config":{"receptive_field":1,"bias":false},"weights":[1]}' \
    >"$TMP/identity.nam"
  "$TRIODE" gen-test-audio "$TMP/st441.wav" --rate 44100 --channels 2 --seconds 0.5 --format float ||
    fail "gen-test-audio"
  expect 0 "$TRIODE" render "$TMP/identity.nam" "$TMP/st441.wav" "$TMP/st441_out.wav"
  stderr_has "resampling 44100 Hz -> 48000 Hz and back"
  expect 0 "$TRIODE" cmp-f32 "$TMP/st441_out.wav" "$TMP/st441.wav" --rtol 1e-3
  # No resampling at the model's rate.
  "$TRIODE" gen-test-audio "$TMP/in48.wav" --rate 48000 --seconds 0.5 || fail "gen-test-audio"
  expect 0 "$TRIODE" render "$DEMO_MODEL" "$TMP/in48.wav" "$TMP/out48.wav"
  if grep -q resampling "$ERR"; then fail "resampled a 48 kHz file for a 48 kHz model"; fi
}

case_stereo() {
  need_demo_model
  "$TRIODE" gen-test-audio "$TMP/st.wav" --channels 2 --seconds 0.7 --format pcm24 || fail "gen-test-audio"
  expect 0 "$TRIODE" render "$DEMO_MODEL" "$TMP/st.wav" "$TMP/st_out.wav"
  [ "$(audio_info "$TMP/st_out.wav")" = "frames=33600 channels=2 rate=48000" ] ||
    fail "stereo output: $(audio_info "$TMP/st_out.wav")"
  expect 0 "$TRIODE" render "$DEMO_MODEL" "$TMP/st.wav" "$TMP/mono_out.wav" --mono
  [ "$(audio_info "$TMP/mono_out.wav")" = "frames=33600 channels=1 rate=48000" ] ||
    fail "--mono output: $(audio_info "$TMP/mono_out.wav")"
}

case_multichannel() {
  need_demo_model
  "$TRIODE" gen-test-audio "$TMP/ch8.wav" --channels 8 --rate 44100 --seconds 0.4 || fail "gen-test-audio"
  expect 0 "$TRIODE" render "$DEMO_MODEL" "$TMP/ch8.wav" "$TMP/ch8_out.wav" --block 128
  [ "$(audio_info "$TMP/ch8_out.wav")" = "frames=17640 channels=8 rate=44100" ] ||
    fail "8-channel output: $(audio_info "$TMP/ch8_out.wav")"
}

case_bad_audio() {
  need_demo_model
  : >"$TMP/empty.wav"
  echo "this is not audio, just text in a file named .wav" >"$TMP/text.wav"
  mkdir "$TMP/dir.wav"
  # Headerless bytes: libsndfile cannot tell their format.
  i=0
  while [ $i -lt 64 ]; do printf 'RAWDATA-RAWDATA-' >>"$TMP/raw.wav"; i=$((i + 1)); done
  for bad in empty text dir raw; do
    expect 3 "$TRIODE" render "$DEMO_MODEL" "$TMP/$bad.wav" "$TMP/out_$bad.wav"
    stderr_has "$TMP/$bad.wav"
    [ ! -e "$TMP/out_$bad.wav" ] || fail "a failed render left $TMP/out_$bad.wav"
  done
  expect 3 "$TRIODE" render "$DEMO_MODEL" "$TMP/missing.wav" "$TMP/out.wav"
  stderr_has "missing.wav"
  # Raw float32 needs a multiple of 4 bytes.
  printf 'abc' >"$TMP/three.f32"
  expect 3 "$TRIODE" render "$DEMO_MODEL" "$TMP/three.f32" "$TMP/out.f32" --raw-f32
  # An output that cannot be created.
  "$TRIODE" gen-test-audio "$TMP/good.wav" --seconds 0.1 || fail "gen-test-audio"
  expect 3 "$TRIODE" render "$DEMO_MODEL" "$TMP/good.wav" "$TMP/no/such/dir/out.wav"
  stderr_has "$TMP/no/such/dir/out.wav"
}

case_bad_model() {
  need_demo_model
  "$TRIODE" gen-test-audio "$TMP/in.wav" --seconds 0.1 || fail "gen-test-audio"
  echo "not json" >"$TMP/text.nam"
  : >"$TMP/empty.nam"
  head -c 300 "$DEMO_MODEL" >"$TMP/truncated.nam"
  printf '{"version":"0.5.4","architecture":"Linear","config":{"receptive_field":3,"bias":false},"weights":[1]}' \
    >"$TMP/count.nam"
  printf '{"version":"0.9.0","architecture":"Linear","config":{"receptive_field":1,"bias":false},"weights":[1]}' \
    >"$TMP/version.nam"
  printf '{"version":"0.5.4","architecture":"Linear","config":{"receptive_field":1,"bias":false,"out_channels":2},"weights":[1]}' \
    >"$TMP/stereo_out.nam"
  for bad in text empty truncated count version stereo_out; do
    expect 2 "$TRIODE" render "$TMP/$bad.nam" "$TMP/in.wav" "$TMP/out.wav"
    stderr_has "triode: "
    [ ! -e "$TMP/out.wav" ] || fail "a failed render left an output file"
    [ "$bad" = stereo_out ] || expect 2 "$TRIODE" info "$TMP/$bad.nam"
  done
  expect 2 "$TRIODE" render "$TMP" "$TMP/in.wav" "$TMP/out.wav"
  # A model whose output overflows: rendered, with a warning.
  printf '{"version":"0.5.4","architecture":"Linear","config":{"receptive_field":1,"bias":false},"weights":[3e38]}' \
    >"$TMP/huge.nam"
  expect 0 "$TRIODE" render "$TMP/huge.nam" "$TMP/in.wav" "$TMP/out.wav" --input-gain 100
  stderr_has "NaN or infinite"
}

case_options() {
  need_demo_model
  "$TRIODE" gen-test-audio "$TMP/in.wav" --seconds 0.3 || fail "gen-test-audio"
  M=$DEMO_MODEL
  expect 0 "$TRIODE" render --block 32 --output-gain=-6 "$M" --mono "$TMP/in.wav" "$TMP/a.wav" --quiet
  [ -f "$TMP/a.wav" ] || fail "options before and between positionals"
  expect 0 "$TRIODE" render "$M" "$TMP/in.wav" "$TMP/b.wav" --input-gain -3 --normalize --calibrate 14
  stderr_has "normalize: model loudness"
  stderr_has "calibration: input 14.0 dBu"
  expect 0 "$TRIODE" render "$M" "$TMP/in.wav" "$TMP/c.wav" --slim 0.5 --fast-tanh --no-prewarm --film-snapshot
  stderr_has "not slimmable"
  expect 0 "$TRIODE" render -- "$M" "$TMP/in.wav" "$TMP/d.wav"
  # The block size does not change the result.
  printf '0.1\n0.5\n-0.3\n0.8\n' >"$TMP/x.txt"
  i=0
  while [ $i -lt 9 ]; do cat "$TMP/x.txt" "$TMP/x.txt" >"$TMP/y.txt"; mv "$TMP/y.txt" "$TMP/x.txt"; i=$((i + 1)); done
  "$TRIODE" txt2f32 "$TMP/x.txt" "$TMP/x.f32" || fail "txt2f32"
  expect 0 "$TRIODE" render "$M" "$TMP/x.f32" "$TMP/x64.f32" --raw-f32
  expect 0 "$TRIODE" render "$M" "$TMP/x.f32" "$TMP/x5.f32" --raw-f32 --block 5
  expect 0 "$TRIODE" cmp-f32 "$TMP/x5.f32" "$TMP/x64.f32" --rtol 1e-5
  # Gains in dB: -6.0206 dB of output gain halves the output.
  expect 0 "$TRIODE" render "$M" "$TMP/x.f32" "$TMP/xh.f32" --raw-f32 --output-gain -6.0205999
  expect 1 "$TRIODE" cmp-f32 "$TMP/xh.f32" "$TMP/x64.f32" --rtol 1e-3
}

case_info_json() {
  need_demo_model
  expect 0 "$TRIODE" info "$DEMO_MODEL"
  stdout_has "triode demo overdrive"
  stdout_has "parameters:"
  expect 0 "$TRIODE" info --json "$DEMO_MODEL"
  cp "$OUT" "$TMP/info.json"
  expect 0 "$TRIODE" json-check "$TMP/info.json"
  for key in '"architecture"' '"parameters"' '"sample_rate"' '"receptive_field"' '"metadata"' '"describe"'; do
    grep -q "$key" "$TMP/info.json" || fail "info --json lacks $key"
  done
  if [ -d "$SHARED/models" ]; then
    for model in "$SHARED"/models/*.nam "$SHARED"/models/synthetic/*.nam; do
      expect 0 "$TRIODE" info "$model" --json
      cp "$OUT" "$TMP/m.json"
      expect 0 "$TRIODE" json-check "$TMP/m.json"
    done
  fi
}

case_demo() {
  need_demo_model
  expect 0 "$TRIODE" demo --out-dir "$TMP/demo/nested"
  for f in di out; do
    info=$(audio_info "$TMP/demo/nested/$f.wav")
    case "$info" in
    "frames=336000 channels=1 rate=48000") ;;
    *) fail "demo $f.wav: '$info'" ;;
    esac
  done
  stdout_has "real-time factor"
  stdout_has "triode demo overdrive"
  expect 1 "$TRIODE" demo extra-argument
}

case_demo_model() {
  need_demo_model
  expect 0 "$TRIODE" gen-demo-model "$TMP/demo.nam"
  # The checked-in model must be what the generator writes (loudness is compared to 0.01 dB by its rounding, and
  # is left out so that a different libm cannot fail the test).
  grep -v '"loudness"' "$TMP/demo.nam" >"$TMP/a.txt"
  grep -v '"loudness"' "$DEMO_MODEL" >"$TMP/b.txt"
  cmp -s "$TMP/a.txt" "$TMP/b.txt" || fail "models/triode_demo.nam is out of date: run 'triode gen-demo-model'"
  grep -q '"loudness"' "$TMP/demo.nam" || fail "the demo model has no loudness"
}

# rtf_of MODEL ISA BLOCK: the RTF column of that row of the bench table in $OUT, without its "x" ("" if absent).
rtf_of() {
  awk -v m="$1" -v i="$2" -v b="$3" '$1 == m && $2 == i && $3 == b { sub(/x$/, "", $4); print $4 }' "$OUT"
}

# positive NUMBER: true when NUMBER is a number > 0.
positive() {
  awk -v v="$1" 'BEGIN { exit !(v + 0 > 0) }'
}

case_bench() {
  isa=$("$TRIODE" bench preset:a1-nano --seconds 0.05 --runs 1 --json | sed -n 's/.*"isa":[^"]*"\([a-z0-9]*\)".*/\1/p')
  [ -n "$isa" ] || fail "bench --json gave no isa"
  models="preset:a1-nano"
  if [ -f "$SHARED/models/wavenet.nam" ]; then
    models="$models $SHARED/models/wavenet.nam"
  elif [ -n "${CI:-}" ]; then
    fail "reference folder '$SHARED' is missing (needed in CI)"
  else
    echo "note [$CASE]: '$SHARED' not found, benchmarking the preset only"
  fi
  # shellcheck disable=SC2086 # $models is a list of words without spaces
  expect 0 "$TRIODE" bench $models --seconds 0.2 --runs 1 --block 16,64
  stdout_has "ns/sample"
  stdout_has "memory KiB"
  stdout_has "GMAC/s"
  cat "$OUT"
  for m in $models; do
    name=$(basename "$m" .nam)
    for block in 16 64; do
      rtf=$(rtf_of "$name" "$isa" "$block")
      positive "$rtf" || fail "no positive RTF for $name, $isa, block $block (got '$rtf')"
    done
  done
  # --json: one array of records.
  # shellcheck disable=SC2086
  expect 0 "$TRIODE" bench $models --seconds 0.2 --runs 1 --json
  cp "$OUT" "$TMP/bench.json"
  expect 0 "$TRIODE" json-check --array "$TMP/bench.json"
  for key in '"model"' '"isa"' '"block"' '"rtf"' '"ns_per_sample"' '"memory_bytes"' '"load_ms"' '"prewarm_ms"' \
    '"multiply_adds_per_sample"' '"gmacs"' '"fma_peak_gmacs"' '"tanh_per_sample"' '"sigmoid_per_sample"' \
    '"fast_tanh_per_sample"' '"step_multiply_adds"' '"ceiling_rtf"'; do
    grep -q "$key" "$TMP/bench.json" || fail "bench --json lacks $key"
  done
  # --isa all: a measured row for every level this CPU runs, which the explicit list tells apart from skipped.
  expect 0 "$TRIODE" bench preset:a1-nano --seconds 0.05 --runs 1 --isa scalar,sse2,avx2,avx512,neon
  cp "$OUT" "$TMP/explicit.txt"
  expect 0 "$TRIODE" bench preset:a1-nano --seconds 0.05 --runs 1 --isa all --block 32
  cat "$OUT"
  for level in scalar sse2 avx2 avx512 neon; do
    if grep -q "^preset:a1-nano  *$level  *- *skipped" "$TMP/explicit.txt"; then
      [ -z "$(rtf_of preset:a1-nano $level 32)" ] || fail "--isa all measured $level, which is not supported"
    else
      positive "$(rtf_of preset:a1-nano $level 32)" || fail "--isa all lacks the supported level $level"
    fi
  done
  positive "$(rtf_of preset:a1-nano scalar 32)" || fail "scalar was not measured"
  # Default models are all the presets; a bad model is reported and the others still measured.
  expect 2 "$TRIODE" bench "$TMP/missing.nam" preset:lstm-1x16 --seconds 0.02 --runs 1 --fast-tanh
  positive "$(rtf_of preset:lstm-1x16 "$isa" 64)" || fail "the model after a bad one was not measured"
  stderr_has "missing.nam"
  # --slim: slimmable models run at that size and say so in the model column; others run at their only size.
  if [ -f "$SHARED/models/A2.nam" ]; then
    expect 0 "$TRIODE" bench "$SHARED/models/A2.nam" preset:a1-nano --slim 0 --seconds 0.05 --runs 1 --block 64
    positive "$(rtf_of A2:slim=0 "$isa" 64)" || fail "bench --slim 0 gave no row for A2:slim=0"
    positive "$(rtf_of preset:a1-nano "$isa" 64)" || fail "bench --slim skipped the model that is not slimmable"
    stderr_has "not slimmable"
    expect 0 "$TRIODE" bench "$SHARED/models/A2.nam" --slim 0 --seconds 0.05 --runs 1 --json
    grep -q '"slim":[[:space:]]*0' "$OUT" || fail "bench --slim --json lacks the slim value"
  fi
  expect 1 "$TRIODE" bench preset:a1-nano --slim 1.5
  expect 1 "$TRIODE" bench --gpu --slim 0
  expect 1 "$TRIODE" bench preset:a1-nano --isa bogus
  expect 1 "$TRIODE" bench preset:a1-nano --block 0
  expect 1 "$TRIODE" bench preset:a1-nano --block 16,,32
  expect 1 "$TRIODE" bench preset:a1-nano --runs 0
  expect 2 "$TRIODE" bench preset:no-such-preset --seconds 0.02 --runs 1
  expect 0 "$TRIODE" help bench
  stdout_has "preset:a2-full"
}

case_gen_model() {
  for spec in a1-standard:13802 a1-lite:6554 a1-feather:3026 a1-nano:842 a2-full:12146 a2-lite:1871 \
    lstm-1x16:1201 lstm-2x24:7321; do
    preset=${spec%%:*}
    count=${spec#*:}
    expect 0 "$TRIODE" gen-model --preset "$preset" "$TMP/$preset.nam"
    rms=$(sed -n 's/.* out at RMS \([-0-9.]*\) dBFS.*/\1/p' "$ERR")
    echo "$preset: $count weights, output RMS $rms dBFS for the bench signal"
    awk -v r="$rms" 'BEGIN { exit !(r != "" && r >= -30 && r <= -10) }' ||
      fail "$preset: output RMS '$rms' dBFS is outside [-30, -10]"
    expect 0 "$TRIODE" info --json "$TMP/$preset.nam"
    grep -q "\"parameters\":[[:space:]]*$count," "$OUT" || fail "$preset: the library does not count $count weights"
  done
  # Deterministic: the same seed gives the same bytes, another seed another model.
  expect 0 "$TRIODE" gen-model --preset a1-nano --seed 1 "$TMP/again.nam" --quiet
  cmp -s "$TMP/a1-nano.nam" "$TMP/again.nam" || fail "the same seed gave a different file"
  expect 0 "$TRIODE" gen-model --preset a1-nano --seed 2 "$TMP/seed2.nam"
  if cmp -s "$TMP/a1-nano.nam" "$TMP/seed2.nam"; then fail "seeds 1 and 2 gave the same file"; fi
  grep -q '"triode preset a1-nano seed 2"' "$TMP/seed2.nam" || fail "metadata name lacks the seed"
  grep -q '"version":[[:space:]]*"0.7.0"' "$TMP/a2-lite.nam" || fail "A2 presets must be file version 0.7.0"
  grep -q '"version":[[:space:]]*"0.5.4"' "$TMP/lstm-1x16.nam" || fail "LSTM presets must be file version 0.5.4"
  expect 1 "$TRIODE" gen-model "$TMP/x.nam"
  expect 1 "$TRIODE" gen-model --preset a1-huge "$TMP/x.nam"
  expect 1 "$TRIODE" gen-model --preset a1-nano --seed -1 "$TMP/x.nam"
  expect 3 "$TRIODE" gen-model --preset a1-nano "$TMP/no/such/dir/x.nam"
}

case_threads() {
  need_demo_model
  M=$DEMO_MODEL
  "$TRIODE" gen-test-audio "$TMP/st.wav" --channels 2 --seconds 1.1 || fail "gen-test-audio"
  "$TRIODE" gen-test-audio "$TMP/mono.wav" --seconds 0.6 --format pcm16 || fail "gen-test-audio"
  "$TRIODE" gen-test-audio "$TMP/five.wav" --channels 5 --rate 44100 --seconds 0.5 || fail "gen-test-audio"
  # The channels of one file in parallel: the same samples as one thread.
  expect 0 "$TRIODE" render "$M" "$TMP/st.wav" "$TMP/st1.wav" --threads 1
  expect 0 "$TRIODE" render "$M" "$TMP/st.wav" "$TMP/st2.wav" --threads 2
  expect 0 "$TRIODE" cmp-f32 "$TMP/st2.wav" "$TMP/st1.wav" --rtol 0
  expect 0 "$TRIODE" render "$M" "$TMP/five.wav" "$TMP/five1.wav" --block 37
  expect 0 "$TRIODE" render "$M" "$TMP/five.wav" "$TMP/five3.wav" --block 37 --threads 3
  expect 0 "$TRIODE" cmp-f32 "$TMP/five3.wav" "$TMP/five1.wav" --rtol 0
  # Three files, two at a time, into a new folder: each equals its single-file render.
  expect 0 "$TRIODE" render "$M" "$TMP/st.wav" "$TMP/mono.wav" "$TMP/five.wav" --out-dir "$TMP/batch/out" \
    --threads 2
  for name in st mono five; do
    expect 0 "$TRIODE" render "$M" "$TMP/$name.wav" "$TMP/single_$name.wav"
    expect 0 "$TRIODE" cmp-f32 "$TMP/batch/out/$name.wav" "$TMP/single_$name.wav" --rtol 0
  done
  expect 0 "$TRIODE" render "$M" "$TMP/st.wav" "$TMP/mono.wav" --out-dir "$TMP/batch1" --quiet
  expect 0 "$TRIODE" cmp-f32 "$TMP/batch1/mono.wav" "$TMP/single_mono.wav" --rtol 0
  [ ! -s "$ERR" ] || fail "--quiet still printed: $(cat "$ERR")"
  # Usage errors: two inputs with one output name, no input, a bad thread count; a bad file fails alone.
  mkdir -p "$TMP/other"
  cp "$TMP/mono.wav" "$TMP/other/mono.wav"
  expect 1 "$TRIODE" render "$M" "$TMP/mono.wav" "$TMP/other/mono.wav" --out-dir "$TMP/dup"
  stderr_has "would both be written"
  expect 1 "$TRIODE" render "$M" --out-dir "$TMP/none"
  expect 1 "$TRIODE" render "$M" "$TMP/st.wav" "$TMP/o.wav" --threads 0
  expect 3 "$TRIODE" render "$M" "$TMP/missing.wav" "$TMP/mono.wav" --out-dir "$TMP/partial" --threads 2
  [ -f "$TMP/partial/mono.wav" ] || fail "a bad input stopped the other files"
  [ ! -e "$TMP/partial/missing.wav" ] || fail "a failed file left an output"
}

# The batch render on the host backend (the CUDA kernels' source, run on the CPU) equals the CPU render within
# 1e-4·max(1, |y|), with the same block size so that both prewarm alike: many files through one model, and one
# file through every model of a folder.
case_gpu_render() {
  need_shared
  W="$SHARED/models/wavenet.nam"
  L="$SHARED/models/lstm.nam"
  "$TRIODE" gen-test-audio "$TMP/st.wav" --channels 2 --rate 44100 --seconds 0.6 || fail "gen-test-audio"
  "$TRIODE" gen-test-audio "$TMP/mono.wav" --seconds 0.9 --format pcm16 || fail "gen-test-audio"
  expect 0 "$TRIODE" render --gpu --backend host "$W" "$TMP/st.wav" "$TMP/mono.wav" --out-dir "$TMP/files"
  stderr_has "batch: host backend, 3 instances in 1 group, blocks of 128"
  for name in st mono; do
    expect 0 "$TRIODE" render "$W" "$TMP/$name.wav" "$TMP/cpu_$name.wav" --block 128 --quiet
    expect 0 "$TRIODE" cmp-f32 "$TMP/files/$name.wav" "$TMP/cpu_$name.wav" --rtol 1e-4
    [ "$(audio_info "$TMP/files/$name.wav")" = "$(audio_info "$TMP/$name.wav")" ] || fail "$name: length or format"
  done
  # One file, gains and --mono, block 64: MODEL IN OUT.
  expect 0 "$TRIODE" render --gpu --backend host "$L" "$TMP/st.wav" "$TMP/one.wav" --block 64 --mono \
    --input-gain 6 --output-gain -3 --quiet
  expect 0 "$TRIODE" render "$L" "$TMP/st.wav" "$TMP/cpu_one.wav" --block 64 --mono --input-gain 6 --output-gain -3 -q
  expect 0 "$TRIODE" cmp-f32 "$TMP/one.wav" "$TMP/cpu_one.wav" --rtol 1e-4
  # --models: the stereo file through a WaveNet and an LSTM (two shape groups) into DIR/<model>.wav.
  mkdir "$TMP/models"
  cp "$W" "$L" "$TMP/models/"
  expect 0 "$TRIODE" render --gpu --backend host --models "$TMP/models" "$TMP/st.wav" --out-dir "$TMP/by_model"
  stderr_has "4 instances in 2 groups"
  for m in wavenet lstm; do
    expect 0 "$TRIODE" render "$TMP/models/$m.nam" "$TMP/st.wav" "$TMP/cpu_$m.wav" --block 128 --quiet
    expect 0 "$TRIODE" cmp-f32 "$TMP/by_model/$m.wav" "$TMP/cpu_$m.wav" --rtol 1e-4
    cat "$OUT"
  done
  # A model the batch refuses is named with the reason (exit 2); the others are still rendered.
  cp "$SHARED/models/wavenet_condition_dsp.nam" "$TMP/models/"
  expect 2 "$TRIODE" render --gpu --backend host --models "$TMP/models" "$TMP/mono.wav" --out-dir "$TMP/refused"
  stderr_has "wavenet_condition_dsp.nam: the batch cannot run this model"
  stderr_has "condition_dsp"
  [ -f "$TMP/refused/lstm.wav" ] && [ -f "$TMP/refused/wavenet.wav" ] || fail "a refused model stopped the others"
  [ ! -e "$TMP/refused/wavenet_condition_dsp.wav" ] || fail "a refused model left an output"
  # Usage errors.
  expect 1 "$TRIODE" render --gpu --models "$TMP/models" "$TMP/mono.wav"
  expect 1 "$TRIODE" render --gpu --models "$TMP/models" "$TMP/mono.wav" "$TMP/st.wav" --out-dir "$TMP/x"
  expect 1 "$TRIODE" render --backend host "$W" "$TMP/mono.wav" "$TMP/x.wav"
  expect 1 "$TRIODE" render --models "$TMP/models" "$TMP/mono.wav" --out-dir "$TMP/x"
  expect 1 "$TRIODE" render --gpu --threads 2 "$W" "$TMP/mono.wav" "$TMP/x.wav"
  expect 1 "$TRIODE" render --gpu --slim 0.5 "$W" "$TMP/mono.wav" "$TMP/x.wav"
  expect 1 "$TRIODE" render --gpu --backend opencl "$W" "$TMP/mono.wav" "$TMP/x.wav"
  expect 1 "$TRIODE" render --gpu --models "$TMP/no_such_dir" "$TMP/mono.wav" --out-dir "$TMP/x"
  expect 3 "$TRIODE" render --gpu --backend host "$W" "$TMP/missing.wav" "$TMP/mono.wav" --out-dir "$TMP/partial"
  [ -f "$TMP/partial/mono.wav" ] || fail "a bad input stopped the other files"
  expect 0 "$TRIODE" help render
  stdout_has "--models DIR"
}

# us_of COLUMN: that column of the first "measure" row of the bench --gpu table in $OUT.
us_of() {
  awk -v c="$1" '$1 == "measure" { print $c; exit }' "$OUT"
}

case_gpu_bench() {
  expect 0 "$TRIODE" bench --gpu --backend host --instances 4 --block 64 --seconds 0.1
  cat "$OUT"
  stdout_has "host backend"
  stdout_has "preset:a1-standard"
  for column in "budget us" "p50 us" "p99 us" "max us" "fits" "agg RTF"; do stdout_has "$column"; done
  # Columns: run N/model instances groups block budget p50 p99 max fits RTF build.
  [ "$(us_of 3)" = 4 ] && [ "$(us_of 5)" = 64 ] || fail "the row is not 4 instances of blocks of 64"
  [ "$(us_of 6)" = 1333.3 ] || fail "budget of 64 frames at 48 kHz is not 1333.3 us (got '$(us_of 6)')"
  for column in 7 8 9; do positive "$(us_of $column)" || fail "column $column is not a positive latency"; done
  expect 0 "$TRIODE" bench --gpu --backend host --instances 4 --block 64 --seconds 0.1 --json
  cp "$OUT" "$TMP/gpu.json"
  expect 0 "$TRIODE" json-check --array "$TMP/gpu.json"
  for key in '"backend"' '"p50_us"' '"p99_us"' '"max_us"' '"budget_us"' '"fits"' '"rtf"' '"instances"'; do
    grep -q "$key" "$TMP/gpu.json" || fail "bench --gpu --json lacks $key"
  done
  # --find-max on a small model, two models in one batch, with a short time limit.
  expect 0 "$TRIODE" bench --gpu --backend host preset:lstm-1x16 preset:a1-nano --instances 1 --block 32 \
    --seconds 0.05 --find-max --search-limit 2
  cat "$OUT"
  stdout_has "--find-max, block 32"
  expect 0 "$TRIODE" bench --gpu --backend host preset:lstm-1x16 --instances 2 --block 32 --seconds 0.05 \
    --find-max --search-limit 1 --json
  cp "$OUT" "$TMP/find.json"
  expect 0 "$TRIODE" json-check --array "$TMP/find.json"
  grep -q '"max_instances_per_model"' "$TMP/find.json" || fail "bench --find-max --json lacks the answer"
  # Options: batch-only ones need --gpu, CPU-only ones do not apply; a refused model is named (exit 2).
  expect 1 "$TRIODE" bench --instances 4
  expect 1 "$TRIODE" bench --gpu --isa scalar
  expect 1 "$TRIODE" bench --gpu --runs 3
  expect 1 "$TRIODE" bench --gpu --instances 0
  expect 1 "$TRIODE" bench --gpu --backend vulkan
  expect 2 "$TRIODE" bench --gpu --backend host preset:no-such-preset --seconds 0.02
  expect 0 "$TRIODE" help bench
  stdout_has "--find-max"
}

# --backend cuda where it cannot run (no GPU, or built without CUDA): a clear message and exit 5, never a crash.
# Where it runs, the CUDA render must match the CPU render like the host backend does.
case_gpu_backend() {
  need_demo_model
  M=$DEMO_MODEL
  "$TRIODE" gen-test-audio "$TMP/in.wav" --seconds 0.4 || fail "gen-test-audio"
  "$TRIODE" render --gpu --backend cuda "$M" "$TMP/in.wav" "$TMP/cuda.wav" >"$OUT" 2>"$ERR"
  rc=$?
  case $rc in
  0)
    echo "note [$CASE]: a CUDA device is usable here; checking its output against the CPU"
    expect 0 "$TRIODE" render "$M" "$TMP/in.wav" "$TMP/cpu.wav" --block 128 --quiet
    expect 0 "$TRIODE" cmp-f32 "$TMP/cuda.wav" "$TMP/cpu.wav" --rtol 1e-4
    expect 0 "$TRIODE" bench --gpu --backend cuda --instances 16 --block 128 --seconds 0.1
    stdout_has "cuda backend"
    ;;
  5)
    cat "$ERR"
    grep -Eq 'no usable CUDA device|built without CUDA' "$ERR" || fail "no reason given: $(cat "$ERR")"
    [ ! -e "$TMP/cuda.wav" ] || fail "a failed --backend cuda left an output"
    expect 5 "$TRIODE" bench --gpu --backend cuda --instances 4 --block 64 --seconds 0.1
    stderr_has 'batch backend "cuda"'
    # auto falls back to the host backend.
    expect 0 "$TRIODE" render --gpu "$M" "$TMP/in.wav" "$TMP/auto.wav"
    stderr_has "host backend"
    ;;
  *) fail "render --gpu --backend cuda exited $rc: $(cat "$ERR")" ;;
  esac
}

case "$CASE" in
exit_codes | oracle | resample | stereo | multichannel | bad_audio | bad_model | options | info_json | demo | \
  demo_model | bench | gen_model | threads | gpu_render | gpu_bench | gpu_backend)
  "case_$CASE"
  ;;
*)
  echo "unknown case '$CASE'"
  exit 2
  ;;
esac
[ $FAILED -eq 0 ] && echo "PASS [$CASE]"
exit $FAILED
