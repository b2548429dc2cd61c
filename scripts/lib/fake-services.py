#!/usr/bin/env python3
"""Loopback fakes of the services the network gates read, for scripts/release's checks.

  fake-services.py PORT_FILE [--heroku-key KEY] [--github-token TOKEN] [--commit SHA]

Listens on 127.0.0.1 on a free port and writes the port to PORT_FILE once it accepts connections.
Serves canned JSON:
  GET /health                                a ready app: {"status":"ok","model_loaded":true}
  GET /apps/shipgate-demo[/...]              Heroku's Platform API for one healthy app: the app,
                                             its releases (Range header required), the slugs of
                                             the latest two (the latest built from SHA),
                                             formation, dynos
  GET /repos/o/r[/environments/production]   GitHub's REST API: a public repository and a
                                             production environment with one required reviewer
Anything else is a 404 with a JSON error. Each request is logged to stderr.
"""

import argparse
import datetime
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

APP = "shipgate-demo"
REPO = "o/r"


def iso(seconds_ago):
    t = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=seconds_ago)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def release(version, slug_id, seconds_ago):
    return {
        "version": version,
        "status": "succeeded",
        "description": "Deploy " + slug_id,
        "created_at": iso(seconds_ago),
        "current": version == 42,
        "slug": {"id": slug_id},
        "artifacts": [{"type": "slug", "id": slug_id}],
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    options = None  # set by main

    def log_message(self, fmt, *args):
        sys.stderr.write("fake-services: " + (fmt % args) + "\n")

    def send_json(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/health":
            self.send_json(200, {"status": "ok", "model_loaded": True})
        elif path.startswith("/apps/"):
            self.heroku(path)
        elif path.startswith("/repos/"):
            self.github(path)
        else:
            self.send_json(404, {"message": "Not Found"})

    def heroku(self, path):
        o = self.options
        limit = {"RateLimit-Remaining": "4000"}
        if self.headers.get("Accept") != "application/vnd.heroku+json; version=3":
            self.send_json(406, {"id": "not_acceptable", "message": "Please specify a version."}, limit)
            return
        if self.headers.get("Authorization") != "Bearer " + o.heroku_key:
            self.send_json(401, {"id": "unauthorized", "message": "Invalid credentials provided."}, limit)
            return
        base = "/apps/" + APP
        if path == base:
            self.send_json(200, {"name": APP, "generation": {"name": "cedar"}, "slug_size": 52000000}, limit)
        elif path == base + "/releases":
            if not self.headers.get("Range", "").startswith("version"):
                self.send_json(400, {"id": "bad_request", "message": "Range header expected."}, limit)
                return
            body = [release(42, "slug-42", 3600), release(41, "slug-41", 7200)]
            self.send_json(206, body, dict(limit, **{"Content-Range": "version 41..42"}))
        elif path == base + "/slugs/slug-42":
            self.send_json(200, {"id": "slug-42", "size": 52000000, "commit": o.commit}, limit)
        elif path == base + "/slugs/slug-41":
            self.send_json(200, {"id": "slug-41", "size": 48000000, "commit": "0" * 40}, limit)
        elif path == base + "/formation":
            self.send_json(200, [{"type": "web", "quantity": 1, "size": "basic"}], limit)
        elif path == base + "/dynos":
            self.send_json(200, [{"name": "web.1", "type": "web", "state": "up"}], limit)
        else:
            self.send_json(404, {"id": "not_found", "message": "Couldn't find that app."}, limit)

    def github(self, path):
        o = self.options
        if self.headers.get("Authorization") != "Bearer " + o.github_token:
            self.send_json(401, {"message": "Bad credentials"})
            return
        base = "/repos/" + REPO
        if path == base:
            self.send_json(200, {"full_name": REPO, "private": False})
        elif path == base + "/environments/production":
            reviewer = {"type": "User", "reviewer": {"login": "octocat", "id": 1}}
            self.send_json(200, {
                "id": 1,
                "name": "production",
                "protection_rules": [
                    {"id": 2, "type": "required_reviewers", "prevent_self_review": True,
                     "reviewers": [reviewer]},
                ],
                "deployment_branch_policy": {"protected_branches": True, "custom_branch_policies": False},
            })
        else:
            self.send_json(404, {"message": "Not Found"})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port_file")
    parser.add_argument("--heroku-key", default="heroku-key")
    parser.add_argument("--github-token", default="github-token")
    parser.add_argument("--commit", default="0123456789abcdef0123456789abcdef01234567")
    Handler.options = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_file = Handler.options.port_file
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
