#!/usr/bin/env bash
# Benchmarks shipgate-slug on a generated tree against its peers in the same run: GNU tar piped
# into gzip (`tar czf - DIR | wc -c`, what `tar czf` writes) and into pigz (the parallel peer),
# its byte count against tar czf's, and its peak memory at 100k and 1M files. Writes
# bench/out/slug.md and prints it. The limits are raised out of the way: the tree is over 500M.
# Environment: BYTES (the mixed tree, default 1000000000), RUNS (hyperfine runs, default 3),
# MANY (the larger file count, default 1000000), SEED.
set -euo pipefail

bench="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench")"
out="$bench/out"
trees="$out/slug-trees"
build="$root/build-bench"
bytes="${BYTES:-1000000000}"
runs="${RUNS:-3}"
many="${MANY:-1000000}"

SHIPGATE_BENCH=1 "$root/scripts/install-deps" || echo "slug.sh: install-deps failed; using the tools present" >&2
for tool in cmake g++ python3 hyperfine /usr/bin/time pigz gzip tar; do
  command -v "$tool" >/dev/null || { echo "slug.sh: $tool is missing" >&2; exit 1; }
done
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSHIPGATE_BENCH=ON -DSHIPGATE_STATIC=ON \
  -DSHIPGATE_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target shipgate-slug
slug="$build/bin/shipgate-slug"

mkdir -p "$out"
if [ ! -f "$trees/mixed-$bytes.done" ]; then
  rm -rf "$trees/mixed-$bytes"
  python3 "$bench/gen_slug_tree.py" --out "$trees/mixed-$bytes" --bytes "$bytes" --seed "${SEED:-1}"
  touch "$trees/mixed-$bytes.done"
fi
for count in 100000 "$many"; do
  if [ ! -f "$trees/files-$count.done" ]; then
    rm -rf "$trees/files-$count"
    python3 "$bench/gen_slug_tree.py" --out "$trees/files-$count" --files "$count" --seed "${SEED:-1}"
    touch "$trees/files-$count.done"
  fi
done
mixed="$trees/mixed-$bytes"

# Bytes: ours against tar czf's on the same files (the page cache is warm after this).
ours=$("$slug" --all-files "$mixed" --soft 500GiB --hard 500GiB --format json --top 0 2>/dev/null |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["summary"]["compressed_bytes"])')
tarczf=$(tar czf - -C "$mixed" . | wc -c)
pigzed=$(tar cf - -C "$mixed" . | pigz | wc -c)

echo "== time: shipgate-slug, tar czf, tar | pigz"
hyperfine -i --warmup 1 --runs "$runs" --export-json "$out/slug-time.json" \
  -n shipgate-slug "$slug --all-files $mixed --soft 500GiB --hard 500GiB --top 0 --format json" \
  -n "tar czf" "tar czf - -C $mixed . | wc -c" \
  -n "tar | pigz" "tar cf - -C $mixed . | pigz | wc -c"

echo "== memory"
for tree in "mixed-$bytes" files-100000 "files-$many"; do
  /usr/bin/time -v -o "$out/slug-rss-$tree.time" "$slug" --all-files "$trees/$tree" --format json >/dev/null 2>&1 || true
done
/usr/bin/time -v -o "$out/slug-rss-tar.time" sh -c "tar czf - -C $mixed . | wc -c" >/dev/null

python3 - "$out" "$ours" "$tarczf" "$pigzed" "$bytes" "$many" <<'PY' | tee "$out/slug.md"
import json, os, re, sys
out, ours, tarczf, pigzed, size, many = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
t = {r["command"]: r for r in json.load(open(os.path.join(out, "slug-time.json")))["results"]}
def rss(name):
    text = open(os.path.join(out, "slug-rss-%s.time" % name)).read()
    return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
def cpu(r):
    return r["user"] + r["system"]
s, z, p = t["shipgate-slug"], t["tar czf"], t["tar | pigz"]
print("| figure | shipgate-slug | peer, same run | ratio |")
print("|---|---|---|---|")
print("| wall time, %.1f GB mixed tree | %.2f s ± %.2f | `tar czf - DIR \\| wc -c`: %.2f s ± %.2f | %.2f× |" % (size / 1e9, s["mean"], s["stddev"] or 0, z["mean"], z["stddev"] or 0, s["mean"] / z["mean"]))
print("| the same | | `tar cf - DIR \\| pigz \\| wc -c`: %.2f s ± %.2f | %.2f× |" % (p["mean"], p["stddev"] or 0, s["mean"] / p["mean"]))
print("| CPU time (user + sys) | %.2f s | tar czf: %.2f s; tar \\| pigz: %.2f s | |" % (cpu(s), cpu(z), cpu(p)))
print("| compressed bytes | %d | tar czf: %d (pigz: %d) | %+.2f%% |" % (ours, tarczf, pigzed, 100.0 * (ours - tarczf) / tarczf))
print("| peak RSS: mixed tree / 100k files / %s files | %.0f / %.0f / %.0f MiB | tar czf: %.0f MiB | |" % (many, rss("mixed-%d" % size), rss("files-100000"), rss("files-" + many), rss("tar")))
PY
