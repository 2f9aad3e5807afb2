"""A fake Slack for tests/slack/run.sh: no network, 127.0.0.1 only.

    python3 server.py SCRIPT PORTFILE LOG

SCRIPT is a file holding one scenario name; it is read on every request,
so the test changes the scenario between runs without restarting. Each
request's path, Authorization header and body go to LOG as one JSON line.
Scenarios (answers to successive requests since the scenario was set):

  ok             200 "ok" (webhook) or {"ok": true} (/api/...)
  ratelimit      429 with Retry-After: 1, then as ok
  flaky          500 twice, then as ok
  down           500 every time
  hang           no answer for 5 s
  invalid        400 "invalid_payload"
  not_found      /api/: 200 {"ok": false, "error": "channel_not_found"}
"""
import http.server
import json
import os
import sys
import threading
import time

lock = threading.Lock()
state = {"scenario": None, "count": 0}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        data = body.encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the hang case)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(sys.argv[1]) as f:
            scenario = f.read().strip()
        with lock:
            if scenario != state["scenario"]:
                state["scenario"], state["count"] = scenario, 0
            state["count"] += 1
            n = state["count"]
            with open(sys.argv[3], "a") as log:
                log.write(json.dumps({"path": self.path,
                                      "auth": self.headers.get("Authorization", ""),
                                      "body": body.decode("utf-8", "replace")}) + "\n")
        api = self.path.startswith("/api/")
        ok = (200, '{"ok":true,"ts":"1.2"}' if api else "ok")
        if scenario == "ratelimit" and n == 1:
            self.answer(429, "", [("Retry-After", "1")])
        elif scenario == "flaky" and n <= 2 or scenario == "down":
            self.answer(500, "internal_error")
        elif scenario == "hang":
            time.sleep(5)
            self.answer(*ok)
        elif scenario == "invalid":
            self.answer(400, "invalid_payload")
        elif scenario == "not_found" and api:
            self.answer(200, '{"ok":false,"error":"channel_not_found"}')
        else:
            self.answer(*ok)


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(sys.argv[2] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(sys.argv[2] + ".tmp", sys.argv[2])
    server.serve_forever()


main()
