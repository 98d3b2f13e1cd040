"""Benchmark: how long a change takes to show in another browser.

For each sample, user A adds an item and we time from A's form submit to the item's insertion in
user B's page (two browser contexts, one Chromium, both clocks are this machine's). The same
measurement runs against a floor: a bare Flask app with an in-process queue per SSE client and
htmx's sse extension appending the fragment (no database, no hub, no rendering). Results are
reported as ratios to the floor measured in the same run (this machine is shared and noisy),
with median and p99; raw samples go to bench-results/latency-<timestamp>.json.

    make bench            # or: .venv/bin/python bench/latency.py --samples 200
"""

import argparse
import json
import logging
import os
import queue
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from flask import Flask, request
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import chromium_path  # noqa: E402


def floor_app():
    """The least a server can do: one queue per stream, the fragment appended as it comes."""
    app = Flask(__name__, static_folder=str(ROOT / "public"), static_url_path="/static")
    clients = []
    lock = threading.Lock()

    @app.get("/")
    def page():
        return """<!doctype html><script src="/static/vendor/htmx.min.js"></script>
<script src="/static/vendor/htmx-ext-sse.min.js"></script>
<div hx-ext="sse" sse-connect="/stream" id="live"><ul id="items" sse-swap="message" hx-swap="beforeend"></ul></div>
<form hx-post="/add" hx-swap="none"><input name="title" aria-label="New item"><button>Add</button></form>
<script>document.body.addEventListener("htmx:sseOpen", () => document.getElementById("live").dataset.connection = "open")</script>"""

    @app.get("/stream")
    def stream():
        q = queue.Queue()
        with lock:
            clients.append(q)

        def events():
            yield ":ok\n\n"
            try:
                while True:
                    yield f"data: {q.get()}\n\n"
            finally:
                with lock:
                    clients.remove(q)
        return events(), {"Content-Type": "text/event-stream"}

    @app.post("/add")
    def add():
        fragment = f"<li>{request.form['title']}</li>"
        with lock:
            for q in clients:
                q.put(fragment)
        return ""

    return app, "/"


def todos_app():
    database = Path(tempfile.mkdtemp()) / "bench.db"
    os.environ.update(FLASK_ENV="testing", FLASK_SQLORM_URI=f"sqlite:///{database}", FLASK_SECRET_KEY=secrets.token_hex(32))
    from hyperflask.factory import create_app
    from models import TodoList

    app = create_app(str(ROOT))
    app.extensions["sqlorm"].init_db()
    with app.test_request_context():
        TodoList.new("Benchmark")
        todolist = TodoList.find_one(title="Benchmark")
    return app, f"/lists/{todolist.id}"


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


WATCH = """title => { window.__seen = new Promise(resolve => {
  const observer = new MutationObserver(() => {
    const found = [...document.querySelectorAll('#items li')].find(li => li.textContent.includes(title));
    if (found) { observer.disconnect(); resolve(performance.timeOrigin + performance.now()); }
  });
  observer.observe(document.getElementById('items'), {childList: true, subtree: true});
}) }"""


def measure(browser, base_url, path, samples, warmup=5):
    a, b = (browser.new_context(base_url=base_url).new_page() for _ in range(2))
    for page in (a, b):
        page.goto(path)
        page.locator('[data-connection="open"]').wait_for(state="attached")
    # time from the form's submit event (not from Playwright's click call, which adds its own checks)
    a.evaluate("""() => document.addEventListener("submit",
        () => { window.__submittedAt = performance.timeOrigin + performance.now() }, true)""")
    field, button = a.get_by_role("textbox", name="New item"), a.get_by_role("button", name="Add", exact=True)
    results = []
    for n in range(warmup + samples):
        title = f"item {n} {secrets.token_hex(3)}"
        b.evaluate(WATCH, title)
        field.fill(title)
        button.click()
        arrived = b.evaluate("() => window.__seen")
        submitted = a.evaluate("() => window.__submittedAt")
        if n >= warmup:
            results.append(arrived - submitted)
    a.context.close()
    b.context.close()
    return results


def summary(samples):
    ordered = sorted(samples)
    return {"median_ms": statistics.median(ordered), "p99_ms": ordered[max(0, int(len(ordered) * 0.99) - 1)],
            "mean_ms": statistics.fmean(ordered), "n": len(ordered)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    floor, floor_path = floor_app()
    todos, todos_path = todos_app()
    servers = {"floor": (serve(floor), floor_path), "todos": (serve(todos), todos_path)}
    raw = {}
    try:
        with sync_playwright() as p:
            path = chromium_path()
            browser = p.chromium.launch(**({"executable_path": path} if path else {}))
            # interleave the two so that the machine's noise falls on both alike
            for round in range(2):
                for name, (server, page_path) in servers.items():
                    raw.setdefault(name, []).extend(
                        measure(browser, f"http://127.0.0.1:{server.server_port}", page_path, args.samples // 2))
            browser.close()
    finally:
        for server, _ in servers.values():
            server.shutdown()

    report = {name: summary(samples) for name, samples in raw.items()}
    report["ratio"] = {"median": report["todos"]["median_ms"] / report["floor"]["median_ms"],
                       "p99": report["todos"]["p99_ms"] / report["floor"]["p99_ms"]}
    out = ROOT / "bench-results" / f"latency-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"report": report, "raw_ms": raw}, indent=2))
    print(f"submit in A -> shown in B, {report['todos']['n']} samples each (raw: {out.relative_to(ROOT)})")
    for name in ("floor", "todos"):
        r = report[name]
        print(f"  {name:6} median {r['median_ms']:6.1f} ms   p99 {r['p99_ms']:6.1f} ms")
    print(f"  ratio  median x{report['ratio']['median']:.2f}   p99 x{report['ratio']['p99']:.2f}  (todos / floor)")


if __name__ == "__main__":
    main()
