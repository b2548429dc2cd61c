#!/usr/bin/env python3
"""shipgate-freeze's figures, each against a baseline measured in the same run (hyperfine):
- the verdict for a 10,000-window calendar (weekly and local-time absolute windows in eight
  zones) against Python's zoneinfo resolving the same windows around the same instant, reading
  the same YAML file (PyYAML's libyaml loader) or the windows as JSON; the gate does more (the
  end of the freeze and the next one, 30 days ahead), the baseline only finds what holds now;
- --list over a year of a minute-granular GitLab cron (start every even minute, end every odd
  one: 262,800 periods in Europe/Berlin) against Python's zoneinfo walking the same minutes and
  printing the same periods;
- --version and a one-window verdict against /bin/true (target: each under 5 ms);
- peak RSS of the two large runs (/usr/bin/time -v).
Usage: bench/freeze.py FREEZE_BINARY   (a static Release build: build-static/bin/shipgate-freeze)
Needs hyperfine, GNU time and python3-yaml (SHIPGATE_BENCH=1 scripts/install-deps)."""
import json
import os
import random
import subprocess
import sys
import tempfile

freeze = os.path.abspath(sys.argv[1])
python = "/usr/bin/python3"  # Debian's, with zoneinfo and the system's tzdata
work = tempfile.mkdtemp(prefix="freeze-bench-")
AT = "2026-12-04T21:30:00Z"  # a Friday evening in New York
ZONES = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata",
         "America/Los_Angeles", "Asia/Tokyo", "UTC"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

# The 10,000-window calendar, written as YAML for the gate and as JSON for the baseline.
rng = random.Random(1)
windows = []
for i in range(10_000):
    zone = ZONES[i % len(ZONES)]
    if i % 2 == 0:
        a, b = rng.sample(range(7), 2)
        windows.append({"name": f"w{i}", "timezone": zone, "kind": "weekly",
                        "from": f"{DAYS[a]} {rng.randrange(24):02}:{rng.choice([0, 30]):02}",
                        "until": f"{DAYS[b]} {rng.randrange(24):02}:00"})
    else:
        month, day = rng.randrange(1, 13), rng.randrange(1, 28)
        windows.append({"name": f"w{i}", "timezone": zone, "kind": "absolute",
                        "from": f"2026-{month:02}-{day:02} {rng.randrange(24):02}:00",
                        "until": f"2026-{month:02}-{day + 1:02} {rng.randrange(24):02}:00"})
with open(os.path.join(work, "big.yml"), "w") as f:
    f.write("windows:\n")
    for w in windows:
        f.write(f"  - {{name: {w['name']}, timezone: {w['timezone']}, from: \"{w['from']}\", until: \"{w['until']}\"}}\n")
with open(os.path.join(work, "big.json"), "w") as f:
    json.dump(windows, f)
with open(os.path.join(work, "minutes.yml"), "w") as f:
    f.write('windows:\n  - {name: minutes, freeze_start: "*/2 * * * *", freeze_end: "1-59/2 * * * *", '
            'cron_timezone: Europe/Berlin}\n')
with open(os.path.join(work, "one.yml"), "w") as f:
    f.write('windows:\n  - {name: weekend, from: "Fri 17:00", until: "Mon 09:00", timezone: America/New_York}\n')

# The baselines: the same work in Python with zoneinfo (the standard library's IANA zones).
with open(os.path.join(work, "verdict.py"), "w") as f:
    f.write('''import json, sys, yaml
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
at = datetime.fromisoformat(sys.argv[2].replace("Z", "+00:00"))
def utc(local, zone):
    return local.replace(tzinfo=zone).astimezone(timezone.utc)
frozen = []
if sys.argv[1].endswith(".yml"):  # the gate's own file, read by libyaml (C)
    windows = yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)["windows"]
    for w in windows:
        w["kind"] = "absolute" if w["from"][:1].isdigit() else "weekly"
else:
    windows = json.load(open(sys.argv[1]))
for w in windows:
    zone = ZoneInfo(w["timezone"])
    if w["kind"] == "absolute":
        periods = [(utc(datetime.fromisoformat(w["from"]), zone), utc(datetime.fromisoformat(w["until"]), zone))]
    else:
        fd, ft = w["from"].split(); ud, ut = w["until"].split()
        today = at.astimezone(zone).replace(tzinfo=None)
        monday = (today - timedelta(days=today.weekday())).replace(hour=0, minute=0, second=0)
        periods = []
        for week in (-7, 0):
            start = monday + timedelta(days=week + DAYS.index(fd), hours=int(ft[:2]), minutes=int(ft[3:]))
            end = monday + timedelta(days=week + DAYS.index(ud), hours=int(ut[:2]), minutes=int(ut[3:]))
            if end <= start:
                end += timedelta(days=7)
            periods.append((utc(start, zone), utc(end, zone)))
    for s, e in periods:
        if s <= at < e:
            frozen.append((w["name"], e))
print("frozen" if frozen else "open", max((e for _, e in frozen), default=""))
sys.exit(1 if frozen else 0)
''')
with open(os.path.join(work, "walk.py"), "w") as f:
    f.write('''import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
zone = ZoneInfo("Europe/Berlin")
t = datetime(2026, 1, 1, tzinfo=timezone.utc)
end = datetime(2027, 1, 1, tzinfo=timezone.utc)
out = sys.stdout
while t < end:
    local = t.astimezone(zone)
    if local.minute % 2 == 0 and not local.fold:  # cron fires once in a repeated hour
        stop = (t + timedelta(minutes=1, seconds=1)).astimezone(zone)
        out.write(f"freeze minutes: {local:%a %Y-%m-%d %H:%M %Z} ({t:%Y-%m-%dT%H:%M:%SZ}) to "
                  f"{stop:%a %Y-%m-%d %H:%M %Z}\\n")
    t += timedelta(minutes=1)
''')


