#!/usr/bin/env bash
# Puts one shipgate gate on the runner for the composite actions, and says where it is.
#
# In order: the binary named by the `binary` input; a shipgate-<gate> already on PATH; a copy in
# the runner's tool cache; the release asset for this runner, downloaded over HTTPS. A binary
# found on PATH, cached or downloaded is used (or run at all) only when its SHA-256 is the one
# the action's own source commits to (DIGESTS beside VERSION, written in the release commit);
# the release's SHA256SUMS must agree, as a second check, never the only one. A version other
# than the action's own has no committed digest: it is refused unless SHIPGATE_TRUST_RELEASE_SUMS
# is true, which trusts the release's SHA256SUMS alone and says so loudly. Building from source
# happens only when asked (build-from-source: true). A failed download, a missing asset or a
# checksum mismatch fails the step with exit 3: nothing else is tried after a bad download.
#
# Read from the environment (the action's step `env:`):
#   SHIPGATE_GATE               gate name, a folder of gates/: lint, smoke, ... (required)
#   SHIPGATE_BINARY             a path to use as the gate (input `binary`)
#   SHIPGATE_VERSION            wanted version, e.g. 0.2.0 (input `version`; default: the version
#                               of the action's own source, its VERSION file)
#   SHIPGATE_BUILD_FROM_SOURCE  true to build the gate from the action's sources instead
#   SHIPGATE_DOWNLOAD_URL       where the release assets are (default:
#                               $GITHUB_SERVER_URL/<action repository>/releases/download/v<version>)
#   SHIPGATE_ACTION_REPOSITORY  owner/name the action came from (github.action_repository)
#   SHIPGATE_DOWNLOAD_STALL     seconds a download may send nothing (under 1 KiB/s) before it is
#                               given up and retried (default 30)
#   SHIPGATE_TRUST_RELEASE_SUMS true to run a version the action has no committed digest for,
#                               checked against its release's SHA256SUMS only (input
#                               `trust-release-checksums`; default false)
# and the variables GitHub sets: RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, RUNNER_TEMP,
# GITHUB_OUTPUT, GITHUB_PATH, GITHUB_SERVER_URL, GITHUB_REPOSITORY.
# Writes the step outputs `binary` (absolute path), `version` and `source` (input, path, cache,
# download or build), and adds the binary's folder to GITHUB_PATH for later steps.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
gate=${SHIPGATE_GATE:-}
name="shipgate-$gate"
# The name goes into annotation titles: checked before the first message (below, against gates/).
if ! [[ $gate =~ ^[a-z][a-z0-9-]{0,30}$ ]]; then name=shipgate; fi

# shellcheck source=workflow.sh
. "$here/workflow.sh"

fail() {  # exit code, message: one annotation, then the exit code
  local code=$1
  shift
  echo "::error title=$name::$(escape "$(without_userinfo "$*")")"
  exit "$code"
}
say() {  # one line on stderr, whatever a path holds
  echo "$name: $(one_line "$(without_userinfo "$*")")" >&2
}
loud() {  # a warning annotation and a line in the step summary
  echo "::warning title=$name::$(escape "$(without_userinfo "$*")")"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    printf '> [!WARNING]\n> %s: %s\n\n' "$name" "$(one_line "$(without_userinfo "$*")")" >>"$GITHUB_STEP_SUMMARY" || true
  fi
}

# A gate is its folder in the action's own source (gates/NAME/main.cpp), as for the build.
if ! [[ $gate =~ ^[a-z][a-z0-9-]{0,30}$ ]] || [ ! -f "$src/gates/$gate/main.cpp" ]; then
  fail 2 "unknown gate '${gate}': the action must set SHIPGATE_GATE to a folder of gates/"
fi

output() {  # name, value
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  fi
}

# The binary is found: record it, put a folder of this job's own on PATH (only the gate is in
# it, so nothing beside the binary can shadow a tool of later steps), print its version.
job_bin=""
job_folder() {
  job_bin=$(mktemp -d "${RUNNER_TEMP:-/tmp}/shipgate-bin.XXXXXX") || fail 3 "cannot create a folder under ${RUNNER_TEMP:-/tmp}"
}
use() {  # path, version, source
  local path=$1 version=$2 source=$3
  output binary "$path"
  output version "$version"
  output source "$source"
  if [ -n "${GITHUB_PATH:-}" ]; then
    dirname "$path" >>"$GITHUB_PATH"
  fi
  say "using $path ($version, from $source)"
  exit 0
}
# A binary the workflow chose (input, PATH, a build): linked from the job's folder, run as it is.
use_as_is() {  # path, version, source
  job_folder
  ln -s "$1" "$job_bin/$name" || fail 3 "cannot link $1 into $job_bin"
  use "$job_bin/$name" "$2" "$3"
}

