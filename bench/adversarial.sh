#!/usr/bin/env bash
# Adversarial inputs at the caps: each shape a pull request could write, generated up to the
# 4 MiB file cap (or the node cap), linted by shipgate-lint. Wall time and peak RSS of each run
# are reported as ratios against yaml-cpp alone loading the same file, measured in the same run.
# Targets (issue: lint hardening): every input within the caps in under 1 s and 128 MiB.
#   bench/adversarial.sh [BUILD_DIR]   (default: build-bench, a static Release build)
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench")"
build="${1:-$root/build-bench}"
out="$bench/out/adversarial"
"$root/scripts/install-deps"
command -v /usr/bin/time >/dev/null || { echo "adversarial.sh: needs /usr/bin/time (SHIPGATE_BENCH=1 scripts/install-deps)" >&2; exit 1; }
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSHIPGATE_BENCH=ON -DSHIPGATE_STATIC=ON -DSHIPGATE_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target shipgate-lint yaml_load_baseline >/dev/null
lint="$build/bin/shipgate-lint"
base="$build/bench/yaml_load_baseline"
mkdir -p "$out"
python3 "$bench/gen_adversarial.py" --out "$out"

# measure FILE TOOL ARGS...: "seconds max_rss_kib exit_code"
measure() {
  local f="$out/.time"
  set +e
  /usr/bin/time -f "%e %M %x" -o "$f" "$@" >/dev/null 2>&1
  set -e
  tail -n 1 "$f"  # GNU time puts "Command exited with non-zero status" first
}
printf '| input | size | shipgate-lint | peak RSS | exit | yaml-cpp alone | ratio (time) |\n|---|---|---|---|---|---|---|\n' \
  >"$out/results.md"
for file in "$out"/*.yml; do
  name=$(basename "$file" .yml)
  args=("$file")
  [ -f "$out/$name.envs" ] && args+=(--environments "$out/$name.envs")
  read -r l_s l_kib l_rc < <(measure "$lint" "${args[@]}")
  read -r b_s _ _ < <(measure "$base" "$file")
  ratio=$(python3 -c "print(f'{max($l_s,0.01)/max($b_s,0.01):.2f}x')")
  printf '| %s | %s KiB | %s s | %s MiB | %s | %s s | %s |\n' "$name" "$(( $(stat -c %s "$file") / 1024 ))" \
    "$l_s" "$(( l_kib / 1024 ))" "$l_rc" "$b_s" "$ratio" >>"$out/results.md"
done
# Repositories whose main workflow calls local actions (followed, each call evaluated again).
for repo in "$out"/*.repo; do
  name=$(basename "$repo" .repo)
  file="$repo/.github/workflows/main.yml"
  read -r l_s l_kib l_rc < <(measure "$lint" "$file")
  # The baseline loads every file of the repository once; lint evaluates callees once per call.
  mapfile -t all < <(find "$repo" -name '*.yml' | sort)
  read -r b_s _ _ < <(measure "$base" "${all[@]}")
  ratio=$(python3 -c "print(f'{max($l_s,0.01)/max($b_s,0.01):.2f}x')")
  size=$(du -sk "$repo" | cut -f1)
  printf '| %s | %s KiB | %s s | %s MiB | %s | %s s | %s |\n' "$name (repository)" "$size" \
    "$l_s" "$(( l_kib / 1024 ))" "$l_rc" "$b_s" "$ratio" >>"$out/results.md"
done
cat "$out/results.md"
