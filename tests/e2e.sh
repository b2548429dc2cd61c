#!/usr/bin/env bash
# End-to-end checks of the real shipgate-lint binary: the bundled incident, output formats, the
# GitHub Actions runtime files, and bad input. Usage: e2e.sh PATH/TO/shipgate-lint
set -uo pipefail
lint=$(realpath "$1")
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

check() {  # check NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $name" >&2; fi
}
run() {  # run DIR ARGS... -> $out, $err, $rc
  out=$( cd "$1" && shift && "$lint" "$@" 2>"$tmp/err" ); rc=$?; err=$(cat "$tmp/err")
}

# The incident: three kinds of finding, exit 1.
run "$root/examples/incident"
check "incident exits 1" test "$rc" = 1
check "incident: heroku-autocreate" grep -q "deploy.yml:24:9: error: akhileshns/heroku-deploy without \`dontautocreate\`" <<<"$out"
check "incident: each path to prod with the triggers that reach it" grep -q "deploy.yml:36:9: also deploys 'raxx-api-prod': job 'deploy-production' (akhileshns/heroku-deploy) runs on push (tags: v\*)$" <<<"$out"
check "incident: environment-missing" grep -q "deploy-heroku.yml:32:18: error: job 'production' names environment 'production'" <<<"$out"
check "incident: overlapping prod" grep -q "Heroku app 'raxx-api-prod' is deployed from 2 places with different triggers" <<<"$out"
check "incident: summary on stderr" grep -q "7 errors, 9 warnings, 0 notes in 2 files" <<<"$err"

# JSON: versioned, sorted, 1-based, related places.
run "$root/examples/incident" --format json
check "json exit" test "$rc" = 1
check "json version" grep -q '"version": 1' <<<"$out"
check "json related" grep -q '"related": \[' <<<"$out"
check "json parses" python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["summary"]["errors"]==7 and d["findings"][0]["line"]>=1' <<<"$out"

# SARIF parses and has results.
run "$root/examples/incident" --format sarif
check "sarif" python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["version"]=="2.1.0" and len(d["runs"][0]["results"])==16 and all("partialFingerprints" in r for r in d["runs"][0]["results"])' <<<"$out"

# Inside GitHub Actions: outputs (multi-line with a delimiter), step summary, annotations.
: >"$tmp/output"; : >"$tmp/summary"
out=$(cd "$root/examples/incident" && GITHUB_ACTIONS=true GITHUB_OUTPUT="$tmp/output" GITHUB_STEP_SUMMARY="$tmp/summary" \
      "$lint" --format json 2>"$tmp/err"); rc=$?; err=$(cat "$tmp/err")
check "actions: result output" grep -qx "result=fail" "$tmp/output"
check "actions: multi-line report" grep -q "^report<<ghadelimiter_" "$tmp/output"
check "actions: summary" grep -q "### shipgate-lint: fail" "$tmp/summary"
check "actions: annotations on stderr" grep -q "^::error file=.github/workflows/deploy.yml,line=24,col=9,title=heroku-autocreate::" <<<"$err"
check "actions: stdout stays JSON" python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$out"

# The deploy map answers the outage's question: both paths to raxx-api-prod, neither protected.
run "$root/examples/incident" --deploy-map
check "map exits 0" test "$rc" = 0
check "map: dispatch path" grep -q "^  .github/workflows/deploy-heroku.yml:43:14  job 'production'  heroku container:release" <<<"$out"
check "map: tag path" grep -q "^    reached by:  push (tags: v\*)$" <<<"$out"
check "map: unprotected" grep -q "environment: production (not in the records: GitHub creates it unprotected)" <<<"$out"
check "map: headline" grep -q "deploy map: 2 targets, 4 paths in 2 files" <<<"$err"
documented=$(awk '/^\$ cd examples\/incident && shipgate-lint --deploy-map$/{on=1; next} on && /^```$/{exit} on' "$root/docs/lint.md")
check "map: docs/lint.md shows it as it is" test "$documented" = "$out"
run "$root/examples/incident" --deploy-map --format json
check "map json" python3 -c 'import json,sys; d=json.load(sys.stdin); t={x["app"]: x for x in d["targets"]}; assert d["version"]==1 and len(t["raxx-api-prod"]["paths"])==2 and t["raxx-api-prod"]["production"]' <<<"$out"
run "$root/examples/incident" --deploy-map --format mermaid
check "map mermaid" test "$(head -n1 <<<"$out")" = "flowchart LR"
documented=$(awk '/^```mermaid$/{on=1; next} on && /^```$/{exit} on' "$root/docs/lint.md")
check "map mermaid: docs/lint.md shows it as it is" test "$documented" = "$out"
check "map mermaid: one node per app" test "$(grep -c '\[("raxx-api-' <<<"$out")" = 2
run "$root/examples/incident" --format mermaid
check "mermaid needs --deploy-map" test "$rc" = 2
check "mermaid needs --deploy-map: says so" grep -q "add --deploy-map" <<<"$err"
run "$root/examples/incident" --deploy-map --format sarif
check "map is not sarif" test "$rc" = 2
: >"$tmp/output"; : >"$tmp/summary"
(cd "$root/examples/incident" && GITHUB_ACTIONS=true GITHUB_OUTPUT="$tmp/output" GITHUB_STEP_SUMMARY="$tmp/summary" \
  "$lint" --deploy-map >/dev/null 2>&1)
