#!/usr/bin/env bash
# Time from an action's start to the gate's first output, three ways, in one run:
#   warm   the binary is in the runner's tool cache (a later job on the same runner)
#   cold   an empty tool cache: SHA256SUMS and the binary downloaded over HTTPS from a local
#          server on 127.0.0.1, checked and cached (what a hosted runner does on its first job)
#   build  build-from-source: true, the way every action worked before release binaries (the
#          packages are already installed, so this is CMake and the compiler only: a floor)
# Each way runs actions/lib/install.sh with the variables a runner sets, then the gate's
# --version (its first output). The action runs from a checkout of its own (actions/, VERSION,
# the gate folders) whose DIGESTS name the served binary, as a release commit's would.
# Usage: bench/install.sh [GATE_BINARY [BEFORE]]
#   GATE_BINARY  the stripped static shipgate-lint to serve (default: dist/shipgate-lint-linux-x86_64,
#                else a stripped copy of build-static/bin/shipgate-lint)
#   BEFORE       a commit whose actions/lib to time beside this one, warm cache against warm cache
#                in the same run (a same-run ratio)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
SHIPGATE_BENCH=1 "$root/scripts/install-deps"
version=$(cat "$root/VERSION")
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

case "$(uname -m)" in aarch64) arch=arm64 runner_arch=ARM64 ;; *) arch=x86_64 runner_arch=X64 ;; esac
asset="shipgate-lint-linux-$arch"
binary=${1:-}
if [ -z "$binary" ] && [ -f "$root/dist/$asset" ]; then binary="$root/dist/$asset"; fi
if [ -z "$binary" ]; then
  [ -x "$root/build-static/bin/shipgate-lint" ] || "$root/scripts/check-static" >/dev/null
  strip -o "$work/stripped" "$root/build-static/bin/shipgate-lint"
  binary="$work/stripped"
fi

# The release on 127.0.0.1 over HTTPS, with a CA made for the run.
mkdir -p "$work/srv/v$version"
cp "$binary" "$work/srv/v$version/$asset"
(cd "$work/srv/v$version" && sha256sum "$asset" >SHA256SUMS)
(cd "$work" && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 1 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$work" "$port" <<'PY' &
import http.server, ssl, sys, functools
work, port = sys.argv[1], int(sys.argv[2])
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
handler = functools.partial(Quiet, directory=work + "/srv")
httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(work + "/cert.pem", work + "/key.pem")
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
httpd.serve_forever()
PY
server=$!
for _ in $(seq 50); do curl -s --cacert "$work/cert.pem" -o /dev/null "https://127.0.0.1:$port/" && break; sleep 0.1; done

# The action's checkout (this tree's, or BEFORE's), with DIGESTS for the served binary.
checkout() {  # folder, git revision or empty for this tree
  mkdir -p "$1"
  if [ -n "$2" ]; then
    git -C "$root" archive "$2" actions VERSION gates | tar -x -C "$1"
  else
    cp -r "$root/actions" "$root/VERSION" "$1/"
    for main in "$root"/gates/*/main.cpp; do
      mkdir -p "$1/gates/$(basename "$(dirname "$main")")"
      cp "$main" "$1/gates/$(basename "$(dirname "$main")")/"
    done
  fi
  { echo "version $version"; (cd "$work/srv/v$version" && sha256sum "$asset"); } >"$1/DIGESTS"
}
checkout "$work/after" ""
if [ -n "${2:-}" ]; then checkout "$work/before" "$2"; fi

# One action start: install.sh, then the gate's first output. $1: the checkout, $2: its tool cache.
cat >"$work/step.sh" <<STEP
set -e
export RUNNER_OS=Linux RUNNER_ARCH=$runner_arch RUNNER_TOOL_CACHE=\$2 RUNNER_TEMP=$work/temp
export GITHUB_OUTPUT=$work/temp/output GITHUB_PATH=$work/temp/path SHIPGATE_GATE=lint
export SHIPGATE_DOWNLOAD_URL=https://127.0.0.1:$port/v$version CURL_CA_BUNDLE=$work/cert.pem
mkdir -p $work/temp
: >\$GITHUB_OUTPUT
"\$1/actions/lib/install.sh" 2>/dev/null
"\$(sed -n 's/^binary=//p' \$GITHUB_OUTPUT)" --version >/dev/null
STEP

echo "binary served: $(stat -c %s "$binary") bytes"
runs=(--prepare "bash $work/step.sh $work/after $work/cache-after" -n "warm cache"
  "bash $work/step.sh $work/after $work/cache-after")
if [ -n "${2:-}" ]; then
  runs+=(--prepare "bash $work/step.sh $work/before $work/cache-before" -n "warm cache ($2)"
    "bash $work/step.sh $work/before $work/cache-before")
fi
runs+=(--prepare "rm -rf $work/cache-after" -n "cold download" "bash $work/step.sh $work/after $work/cache-after")
hyperfine --warmup 2 --runs 20 --export-markdown "$work/warm-cold.md" "${runs[@]}"
cat "$work/warm-cold.md"

# build-from-source: a fresh build tree each time, as on a fresh runner.
echo "build-from-source (one run):"
start=$(date +%s.%N)
SHIPGATE_BUILD_FROM_SOURCE=true RUNNER_OS=Linux RUNNER_ARCH=$runner_arch RUNNER_TEMP="$work/build-temp" \
  GITHUB_OUTPUT="$work/build-output" SHIPGATE_GATE=lint "$root/actions/lib/install.sh" >/dev/null 2>&1
"$(sed -n 's/^binary=//p' "$work/build-output")" --version >/dev/null
end=$(date +%s.%N)
python3 -c "print(f'build-from-source: {float($end) - float($start):.1f} s')"
