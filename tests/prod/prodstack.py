"""The production stack as the tests run it: `python scripts/prod.py` (what `make prod` and the
Docker image run), on free loopback ports, with a temporary SQLite file and fresh secrets.

Every process of a stack carries a marker in its environment, so that after a stop the tests
can tell that none is left, whatever became of the process tree."""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import jwt

ROOT = Path(__file__).resolve().parents[2]
MARKER = "TODOS_TEST_STACK"
START_TIMEOUT = 60  # seconds; a start is ~3 s here (migrations ~2 s)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def poll(condition, timeout, interval=0.05, message="condition"):
    """condition() until it returns something truthy, which is returned; fails at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{message}: not reached within {timeout} s")
        time.sleep(interval)


class Stack:
    def __init__(self, workdir, python=sys.executable, **env):
        self.python = str(python)  # the interpreter of the environment the stack runs from
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.database = self.workdir / "app.db"
        self.port, self.web_port, self.hub_port = free_port(), free_port(), free_port()
        self.secrets = {name: secrets.token_urlsafe(32) for name in
                        ("FLASK_SECRET_KEY", "MERCURE_PUBLISHER_JWT_KEY", "MERCURE_SUBSCRIBER_JWT_KEY")}
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("FLASK_", "MERCURE_", "GUNICORN_", "HUB_"))
                and k not in ("PORT", "WEB_PORT", "BIND_ADDRESS", "WEB_CONCURRENCY", "TRUSTED_PROXIES", "BUNDLED_HUB")}
        self.env = {
            **base, **self.secrets,
            "FLASK_SQLORM_URI": f"sqlite:///{self.database}",
            "PORT": str(self.port), "WEB_PORT": str(self.web_port), "HUB_PORT": str(self.hub_port),
            "BIND_ADDRESS": "127.0.0.1", "WEB_CONCURRENCY": "2",
            # Caddy keeps its (unused) storage here rather than in $HOME
            "XDG_DATA_HOME": str(self.workdir / "xdg-data"), "XDG_CONFIG_HOME": str(self.workdir / "xdg-config"),
            **env,
        }
        self.url = f"http://127.0.0.1:{self.port}"
        self.hub_url = f"{self.url}/.well-known/mercure"
        self.log_path = self.workdir / "stack.log"
        self.process = None
        self.marker = None
        self.starts = 0

    # -- life cycle --------------------------------------------------------------------------
    def start(self, wait=True, command=None):
        """Runs scripts/prod.py (or `command`, e.g. make prod) in a session of its own."""
        assert self.process is None or self.process.poll() is not None, "already running"
        self.marker = uuid.uuid4().hex
        self.starts += 1
        log = open(self.log_path, "a")
        log.write(f"---- start {self.starts}\n")
        log.flush()
        self.process = subprocess.Popen(command or [self.python, str(ROOT / "scripts" / "prod.py")],
                                        env={**self.env, MARKER: self.marker}, cwd=ROOT,
                                        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        log.close()
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=START_TIMEOUT):
        """Until the app answers /up through the proxy (200, or 503 from a stack set up broken)."""
        def answered():
            if self.process.poll() is not None:
                raise AssertionError(f"the stack exited with {self.process.returncode} while starting:\n{self.log()[-4000:]}")
            try:
                status, body = self.get_json("/up")
            except OSError:
                return False
            return status in (200, 503) and "checks" in body
        poll(answered, timeout, interval=0.1, message=f"the stack answering {self.url}/up")

    def stop(self, timeout=10):
        """SIGTERM to the supervisor; returns the seconds until every process of the stack is gone."""
        if self.process is None or self.process.poll() is not None:
            return 0.0
        started = time.monotonic()
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        self.wait_gone(timeout=max(0.1, timeout - (time.monotonic() - started)))
        return time.monotonic() - started

    def wait_gone(self, timeout=10):
        """Until no process of this stack runs; kills the stragglers and fails if any is left."""
        try:
            poll(lambda: not self.running_pids(), timeout, message="every process of the stack gone")
        except AssertionError:
            left = self.describe(self.running_pids())
            for pid in self.running_pids():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            raise AssertionError(f"processes left behind (now killed): {left}")

    def cleanup(self):
        """Fixture finalizer: stop whatever still runs, and check nothing is left behind."""
        if self.process is not None and self.process.poll() is None:
            self.stop()
        elif self.marker:
            self.wait_gone(timeout=10)

    # -- processes -----------------------------------------------------------------------------
    def running_pids(self):
        """PIDs of live (not zombie) processes whose environment carries this start's marker."""
        needle = f"{MARKER}={self.marker}".encode()
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0") and process_state(int(entry.name)) != "Z":
                    pids.append(int(entry.name))
            except OSError:  # gone meanwhile, or not ours to read
                continue
        return pids

    def pid_of(self, pattern):
        """The one process of the stack whose command line matches pattern."""
        found = [pid for pid in self.running_pids() if re.search(pattern, command_line(pid))]
        assert len(found) == 1, f"{pattern!r} matches {self.describe(found)}"
        return found[0]

    def describe(self, pids):
        return {pid: command_line(pid) for pid in pids}

    # -- HTTP, logs, tokens --------------------------------------------------------------------
    def get(self, path, headers=None, timeout=5):
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def get_json(self, path):
        status, _, body = self.get(path)
        try:
            return status, json.loads(body)
        except ValueError:
            return status, {}

    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, pattern, timeout=10):
        return poll(lambda: re.search(pattern, self.log()), timeout, interval=0.1, message=f"log line {pattern!r}")

    def publisher_jwt(self, topics=("*",)):
        return jwt.encode({"mercure": {"publish": list(topics)}}, self.secrets["MERCURE_PUBLISHER_JWT_KEY"], algorithm="HS256")

    def subscriber_jwt(self, topics):
        return jwt.encode({"mercure": {"subscribe": list(topics)}}, self.secrets["MERCURE_SUBSCRIBER_JWT_KEY"], algorithm="HS256")


def process_state(pid):
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[1].split()[0]


def command_line(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"
