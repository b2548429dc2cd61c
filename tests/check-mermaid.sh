#!/usr/bin/env bash
# The deploy map's Mermaid renders with the real mermaid library in headless Chromium: no syntax
# error, and one node per app, for the bundled incident and for workflows whose names carry
# Mermaid and Markdown syntax.
# Usage: check-mermaid.sh PATH/TO/shipgate-lint TOOLS_DIR
# TOOLS_DIR holds npm's mermaid (installed from tests/npm by scripts/test); Chromium is Debian's
# (scripts/install-deps). Exit 77 (a skip in CTest) when either is missing.
set -uo pipefail
lint=$(realpath "$1")
tools=$(realpath "$2" 2>/dev/null || echo "$2")
root=$(pwd)
mermaid_js="$tools/node_modules/mermaid/dist/mermaid.min.js"
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ ! -f "$mermaid_js" ] || [ -z "$chromium" ]; then
  echo "mermaid ($mermaid_js) or chromium is not installed (scripts/test installs both)" >&2
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# Workflows whose app, job and environment names hold what Mermaid or Markdown would read.
hostile="$tmp/hostile"
mkdir -p "$hostile/.github/workflows"
cat >"$hostile/.github/workflows/d.yml" <<'YAML'
on:
  push:
    branches: ["main\"]); click a0 call alert(1) %%"]
jobs:
  "j\"]-->x[(\"y":
    runs-on: ubuntu-22.04
    environment: "prod`<b>`#;|"
    steps:
      - run: heroku container:release web -a 'app"]-->evil[("z'
      - run: heroku container:release web -a "plain-app"
  "end":
    runs-on: ubuntu-22.04
    steps:
      - run: heroku container:release web -a 'subgraph end %% classDef'
YAML

render() {  # render NAME DIR: the map's Mermaid rendered; prints the labels of its app nodes
  local name=$1 dir=$2
  (cd "$dir" && "$lint" --deploy-map --format mermaid >"$tmp/$name.mmd" 2>/dev/null) || return 1
  (cd "$dir" && "$lint" --deploy-map --format json >"$tmp/$name.json" 2>/dev/null) || return 1
  python3 - "$tmp/$name.mmd" "$mermaid_js" "$tmp/$name.html" <<'PY'
import json, pathlib, sys
diagram = pathlib.Path(sys.argv[1]).read_text()
page = f"""<!doctype html><html><body><pre id="result">pending</pre>
<script src="file://{sys.argv[2]}"></script>
<script>
mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
mermaid.render("map", {json.dumps(diagram)}).then(({{svg}}) => {{
  const box = document.createElement("div");
  box.innerHTML = svg;
  document.body.appendChild(box);
  const apps = [...box.querySelectorAll("g.node")].filter(n => n.id.includes("-a"))
    .map(n => n.textContent.trim());
  document.getElementById("result").textContent = "RENDERED " + JSON.stringify(apps);
}}).catch(e => {{
  document.getElementById("result").textContent = "ERROR " + String(e && e.message || e);
}});
</script></body></html>"""
pathlib.Path(sys.argv[3]).write_text(page)
PY
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --allow-file-access-from-files --virtual-time-budget=30000 --dump-dom "file://$tmp/$name.html" \
    2>"$tmp/$name.chromium" | python3 -c '
import html, re, sys
m = re.search(r"<pre id=\"result\">(.*?)</pre>", sys.stdin.read(), re.S)
print(html.unescape(m.group(1)) if m else "NO RESULT")'
}

for case in "incident:$root/examples/incident" "hostile:$hostile"; do
  name=${case%%:*} dir=${case#*:}
  result=$(render "$name" "$dir")
  if [[ "$result" != RENDERED* ]]; then
    echo "FAIL: $name: the Mermaid did not render: $result" >&2
    sed -n 1,40p "$tmp/$name.mmd" >&2
    failed=1
    continue
  fi
  # One node per app: the rendered app nodes' labels are the map's targets, each once.
  if ! python3 - "$tmp/$name.json" "${result#RENDERED }" <<'PY'; then
import json, sys
targets = json.load(open(sys.argv[1]))["targets"]
want = sorted((t["app"] if t["known"] else "unknown: " + t["app"]) for t in targets)
got = sorted(json.loads(sys.argv[2]))
if want != got:
    sys.exit(f"app nodes {got} are not the targets {want}")
print(f"{len(got)} app nodes: {', '.join(got)}")
PY
    echo "FAIL: $name: app nodes differ from the map's targets" >&2
    failed=1
  fi
done
exit "$failed"
