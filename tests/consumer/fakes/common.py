"""Shared bits of the fake Pacifica services used by the consumer tests: a threaded
http.server on 127.0.0.1 port 0 that prints `port=N` on stdout once it listens."""

import http.server
import json
import socketserver
import sys


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):  # keep test output readable: log to stderr, one line
        sys.stderr.write('%s %s\n' % (self.__class__.__name__, fmt % args))

    def body(self):
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def send(self, status, payload=b'', content_type='application/json', headers=None):
        if not isinstance(payload, bytes):
            payload = json.dumps(payload).encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(payload)


def serve(handler_class):
    server = Server(('127.0.0.1', 0), handler_class)
    print('port=%d' % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
