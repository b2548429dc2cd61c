#!/usr/bin/env python3
"""shipgate-smoke's figures, each against a baseline measured in the same run:
- from "service became healthy" to gate exit, shipgate-smoke --interval 1s against the loop
  people write today (curl --retry N --retry-all-errors --retry-delay 1);
- 200 URLs polled at once for 10 s against a server that is never ready: CPU time and peak RSS
  (targets: under 5% of a core, under 32 MiB);
- the stripped size of the static gate.
Usage: bench/smoke.py SMOKE_BINARY"""
import os
import resource
import subprocess
import sys
import time

import loopback

smoke = sys.argv[1]
ready_at = [None]


class Handler(loopback.Handler):
    def do_GET(self):
        healthy = ready_at[0] is not None and time.monotonic() >= ready_at[0]
        body = b'{"model_loaded":true}' if healthy else b'{"status":"warming_up","model_loaded":false}'
        self.send_body(200 if healthy else 503, body)


url = f"http://127.0.0.1:{loopback.serve(Handler)}/v1/health"


def after_healthy(cmd, delay=3.3):
    """Seconds from the service turning healthy to the command's exit (mean of 3 runs)."""
    lags = []
    for _ in range(3):
        ready_at[0] = time.monotonic() + delay
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        lags.append(time.monotonic() - ready_at[0])
    ready_at[0] = None
    return sum(lags) / len(lags)


gate = after_healthy([smoke, "--url", url, "--interval", "1s", "--warmup", "30s", "--expect-json",
                      "/model_loaded == true"])
loop = after_healthy(["curl", "-sf", "--retry", "30", "--retry-all-errors", "--retry-delay", "1", "-o",
                      os.devnull, url])
print(f"| healthy -> exit, shipgate-smoke --interval 1s | {gate * 1000:.0f} ms |")
print(f"| healthy -> exit, curl --retry-all-errors --retry-delay 1 | {loop * 1000:.0f} ms |")
print(f"| ratio | {gate / loop:.2f}x |")

for interval in ("5s", "1s"):  # the default, and a tight one (200 requests a second)
    args = [smoke, "--warmup", "15s", "--deadline", "15s", "--interval", interval]
    for i in range(200):
        args += ["--url", f"{url}?n={i}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"| 200 URLs, --interval {interval}, {wall:.1f} s: CPU | {cpu:.2f} s ({100 * cpu / wall:.1f}% of a core) |")
    print(f"| 200 URLs, --interval {interval}: peak RSS | {after.ru_maxrss / 1024:.1f} MiB |")
subprocess.run(["strip", "-o", "/tmp/shipgate-smoke.stripped", smoke], check=True)
print(f"| stripped static binary | {os.path.getsize('/tmp/shipgate-smoke.stripped') / 1048576:.1f} MiB |")
