"""A real HTTPS server on 127.0.0.1, started by the tests that fetch URLs.

Its certificate is made by `openssl` for the test session and trusted through SSL_CERT_FILE,
as an operator's own CA would be. What it answers is set per path by the test:
`server.routes["/audio.wav"] = Answer(body=...)`; every request it gets is in `server.requests`.
"""

import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    # Send the body this many bytes at a time, waiting `pause` seconds between pieces.
    piece: int = 0
    pause: float = 0.0
    # Leave out Content-Length (the body then ends when the connection closes).
    no_length: bool = False
    # For a run of answers to the same path: the first ones, then this one for good.
    then: "Answer" = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        server = self.server
        server.requests.append(self.path)
        answer = server.routes.get(self.path.split("?")[0], Answer(404, b"not found"))
        if answer.then is not None:
            server.routes[self.path.split("?")[0]] = answer.then
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if not answer.no_length:
            self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        try:
            if not answer.piece:
                self.wfile.write(answer.body)
                return
            for offset in range(0, len(answer.body), answer.piece):
                self.wfile.write(answer.body[offset : offset + answer.piece])
                self.wfile.flush()
                time.sleep(answer.pause)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass  # the client gave up, as it should have

    def log_message(self, *args):
        pass


class HTTPSServer:
    def __init__(self, certificate, key):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.routes, self.httpd.requests = {}, []
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def routes(self):
        return self.httpd.routes

    @property
    def requests(self):
        return self.httpd.requests

    def url(self, path):
        return f"https://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and localhost: (certificate path, key path)."""
    folder = tmp_path_factory.mktemp("tls")
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(certificate), "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


@pytest.fixture
def https_server(certificate, monkeypatch, settings):
    """The server, trusted by this process, and 127.0.0.1 allowed to be fetched from."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    settings.SAFE_HTTP_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    server = HTTPSServer(*certificate)
    yield server
    server.stop()
