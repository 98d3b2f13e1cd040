"""scripts/prod.py refuses to start a stack that cannot work, with one clear line, and a stack
missing one of its processes does not stay up."""

import socket

import pytest


def run_prod(stack, timeout=60):
    """prod.py to its end (the stack's finalizer stops it if it started after all); its output."""
    stack.start(wait=False)
    returncode = stack.process.wait(timeout=timeout)
    return returncode, stack.log().split("\n", 1)[1]  # after the "---- start" line


@pytest.fixture
def stack(make_stack):
    return make_stack()


@pytest.mark.parametrize("missing", [
    ["FLASK_SECRET_KEY"],
    ["MERCURE_PUBLISHER_JWT_KEY", "MERCURE_SUBSCRIBER_JWT_KEY"],
    ["FLASK_SQLORM_URI"],
])
def test_missing_settings_stop_the_start_with_one_line(stack, missing):
    for name in missing:
        del stack.env[name]
    returncode, output = run_prod(stack)
    assert returncode == 1
    plural = "s" if len(missing) > 1 else ""
    assert output.splitlines() == [f"prod: missing environment variable{plural} {', '.join(missing)} (see README.md, Production)"]


@pytest.mark.parametrize("name,value,message", [
    ("FLASK_DEBUG", "1", "prod: FLASK_DEBUG and FLASK_ENV must be unset: the production stack runs in production mode"),
    ("FLASK_ENV", "testing", "prod: FLASK_DEBUG and FLASK_ENV must be unset: the production stack runs in production mode"),
    ("PORT", "http", "prod: PORT must be a port number (1-65535), got 'http'"),
    ("WEB_CONCURRENCY", "0", "prod: WEB_CONCURRENCY must be a number of workers (1 or more), got '0'"),
    ("BUNDLED_HUB", "maybe", "prod: BUNDLED_HUB must be true or false, got 'maybe'"),
    ("BUNDLED_HUB", "false", "prod: BUNDLED_HUB=false needs FLASK_MERCURE_HUB_URL (where the app publishes) and "
                             "HUB_UPSTREAM (where the proxy sends /.well-known/mercure, host:port)"),
])
def test_bad_settings_stop_the_start_with_one_line(stack, name, value, message):
    stack.env[name] = value
    returncode, output = run_prod(stack)
    assert returncode == 1
    assert output.splitlines() == [message]


def test_same_ports_are_refused(stack):
    stack.env["HUB_PORT"] = stack.env["WEB_PORT"]
    returncode, output = run_prod(stack)
    assert returncode == 1
    assert output.startswith("prod: PORT, WEB_PORT and HUB_PORT must differ")


def test_failed_migrations_start_nothing(stack):
    stack.database.write_bytes(b"this is not an SQLite database" * 100)
    returncode, output = run_prod(stack)
    assert returncode == 1
    assert output.splitlines()[-1] == "prod: migrations failed (hyperflask db init exited 1); nothing started"
    assert "started (pid=" not in output


def test_a_process_that_cannot_start_stops_the_whole_stack_non_zero(make_stack):
    """The hub's port is taken: the hub exits, honcho stops the proxy and the web server, and
    the stack exits non-zero: never a stack that runs without its hub."""
    stack = make_stack()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", stack.hub_port))
        taken.listen()
        stack.start(wait=False)
        returncode = stack.process.wait(timeout=30)
    assert returncode == 1
    log = stack.log()
    assert "hub stopped (rc=1)" in log
    assert "sending SIGTERM to proxy" in log and "sending SIGTERM to web" in log
    stack.wait_gone(timeout=10)