# `shipgate-<gate> X.Y.Z` from a binary's --version, or nothing.
version_of() {
  local line
  line=$("$1" --version 2>/dev/null | head -n 1) || return 0
  case "$line" in
    "$name "*) printf '%s' "${line#"$name "}" ;;
  esac
}

wanted=${SHIPGATE_VERSION:-}
if [ -z "$wanted" ]; then
  wanted=$(tr -d '[:space:]' <"$src/VERSION" 2>/dev/null || true)
fi
wanted=${wanted#v}
# The version becomes a path and a URL: only the shape of a release version passes.
if ! [[ "$wanted" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$ ]]; then
  fail 2 "version '${wanted}' is not a release version like 0.2.0"
fi

# 1. A binary named by the input.
if [ -n "${SHIPGATE_BINARY:-}" ]; then
  [ -f "$SHIPGATE_BINARY" ] && [ -x "$SHIPGATE_BINARY" ] ||
    fail 3 "binary '${SHIPGATE_BINARY}' is not an executable file"
  path=$(cd "$(dirname "$SHIPGATE_BINARY")" && pwd)/$(basename "$SHIPGATE_BINARY")
  have=$(version_of "$path")
  [ -n "$have" ] || fail 3 "binary '${SHIPGATE_BINARY}' does not answer --version as $name"
  if [ "$have" != "$wanted" ]; then
    say "note: binary $path is version $have; the action is version $wanted"
  fi
  use_as_is "$path" "$have" input
fi

# Building from source: the action's own checkout, a static Release build (Debian/Ubuntu only).
if [ "${SHIPGATE_BUILD_FROM_SOURCE:-false}" = true ]; then
  build="${RUNNER_TEMP:-/tmp}/shipgate-build"
  echo "::group::Build $name from $src"
  SHIPGATE_TESTS=0 "$src/scripts/install-deps" || fail 3 "installing the build dependencies failed"
  cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSHIPGATE_STATIC=ON -DSHIPGATE_TESTS=OFF >/dev/null ||
    fail 3 "configuring the build failed"
  cmake --build "$build" --target "$name" --parallel "$(nproc)" || fail 3 "building $name failed"
  echo "::endgroup::"
  use_as_is "$build/bin/$name" "$(version_of "$build/bin/$name")" build
elif [ "${SHIPGATE_BUILD_FROM_SOURCE:-false}" != false ]; then
  fail 2 "build-from-source must be true or false, not '${SHIPGATE_BUILD_FROM_SOURCE}'"
fi

# Release assets exist for Linux on x86_64 and arm64 only.
case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) arch=x86_64 ;;
  Linux/ARM64) arch=arm64 ;;
  *)
    fail 3 "no $name release binary for ${RUNNER_OS:-an unknown OS} ${RUNNER_ARCH:-on an unknown architecture}: shipgate ships Linux x86_64 and arm64 binaries; run this job on a Linux runner"
    ;;
esac
asset="$name-linux-$arch"

# Where the release assets are: the input, else the action repository's release.
base=${SHIPGATE_DOWNLOAD_URL:-}
if [ -z "$base" ]; then
  # The action's repository: from where the runner put the action (.../_actions/OWNER/REPO/REF/),
  # which holds for nested composite actions too; else github.action_repository; else this
  # repository (an action used from its own checkout, `uses: ./actions/<gate>`).
  repository=""
  if [[ "$here" =~ /_actions/([^/]+)/([^/]+)/[^/]+/actions/lib$ ]]; then
    repository="${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"
  fi
  repository=${repository:-${SHIPGATE_ACTION_REPOSITORY:-${GITHUB_REPOSITORY:-}}}
  [ -n "$repository" ] || fail 3 "cannot tell which repository's releases to download from: set download-url"
  base="${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/download/v$wanted"
fi
base=${base%/}
# A URL is one word of printable characters; anything else (a line break that would start a
# workflow command, a space) is refused before the URL is shown or used.
if [[ "$base" =~ [[:space:][:cntrl:]] ]]; then
  fail 2 "download-url must be one URL without spaces, line breaks or control characters"
