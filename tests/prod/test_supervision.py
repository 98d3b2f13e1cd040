"""Supervision, as documented in the Procfile and README.md, Production: when a process dies,
honcho stops the others and the stack exits non-zero (the container is restarted whole);
SIGTERM stops every process within 10 s; nothing is left behind."""

import os
import signal
import subprocess
import sys
import textwrap
import time

from playwright.sync_api import expect
from prodstack import ROOT
from sse import Subscriber


def test_a_killed_hub_ends_the_stack_and_a_page_converges_once_it_is_back(make_stack, users, unique):
    stack = make_stack().start()
    alice = users(stack, "alice")
    title = unique("Groceries")
    alice.open_index()
    alice.create_list(title)
    alice.open_list(title)
    alice.add_item("Bread")
    alice.expect_items("Bread")

    os.kill(stack.pid_of(r"^python hub\.py"), signal.SIGKILL)

    assert stack.process.wait(timeout=15) == 128 + signal.SIGKILL  # the hub's fate, as a shell says
    stack.wait_gone(timeout=10)
    assert "hub stopped (rc=-9)" in stack.log()
    connection = alice.page.locator("[data-connection]")
    expect(connection).not_to_have_attribute("data-connection", "open")

    # Meanwhile, a change is committed while no hub listens (a script using the app's models):
    # its publish fails, which is logged, and the change stays.
    change = add_item_with_the_app(stack, title, "Milk")
    assert change.returncode == 0, change.stderr
    assert "unreachable (ConnectionError); the change is saved" in change.stderr

    stack.start()
    # the page reconnects by itself (the sse extension retries with backoff), fetches the page
    # again on open and shows what changed meanwhile
    expect(connection).to_have_attribute("data-connection", "open", timeout=30_000)
    alice.expect_items("Bread", "Milk")
    alice.add_item("Eggs")  # and it is live again
    alice.expect_items("Bread", "Milk", "Eggs")


def test_sigterm_stops_every_process_within_10_seconds(make_stack, users):
    stack = make_stack().start()
    alice = users(stack, "alice")
    alice.open_index()  # a browser's event stream through the proxy
    subscriber = Subscriber(stack.port, ["TodoList"])
    subscriber.connect()  # and a raw one
    processes = stack.describe(stack.running_pids())
    assert any("caddy run" in c for c in processes.values())
    assert sum("gunicorn" in c for c in processes.values()) == 3  # master and WEB_CONCURRENCY=2 workers
    assert any(c.startswith("python hub.py") for c in processes.values())

    seconds = stack.stop(timeout=10)

    print(f"SIGTERM to the supervisor: every process of the stack gone after {seconds:.2f} s")
    assert seconds < 10
    assert stack.process.returncode == 128 + signal.SIGTERM
    assert stack.running_pids() == []
    for pid in processes:
        assert not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"
    try:
        subscriber.read_until(1, timeout=5)
    except ConnectionError:
        pass  # closed rather than ended: either way over, and the browser reconnects
    assert subscriber.events == []
    subscriber.close()


def test_make_prod_runs_the_stack_and_ctrl_c_stops_it(make_stack, users, unique):
    """`make prod`: generated secrets (never shown), migrations, the Procfile stack; Ctrl-C in
    its terminal (SIGINT to the foreground process group) stops every process."""
    stack = make_stack()
    for name in stack.secrets:  # make prod makes its own
        del stack.env[name]
    stack.start(command=["make", "--no-print-directory", "prod", f"PROD_DATABASE=sqlite:///{stack.database}"])
    alice = users(stack, "alice")
    alice.open_index()
    title = unique("Weekend")
    alice.create_list(title)
    alice.expect_list(title)
    assert stack.get_json("/up")[0] == 200
    assert "SECRET_KEY" not in stack.log() and "JWT_KEY" not in stack.log()

    started = time.monotonic()
    os.killpg(stack.process.pid, signal.SIGINT)
    assert stack.process.wait(timeout=10) != 0  # make reports the interrupted recipe
    stack.wait_gone(timeout=10 - (time.monotonic() - started))
    assert "SIGINT received" in stack.log()


def add_item_with_the_app(stack, list_title, item_title):
    """A change made with the app's own models, in a process of its own, against the stack's
    database and hub URL, the way a maintenance script or a worker would make it."""
    script = textwrap.dedent(f"""
        from hyperflask.factory import create_app
        app = create_app({str(ROOT)!r})
        from models import TodoList
        with app.test_request_context():
            TodoList.find_one(title={list_title!r}).add({item_title!r})
    """)
    env = {k: v for k, v in stack.env.items() if k not in ("PORT",)}
    env["FLASK_MERCURE_HUB_URL"] = f"http://127.0.0.1:{stack.hub_port}/.well-known/mercure"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 30
    return result