def run(cmd, codes=(0, 1)):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=work)
    if p.returncode not in codes:
        sys.exit(f"freeze.py: {' '.join(cmd)} exited {p.returncode}: {p.stderr[-500:]}")
    return p


def hyperfine(name, commands, runs, warmup=2):
    """Mean and stddev in ms of each command, by its name."""
    out = os.path.join(work, name + ".json")
    args = ["hyperfine", "-N", "-i", "--warmup", str(warmup), "--runs", str(runs), "--export-json", out]
    for label, cmd in commands:
        args += ["-n", label, cmd]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, cwd=work)
    return {r["command"]: (r["mean"] * 1000, r["stddev"] * 1000) for r in json.load(open(out))["results"]}


def peak_rss(cmd):
    log = os.path.join(work, "time.log")
    with open(os.devnull, "w") as null:
        subprocess.run(["/usr/bin/time", "-v", "-o", log] + cmd, stdout=null, stderr=null, cwd=work)
    for line in open(log):
        if "Maximum resident" in line:
            return int(line.split(":")[1]) / 1024
    return float("nan")


# Both sides must give the same answer, or the comparison would time different work.
gate = run([freeze, "--calendar", "big.yml", "--at", AT, "--format", "json"])
base = run([python, "verdict.py", "big.json", AT])
if (gate.returncode == 1) != base.stdout.startswith("frozen"):
    sys.exit(f"freeze.py: the gate and the baseline disagree: exit {gate.returncode}, baseline {base.stdout}")
listed = run([freeze, "--calendar", "minutes.yml", "--list", "--from", "2026-01-01T00:00:00Z",
              "--until", "2027-01-01T00:00:00Z"], codes=(0,))
walked = run([python, "walk.py"])
n_listed = listed.stdout.count("\nfreeze minutes:") + listed.stdout.startswith("freeze minutes:")
n_walked = walked.stdout.count("\n")
# In the hour the clocks go back, a period runs from a start's first occurrence to its end's
# second one, so the gate merges that hour's 30 periods into one; the walk does not.
if not 0 <= n_walked - n_listed <= 29:
    sys.exit(f"freeze.py: --list gave {n_listed} periods, the walk {n_walked}")

base_yaml = run([python, "verdict.py", "big.yml", AT])
if base_yaml.stdout != base.stdout:
    sys.exit(f"freeze.py: the baseline reads the YAML differently: {base_yaml.stdout} / {base.stdout}")
big = hyperfine("verdict", [("shipgate-freeze", f"{freeze} --calendar big.yml --at {AT}"),
                            ("python-zoneinfo", f"{python} verdict.py big.json {AT}"),
                            ("python-yaml-zoneinfo", f"{python} verdict.py big.yml {AT}")], runs=10)
year = hyperfine("list", [("shipgate-freeze", f"{freeze} --calendar minutes.yml --list --from "
                           "2026-01-01T00:00:00Z --until 2027-01-01T00:00:00Z"),
                          ("python-zoneinfo", f"{python} walk.py")], runs=3, warmup=1)
small = hyperfine("startup", [("true", "/bin/true"), ("version", f"{freeze} --version"),
                              ("one-window", f"{freeze} --calendar one.yml --at {AT}")], runs=300, warmup=20)
rss_big = peak_rss([freeze, "--calendar", "big.yml", "--at", AT])
rss_year = peak_rss([freeze, "--calendar", "minutes.yml", "--list", "--from", "2026-01-01T00:00:00Z",
                     "--until", "2027-01-01T00:00:00Z"])


def fmt(ms):
    return f"{ms[0]:.1f} ms ± {ms[1]:.1f}" if ms[0] < 1000 else f"{ms[0] / 1000:.2f} s ± {ms[1] / 1000:.2f}"


print(f"- {os.cpu_count()} cores; load average at start: {open('/proc/loadavg').read().split()[:3]}")
print(f"- calendar: {len(windows)} windows ({gate.returncode and 'frozen' or 'open'} at {AT}); "
      f"list: {n_listed} periods in 2026 (the walk: {n_walked}; the gate merges the repeated hour's)")
print()
print("| figure | shipgate-freeze | baseline, same run | ratio |")
print("|---|---|---|---|")
print(f"| verdict, 10,000-window calendar | {fmt(big['shipgate-freeze'])} | Python zoneinfo, same YAML file "
      f"(libyaml): {fmt(big['python-yaml-zoneinfo'])} | "
      f"{big['shipgate-freeze'][0] / big['python-yaml-zoneinfo'][0]:.2f}x |")
print(f"| the same | | Python zoneinfo, windows as JSON: {fmt(big['python-zoneinfo'])} | "
      f"{big['shipgate-freeze'][0] / big['python-zoneinfo'][0]:.2f}x |")
print(f"| --list, a year of a minute cron ({n_listed} periods) | {fmt(year['shipgate-freeze'])} | Python zoneinfo "
      f"walk: {fmt(year['python-zoneinfo'])} | {year['shipgate-freeze'][0] / year['python-zoneinfo'][0]:.2f}x |")
for label, what in (("version", "--version"), ("one-window", "one-window verdict")):
    print(f"| {what} | {fmt(small[label])} | /bin/true: {fmt(small['true'])} | "
          f"{small[label][0] / small['true'][0]:.1f}x |")
print(f"| peak RSS, 10,000 windows / the year's list | {rss_big:.0f} MiB / {rss_year:.0f} MiB | | |")