fi
# Credentials in the URL (user:password@, or a token as the user name) are hidden from the whole
# log, each part on its own, not only from this script's lines, which show URLs without them.
if [[ "$base" =~ ^[A-Za-z][A-Za-z0-9+.-]*:/*([^/]*)@ ]]; then
  userinfo=${BASH_REMATCH[1]}
  parts=("${userinfo%%:*}")
  if [ "${userinfo#*:}" != "$userinfo" ]; then parts+=("${userinfo#*:}"); fi
  for part in "${parts[@]}"; do
    if [ -n "$part" ]; then echo "::add-mask::$(escape "$part")"; fi
  done
fi
case "$base" in
  https://*) ;;
  *) fail 2 "download-url must be an https:// URL, not '${base}'" ;;
esac
command -v sha256sum >/dev/null 2>&1 || fail 3 "sha256sum is needed to verify $asset"

# The digest the action's own source commits to: DIGESTS beside VERSION, written by
# scripts/release and committed in the release commit, names the version it is for and the
# SHA-256 of each release binary. Whoever can change a release's files or the runner's tool
# cache cannot change these without changing the action's commit.
# Read with builtins only: a warm start spends its time in processes, so it starts none here.
own=""
if [ -f "$src/VERSION" ]; then read -r own <"$src/VERSION" || true; fi
own=${own//[[:space:]]/}
pinned=""
digests_version=""
digest_for_asset=""
if [ -f "$src/DIGESTS" ]; then
  while read -r first second rest; do
    if [ "$first" = version ] && [ -z "$digests_version" ]; then
      digests_version=$second
    elif [ "$second" = "$asset" ] && [ -z "$rest" ] && [[ $first =~ ^[0-9a-f]{64}$ ]]; then
      digest_for_asset=$first
    fi
  done <"$src/DIGESTS"
fi
if [ "$wanted" = "$own" ] && [ "$digests_version" = "$wanted" ]; then
  pinned=$digest_for_asset
  [ -n "$pinned" ] || fail 3 "the action's DIGESTS list no digest for $asset of v$wanted: no release binary for this runner"
elif [ "${SHIPGATE_TRUST_RELEASE_SUMS:-false}" = true ]; then
  if [ "$wanted" != "$own" ]; then
    why="v$wanted is not this action's version (v${own:-unknown}), so no digest committed with the action answers for it"
  else
    why="the action's source has no digests for v$wanted"
  fi
  loud "$why: $asset is checked against its release's SHA256SUMS alone, which whoever can change the release's files can change too. Use a released action of v$wanted to check it against the digests of its commit."
elif [ "${SHIPGATE_TRUST_RELEASE_SUMS:-false}" != false ]; then
  fail 2 "trust-release-checksums must be true or false, not '${SHIPGATE_TRUST_RELEASE_SUMS}'"
elif [ "$wanted" != "$own" ]; then
  fail 2 "version $wanted is not this action's version ($own), and the action carries digests for its own release only: use the action at v$wanted (or its commit), or set trust-release-checksums: true to check the download against the release's SHA256SUMS alone"
else
  fail 3 "the action's source has no digests for v$wanted (DIGESTS ${digests_version:+is for v$digests_version}${digests_version:-is missing}): use a released version of the action, or set trust-release-checksums: true to check the download against the release's SHA256SUMS alone"
fi

# The cache: one folder per version, architecture and source (a fork's or a mirror's release
# never answers for another's), holding the verified asset and a .complete marker written last.
# Anyone who can write the tool cache can change both, so the folder proves nothing by itself:
# every hit is checked against the committed digest before it is copied or run.
cache_root=${RUNNER_TOOL_CACHE:-}
[ -n "$cache_root" ] || cache_root="${RUNNER_TEMP:-/tmp}/shipgate-tool-cache"
source_id=$(printf '%s' "$(without_userinfo "$base")" | sha256sum | cut -c 1-12)
cache="$cache_root/shipgate/$wanted/$arch/$source_id"

# The SHA-256 that a SHA256SUMS file lists for the asset, or nothing.
listed_sum() {  # sums file
  awk -v want="$asset" '($2 == want || $2 == "*" want) && $1 ~ /^[0-9a-fA-F]+$/ && length($1) == 64 { print tolower($1); exit }' "$1"
}
# At most 256 MiB is read (a release binary is under 10 MiB), so a huge or sparse file planted in
# the cache costs a mismatch, not a stalled job.
sum_of() { head -c 268435457 -- "$1" | sha256sum | cut -d ' ' -f 1; }

# A verified asset into the job's folder, checked again there: what runs is what was checked.
use_verified() {  # file, expected sum, source
  job_folder
  cp "$1" "$job_bin/$name" && chmod 755 "$job_bin/$name" || fail 3 "cannot copy $asset into $job_bin"
  if [ "$(sum_of "$job_bin/$name")" != "$2" ]; then
    rm -f "$job_bin/$name"
    fail 3 "the copy of $asset in $job_bin does not match its checksum"
  fi
  use "$job_bin/$name" "$wanted" "$3"
}

# 2. A shipgate-<gate> already on PATH (a self-hosted runner's image, an earlier step), used only
# when it is byte for byte the committed release binary: nothing on PATH is run before that is
# known, since any folder on PATH (a tool cache's, a checkout's) may hold a planted file.
if [ -n "$pinned" ] && found=$(command -v "$name" 2>/dev/null) && [[ $found == /* ]] && [ -f "$found" ] &&
  [ "$(sum_of "$found")" = "$pinned" ]; then
  use_verified "$found" "$pinned" path
fi

command -v curl >/dev/null 2>&1 || fail 3 "curl is needed to download $asset (or give the action a binary, or build-from-source: true)"
stall=${SHIPGATE_DOWNLOAD_STALL:-30}
[[ "$stall" =~ ^[1-9][0-9]{0,2}$ ]] || fail 2 "SHIPGATE_DOWNLOAD_STALL must be 1 to 999 seconds, not '${stall}'"
# The download folder, made on the first download (a warm start makes none).
work=""
fetch() {  # url, name of the file in $work
  local err
  if [ -z "$work" ]; then
    work=$(mktemp -d "${RUNNER_TEMP:-/tmp}/shipgate-download.XXXXXX") || fail 3 "cannot create a folder under ${RUNNER_TEMP:-/tmp}"
    trap 'rm -rf "$work"' EXIT
  fi
  # -q first: no ~/.curlrc; HTTPS only, redirects included; a server that stops sending is given
  # up after the stall time (and retried), one that trickles after 5 minutes.
  if ! err=$(curl -q --fail --silent --show-error --location --globoff --proto '=https' --proto-redir '=https' \
    --tlsv1.2 --connect-timeout 20 --speed-limit 1024 --speed-time "$stall" --max-time 300 --retry 3 \
    --retry-delay 2 -o "$work/$2" "$1" 2>&1); then
    fail 3 "download of $1 failed: ${err:-curl gave no reason}"
  fi
}
# The release's SHA256SUMS: with a committed digest, it must agree with it (a second check);
# without one (trust-release-checksums), it is the only check.
# Sets `listed`.
listed=""
release_sum() {
  fetch "$base/SHA256SUMS" SHA256SUMS
  listed=$(listed_sum "$work/SHA256SUMS")
  [ -n "$listed" ] || fail 3 "the release v$wanted lists no checksum for $asset in SHA256SUMS: no release binary for this runner"
  if [ -n "$pinned" ] && [ "$listed" != "$pinned" ]; then
    fail 3 "the release's SHA256SUMS lists $listed for $asset, but the action's commit says $pinned: the release's files are not the ones this action was released with; not using them"
  fi
}

# 3. The tool cache, checked against the committed digest (or, trusting the release's sums,
# against a fresh copy of them). A copy that does not match is removed and downloaded again.
if [ -e "$cache/.complete" ] || [ -e "$cache/$asset" ]; then
  expected=$pinned
  if [ -z "$expected" ]; then
    release_sum
    expected=$listed
  fi
  if [ -f "$cache/.complete" ] && [ -f "$cache/$asset" ] && [ ! -L "$cache/$asset" ] &&
    [ "$(sum_of "$cache/$asset")" = "$expected" ]; then
    use_verified "$cache/$asset" "$expected" cache
  fi
  echo "::notice title=$name::$(escape "the cached $asset in $cache does not match the digest it must have; removed, downloading it again")"
  rm -rf "$cache" || say "could not remove $cache"
fi

# 4. Download over HTTPS, verify, then cache.
say "downloading $asset $wanted from $base"
if [ -z "$listed" ]; then release_sum; fi
expected=${pinned:-$listed}
fetch "$base/$asset" "$asset"
actual=$(sum_of "$work/$asset")
if [ "$actual" != "$expected" ]; then
  fail 3 "checksum mismatch for $asset: expected $expected, the download is $actual; not using it"
fi
chmod 755 "$work/$asset"
have=$(version_of "$work/$asset")
[ "$have" = "$wanted" ] || fail 3 "$asset from v$wanted says it is version '${have:-unknown}'; not using it"

# Into the cache: a file of a fresh random name, renamed into place, then the marker. A cache that
# cannot be written costs later jobs a download, nothing else.
# Nothing is written through a symbolic link in the cache's path, and the marker is renamed into
# place like the binary, so a link planted as .complete cannot make the write land elsewhere.
cache_write() {
  local tmp dir=$cache
  mkdir -p "$cache" || return 1
  while [ "$dir" != "$cache_root" ] && [ "${#dir}" -gt "${#cache_root}" ]; do
    if [ -L "$dir" ]; then return 1; fi
    dir=$(dirname "$dir")
  done
  rm -f "$cache/.complete"
  tmp=$(mktemp "$cache/.incoming.XXXXXX") || return 1
  { cp "$work/$asset" "$tmp" && chmod 755 "$tmp" && mv -f "$tmp" "$cache/$asset"; } || { rm -f "$tmp"; return 1; }
  tmp=$(mktemp "$cache/.incoming.XXXXXX") || return 1
  { chmod 644 "$tmp" && mv -f "$tmp" "$cache/.complete"; } || { rm -f "$tmp"; return 1; }
}
cache_write || say "could not write the tool cache in $cache; later jobs download again"
use_verified "$work/$asset" "$expected" download
