#!/usr/bin/env python3
"""shipgate-release's sweep figure: 200 healthy apps behind a local fake of the Platform API that
adds 100 ms to every answer. One run checking all 200 at once, against the same 200 checked one
by one (one run per app), in the same run; plus peak RSS of the concurrent run.
Target: concurrent at least 10x faster. Usage: bench/release.py RELEASE_BINARY [APPS]"""
import json
import resource
import subprocess
import sys
import time

import loopback

binary = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
apps = [f"raxx-app{i}-prod" for i in range(count)]


class Handler(loopback.Handler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        time.sleep(0.1)
        parts = self.path.split("/")
        if len(parts) == 3:
            body = {"name": parts[2], "generation": {"name": "cedar"}, "slug_size": 1000}
        elif parts[3] == "releases":
            body = [{"version": 7, "status": "succeeded", "description": "Deploy", "created_at": "2026-01-01T00:00:00Z",
                     "slug": {"id": "s1"}, "artifacts": [{"type": "slug", "id": "s1"}]}]
        elif parts[3] == "slugs":
            body = {"size": 1000, "commit": "0123456789abcdef"}
        elif parts[3] == "formation":
            body = [{"type": "web", "quantity": 1, "size": "basic"}]
        else:
            body = [{"name": "web.1", "type": "web", "state": "up"}]
        self.send_body(200, json.dumps(body).encode())


env = {"HEROKU_API_KEY": "bench-token", "HEROKU_API_URL": f"http://127.0.0.1:{loopback.serve(Handler)}",
       "PATH": "/usr/bin:/bin"}


def run(args):
    subprocess.run([binary, "--format", "json", "--expect-commit", "none"] + args, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


start = time.monotonic()
run(["--apps", ",".join(apps)])
concurrent = time.monotonic() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
start = time.monotonic()
for app in apps:
    run(["--app", app])
one_by_one = time.monotonic() - start
print(f"| {count} apps at once, 100 ms per answer | {concurrent:.2f} s |")
print(f"| the same one by one (one run per app) | {one_by_one:.2f} s |")
print(f"| speed-up | {one_by_one / concurrent:.1f}x |")
print(f"| peak RSS, {count} apps at once | {rss:.1f} MiB |")
