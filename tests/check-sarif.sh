#!/usr/bin/env bash
# SARIF from the real binaries validates against the official SARIF 2.1.0 schema: lint on the
# bundled incident (every kind of deploy finding, related places), lint on every lint fixture
# (suppressions, unreadable and invalid inputs as notifications), and slug on an app tree.
# A corrupted copy must fail, so the check can fail.
# Usage: check-sarif.sh BIN_DIR TOOLS_DIR
# TOOLS_DIR holds npm's @microsoft/jest-sarif (the schema, and Ajv), installed from tests/npm by
# scripts/test; exit 77 (a skip in CTest) when it is not there.
set -uo pipefail
bin=$(realpath "$1")
tools=$2
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -f "$tools/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json" ] ||
  ! command -v node >/dev/null 2>&1; then
  echo "the SARIF schema is not installed in $tools (scripts/test installs it)" >&2
  exit 77
fi

(cd "$root/examples/incident" && "$bin/shipgate-lint" --format sarif >"$tmp/incident.sarif")
mapfile -t fixtures < <(find "$root/fixtures/lint" -name '*.yml' ! -name fixture.yml ! -name 'environments.*' | sort)
"$bin/shipgate-lint" --format sarif --fail-level note "${fixtures[@]}" >"$tmp/fixtures.sarif" 2>/dev/null
"$bin/shipgate-slug" --format sarif --all-files "$root/fixtures/slug/tree/over-hard" >"$tmp/slug.sarif" 2>/dev/null

failed=0
# Each must hold what it is meant to exercise, or a valid but empty file would pass.
python3 - "$tmp" <<'PY' || failed=1
import json, sys
tmp = sys.argv[1]
def run(name):
    return json.load(open(f"{tmp}/{name}.sarif"))["runs"][0]
incident, fixtures, slug = run("incident"), run("fixtures"), run("slug")
assert len(incident["results"]) == 16, len(incident["results"])
assert any(r.get("relatedLocations") for r in incident["results"]), "no related locations"
assert all("partialFingerprints" in r for r in incident["results"]), "a result without fingerprint"
assert len(fixtures["results"]) > 300, len(fixtures["results"])
assert fixtures["invocations"][0]["toolExecutionNotifications"], "no notification for unreadable inputs"
assert slug["tool"]["driver"]["name"] == "shipgate-slug"
PY
node "$root/tests/validate-sarif.js" "$tools" "$tmp"/incident.sarif "$tmp"/fixtures.sarif "$tmp"/slug.sarif || failed=1

# The validator rejects what the schema forbids: a result level SARIF does not have.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["runs"][0]["results"][0]["level"]="fatal"; json.dump(d,open(sys.argv[2],"w"))' \
  "$tmp/incident.sarif" "$tmp/corrupt.sarif"
if node "$root/tests/validate-sarif.js" "$tools" "$tmp/corrupt.sarif" 2>/dev/null; then
  echo "FAIL: a result with level \"fatal\" passed the schema" >&2
  failed=1
fi
exit "$failed"
