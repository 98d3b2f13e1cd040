"""A raw HTTP/1.1 event-stream subscriber, for what a browser cannot show the tests: when the
first bytes arrive, what a subscriber with a given JWT receives, a client that stops reading."""

import socket
import threading
import time


class Subscriber:
    def __init__(self, port, topics, authorization=None, receive_buffer=None, timeout=10):
        self.port = port
        self.path = "/.well-known/mercure?" + "&".join(f"topic={t}" for t in topics)
        self.authorization = authorization
        self.receive_buffer = receive_buffer
        self.timeout = timeout
        self.sock = None
        self.status = None
        self.headers = {}
        self.events = []      # (id, data) of each event received, in order
        self.ended = False    # the server ended the stream
        self.blocks = 0       # comments and events received
        self._body = ChunkedDecoder()
        self._text = b""
        self._thread = None

    def connect(self):
        """Connects and sends the request; returns the seconds until the status line, the headers
        and the hub's first comment have arrived (what makes EventSource fire `open`)."""
        started = time.perf_counter()
        self.sock = socket.socket()
        if self.receive_buffer:  # before connect(): the window a peer may fill is then this small
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.receive_buffer)
        self.sock.settimeout(self.timeout)
        self.sock.connect(("127.0.0.1", self.port))
        auth = f"Authorization: Bearer {self.authorization}\r\n" if self.authorization else ""
        self.sock.sendall(f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                          f"Accept: text/event-stream\r\nCache-Control: no-cache\r\n{auth}\r\n".encode())
        raw = b""
        while b"\r\n\r\n" not in raw:
            raw += self._recv()
        head, rest = raw.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        if self.status == 200:
            self._feed(rest)
            while not self.blocks and not self.ended:  # the hub's ":ok" comment
                self._feed(self._recv())
        return time.perf_counter() - started

    def _recv(self):
        data = self.sock.recv(1 << 20)
        if not data:
            raise ConnectionError("connection closed")
        return data

    def _feed(self, data):
        self._text += self._body.feed(data)
        self.ended = self._body.done
        *blocks, self._text = self._text.split(b"\n\n")
        self.blocks += len(blocks)
        for block in blocks:
            fields = {}
            for line in block.split(b"\n"):
                if line and not line.startswith(b":"):
                    name, _, value = line.partition(b":")
                    fields.setdefault(name.decode(), []).append(value[1:] if value.startswith(b" ") else value)
            if "data" in fields:
                self.events.append((b"".join(fields.get("id", [b""])).decode(), b"\n".join(fields["data"]).decode()))

    def read_until(self, count, timeout):
        """Reads until `count` events arrived, the stream ended or the deadline passed."""
        deadline = time.monotonic() + timeout
        self.sock.settimeout(0.2)
        while len(self.events) < count and not self.ended and time.monotonic() < deadline:
            try:
                self._feed(self._recv())
            except socket.timeout:
                continue
        return self.events

    def read_in_background(self, count, timeout):
        self._thread = threading.Thread(target=self.read_until, args=(count, timeout), daemon=True)
        self._thread.start()
        return self

    def join(self, timeout):
        self._thread.join(timeout)
        return self.events

    def close(self):
        if self.sock:
            self.sock.close()


class ChunkedDecoder:
    """Transfer-Encoding: chunked, decoded as the bytes come."""

    def __init__(self):
        self.buffer = b""
        self.left = 0        # bytes of the current chunk still to come
        self.crlf = False    # a chunk's closing CRLF still to come
        self.done = False

    def feed(self, data):
        self.buffer += data
        out = []
        while self.buffer and not self.done:
            if self.left:
                piece = self.buffer[:self.left]
                out.append(piece)
                self.buffer = self.buffer[len(piece):]
                self.left -= len(piece)
                self.crlf = self.left == 0
            elif self.crlf:
                if len(self.buffer) < 2:
                    break
                self.buffer, self.crlf = self.buffer[2:], False
            else:
                line, sep, rest = self.buffer.partition(b"\r\n")
                if not sep:
                    break
                self.buffer = rest
                self.left = int(line.split(b";")[0], 16)
                self.done = self.left == 0
        return b"".join(out)
