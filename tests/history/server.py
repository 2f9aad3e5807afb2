"""A local HTTP server for the restore tests (tests/history/run.sh).

    python3 server.py DIR PORTFILE

Serves the files of DIR; /slow answers after 5 s, /html-page is an HTML
page with status 200, /stream sends 1 MB without a Content-Length, anything
else missing is a 404. Writes the port it listens on (127.0.0.1, a free
one) to PORTFILE.
"""
import http.server
import os
import sys
import time


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/slow":
            time.sleep(5)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"late")
        elif self.path == "/html-page":
            body = b"<!DOCTYPE html><html><body>Login required</body></html>\n" * 20
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/stream":
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(256):
                    self.wfile.write(b"x" * 4096)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
        else:
            super().do_GET()


def main():
    os.chdir(sys.argv[1])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[2] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(sys.argv[2] + ".tmp", sys.argv[2])
    server.serve_forever()


main()
