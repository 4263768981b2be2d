"""A webhook receiver on 127.0.0.1, started by the tests that deliver events.

It keeps every POST it gets (headers, exact body, when it arrived) and answers as the test
scripts it: `receiver.answers = [500, 500]` answers 500 twice and then 200 for good;
`receiver.hang = True` never answers; `receiver.endless = True` answers 200 with a body that
never ends. `close_verify` is Close's own published receiver code,
which a delivery must satisfy.
"""

import contextlib
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def close_verify(headers, payload, key):
    """Close's sample code for checking a webhook's signature, verbatim but for the `return`
    (developer.close.com, "Webhooks"; `headers` with lowercase names, `payload` the body as
    text, `key` the subscription's signature_key)."""
    data = headers["close-sig-timestamp"] + payload
    signature = hmac.new(bytearray.fromhex(key), data.encode("utf-8"), hashlib.sha256).hexdigest()
    valid = hmac.compare_digest(headers["close-sig-hash"], signature)
    return valid


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    arrived: float  # time.monotonic()

    @property
    def payload(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    def verifies_with(self, key):
        return close_verify(self.headers, self.payload, key)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_POST(self):
        receiver = self.server.receiver
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {name.lower(): value for name, value in self.headers.items()}
        receiver.received.append(Received(self.path, headers, body, time.monotonic()))
        if receiver.hang:
            receiver.stopped.wait()
            return
        if receiver.endless:
            self._stream_forever(receiver)
            return
        status = receiver.answers.pop(0) if receiver.answers else 200
        answer = receiver.body
        self.send_response(status)
        for name, value in receiver.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(answer)

    def _stream_forever(self, receiver):
        self.send_response(200)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while not receiver.stopped.is_set():
                self.wfile.write(b"x" * 4096)
                self.wfile.flush()

    def log_message(self, *args):
        pass


class Receiver:
    def __init__(self):
        self.received, self.answers = [], []
        self.hang, self.endless, self.body, self.headers = False, False, b"ok", {}
        self.stopped = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.receiver = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def stop(self):
        self.stopped.set()
        self.httpd.shutdown()
        self.httpd.server_close()
