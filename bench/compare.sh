#!/usr/bin/env bash
# Compares shipgate-lint at another commit (before) with the working tree (after) on the
# generated corpus: both static Release builds, runs interleaved (before, after, before, ...) so a
# shared machine's changing load falls on both, compared by median wall and CPU time and peak RSS.
# Usage: bench/compare.sh COMMIT   Environment: RUNS (each, default 20), SEED, COUNT (corpus).
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench")"
out="$bench/out"
base="${1:?usage: bench/compare.sh COMMIT (the before side, e.g. a release tag)}"
runs="${RUNS:-20}"
sha="$(git -C "$root" rev-parse --short "$base^{commit}")"
SHIPGATE_BENCH=1 "$root/scripts/install-deps" >/dev/null

build() {  # build SOURCE_DIR BUILD_DIR
  cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release -DSHIPGATE_STATIC=ON -DSHIPGATE_TESTS=OFF >/dev/null
  cmake --build "$2" -j"$(nproc)" --target shipgate-lint >/dev/null
}
mkdir -p "$out"
worktree="$out/before-$sha"
[ -d "$worktree" ] || git -C "$root" worktree add --detach "$worktree" "$sha" >/dev/null
build "$worktree" "$worktree/build"
build "$root" "$root/build-bench"
before="$worktree/build/bin/shipgate-lint"
after="$root/build-bench/bin/shipgate-lint"
corpus="$out/corpus"
python3 "$bench/gen_corpus.py" --out "$corpus" --seed "${SEED:-1}" --count "${COUNT:-1500}"

times="$out/compare-$sha.times"
: >"$times"
for _ in $(seq 1 "$runs"); do
  for side in before after; do
    bin=$before
    [ "$side" = after ] && bin=$after
    /usr/bin/time -f "$side %e %U %S %M" -a -o "$times" "$bin" "$corpus" >/dev/null 2>&1 || true
  done
done
echo "before: $sha; after: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- gates || echo ' with changes'); $runs runs each"
for side in before after; do
  printf '%s: %s\n' "$side" "$("$([ "$side" = before ] && echo "$before" || echo "$after")" "$corpus" 2>&1 >/dev/null | tail -n1)"
done
python3 - "$times" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.startswith(("before", "after"))]
side = {k: [r for r in rows if r[0] == k] for k in ("before", "after")}
med = lambda k, f: statistics.median(f(r) for r in side[k])
wall = lambda r: float(r[1])
cpu = lambda r: float(r[2]) + float(r[3])
rss = lambda r: int(r[4]) / 1024
for k in side:
    print(f"{k}: wall {med(k, wall):.3f} s, cpu {med(k, cpu):.3f} s, peak RSS {med(k, rss):.1f} MiB (medians)")
pairs = [float(a[1]) / float(b[1]) for b, a in zip(side["before"], side["after"])]
print(f"after / before: wall {med('after', wall) / med('before', wall):.2f}x "
      f"(paired median {statistics.median(pairs):.2f}x), cpu {med('after', cpu) / med('before', cpu):.2f}x, "
      f"RSS {med('after', rss) / med('before', rss):.2f}x")
PY