check "map: summary has the graph" grep -q '^```mermaid$' "$tmp/summary"
check "map: result pass" grep -qx "result=pass" "$tmp/output"

# RUNNER_DEBUG=1: verbose diagnostics, folded in a group.
err=$(cd "$root/examples/incident" && GITHUB_ACTIONS=true RUNNER_DEBUG=1 "$lint" 2>&1 >/dev/null)
check "debug group" grep -q "^::group::shipgate-lint inputs" <<<"$err"
check "debug lists files" grep -q "debug: read .github/workflows/deploy.yml" <<<"$err"

# --format github prints workflow commands on stdout.
run "$root/examples/incident" --format github
check "github format" grep -q "^::error file=.github/workflows/deploy-heroku.yml,line=32,col=18,title=environment-missing::" <<<"$out"

# Clean workflows pass; the environments check says it was skipped when there are no records.
mkdir -p "$tmp/clean/.github/workflows"
cp "$root/examples/workflows/deploy-production.yml" "$tmp/clean/.github/workflows/deploy.yml"  # a deploy the whole catalog passes
run "$tmp/clean"
check "clean passes" test "$rc" = 0
check "clean: skipped note" grep -q "skipped environment-missing: no environment records given" <<<"$err"

# Bad input: exit 2 with a one-line message naming the file; other files are still linted.
printf 'on: push\njobs:\n  a: [unclosed\n' >"$tmp/clean/.github/workflows/broken.yml"
cp "$root/examples/incident/.github/workflows/deploy.yml" "$tmp/clean/.github/workflows/deploy.yml"
run "$tmp/clean"
check "broken exits 2" test "$rc" = 2
check "broken named with line" grep -q "broken.yml:[0-9]*:[0-9]*: invalid YAML" <<<"$err"
check "other files still linted" grep -q "deploy.yml:24:9: error" <<<"$out"

run "$tmp" does/not/exist.yml
check "missing path exits 2" test "$rc" = 2
check "missing path named" grep -q "does/not/exist.yml: no such file" <<<"$err"

run "$tmp" --format xml
check "bad flag exits 2" test "$rc" = 2
run "$tmp" --no-such-flag
check "unknown flag exits 2" test "$rc" = 2

# Config errors: every one reported with file, line and key, then exit 2.
mkdir -p "$tmp/badcfg/.github"
printf 'lint:\n  fail-levl: warning\n  rules:\n    heroku-autocreat: off\nsmok: {}\n' >"$tmp/badcfg/.github/shipgate.yml"
run "$tmp/badcfg"
check "config exits 2" test "$rc" = 2
check "config: did you mean key" grep -q "shipgate.yml:2:3: unknown key 'fail-levl' in section 'lint'; did you mean 'fail-level'?" <<<"$err"
check "config: did you mean rule" grep -q "did you mean 'heroku-autocreate'" <<<"$err"
check "config: did you mean section" grep -q "shipgate.yml:5:1: unknown section 'smok'; did you mean 'smoke'?" <<<"$err"

# --help, --version, --list-rules.
run "$tmp" --version
check "version" grep -Eq "^shipgate-lint [0-9]+\.[0-9]+\.[0-9]+$" <<<"$out"
run "$tmp" --help
check "help lists flags" grep -q -- "--environments" <<<"$out"
run "$tmp" --list-rules
check "list-rules sorted" test "$(cut -d' ' -f1 <<<"$out" | tr '\n' ' ')" = "$(cut -d' ' -f1 <<<"$out" | LC_ALL=C sort | tr '\n' ' ')"

# Results that cannot be written are "could not evaluate", never a pass.
(cd "$root/examples/incident" && "$lint" >/dev/full 2>"$tmp/err"); rc=$?
check "stdout write failure exits 3" test "$rc" = 3
check "stdout write failure said" grep -q "cannot write the results" "$tmp/err"

# NO_COLOR and pipes: no escape codes.
run "$root/examples/incident"
check "no colour in a pipe" bash -c '! grep -q $'"'"'\x1b'"'"' <<<"$1"' _ "$out"

echo "$passed passed, $failed failed"
test "$failed" = 0
