"""A quiet threaded HTTP server on 127.0.0.1 for the benchmarks' fake services."""
import http.server
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers with send_body; logs nothing (the log would cost more than the gate)."""

    def send_body(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(handler):
    """Starts serving `handler` on a free port in a daemon thread; returns the port. The listen
    backlog is raised: the default 5 drops concurrent connects, which would measure the server."""
    http.server.ThreadingHTTPServer.request_queue_size = 1024
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]
