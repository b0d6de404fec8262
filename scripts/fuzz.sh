#!/usr/bin/env bash
# Builds the jsonpath libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each for
# FUZZ_SECONDS (default 60), seeded from the example expressions. Exits non-zero on any crash.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
BUILD_DIR=${BUILD_DIR:-build-fuzz}
JOBS=${JOBS:-$(nproc)}

cmake -S . -B "$BUILD_DIR" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPN_FUZZ=ON -DPN_BUILD_TESTS=OFF -DPN_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
  >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target jsonpath_parse_fuzzer jsonpath_eval_fuzzer

# Seed corpus: every example expression (and, for parse+evaluate, its document).
corpus="$BUILD_DIR/fuzz-corpus"
mkdir -p "$corpus/parse" "$corpus/eval"
python3 - "$corpus" <<'PY'
import json, sys, hashlib, os
corpus = sys.argv[1]
cases = json.load(open("testdata/jsonpath/jsonpath2-examples.json"))
for case in cases:
    expr = case["expr"].encode()
    name = hashlib.sha1(expr).hexdigest()
    open(os.path.join(corpus, "parse", name), "wb").write(expr)
    # parse+evaluate input: document, a NUL byte, then the expression.
    doc = json.dumps(case["doc"]).encode()
    both = doc + b"\0" + expr
    open(os.path.join(corpus, "eval", hashlib.sha1(both).hexdigest()), "wb").write(both)
PY

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for target in parse eval; do
  echo "== jsonpath_${target}_fuzzer for ${FUZZ_SECONDS}s"
  mkdir -p "$BUILD_DIR/fuzz-artifacts/$target"
  if ! "$BUILD_DIR/bin/jsonpath_${target}_fuzzer" -max_total_time="$FUZZ_SECONDS" \
      -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$BUILD_DIR/fuzz-artifacts/$target/" "$corpus/$target"; then
    echo "jsonpath_${target}_fuzzer found a crash; see $BUILD_DIR/fuzz-artifacts/$target/" >&2
    status=1
  fi
done
exit $status
