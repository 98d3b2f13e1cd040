"""The production stack, started from the Procfile, seen from outside: one public port (Caddy),
pages from gunicorn, event streams from the standalone hub."""

import re
import time
import urllib.parse

import requests
from playwright.sync_api import expect
from prodstack import poll
from sse import Subscriber


def test_two_users_see_each_others_changes_through_the_proxy(stack, users, unique):
    alice, bob = users(stack, "alice"), users(stack, "bob")
    title = unique("Groceries")
    alice.open_index()
    bob.open_index()

    alice.create_list(title)
    bob.expect_list(title)

    alice.open_list(title)
    bob.open_list(title)
    alice.add_item("Bread")
    bob.add_item("Milk")

    alice.expect_items("Bread", "Milk")
    bob.expect_items("Bread", "Milk")
    # the page took the hub's address from the app: same origin, relative
    assert alice.page.locator("[sse-connect]").get_attribute("sse-connect").startswith("/.well-known/mercure?")


def test_a_private_event_reaches_only_subscribers_whose_jwt_allows_its_topic(stack):
    topic = f"urn:test:private:{time.monotonic_ns()}"
    authorised = Subscriber(stack.port, [topic], authorization=stack.subscriber_jwt([topic]))
    other_topic = Subscriber(stack.port, [topic], authorization=stack.subscriber_jwt(["urn:test:elsewhere"]))
    anonymous = Subscriber(stack.port, [topic])
    for subscriber in (authorised, other_topic, anonymous):
        subscriber.connect()
        assert subscriber.status == 200

    secret = publish(stack, topic, "for authorised eyes", private=True)
    public = publish(stack, topic, "for everyone")

    # events of one stream arrive in order: once the public one is there, a private one that
    # was going to be delivered would be there too
    assert authorised.read_until(2, timeout=5) == [(secret, "for authorised eyes"), (public, "for everyone")]
    assert other_topic.read_until(1, timeout=5) == [(public, "for everyone")]
    assert anonymous.read_until(1, timeout=5) == [(public, "for everyone")]
    for subscriber in (authorised, other_topic, anonymous):
        subscriber.close()


def test_publishing_needs_a_publisher_jwt_signed_with_the_key(stack):
    anonymous = requests.post(stack.hub_url, data={"topic": "TodoList", "data": "<p>spoof</p>"}, timeout=5)
    forged = requests.post(stack.hub_url, data={"topic": "TodoList", "data": "<p>spoof</p>"}, timeout=5,
                           headers={"Authorization": "Bearer " + forged_jwt()})
    assert anonymous.status_code == 401
    assert forged.status_code == 403


def test_refused_publishes_are_answered_whole_every_time(stack):
    """The hub refused before reading the body; gevent then cut the connection and Caddy
    passed on a truncated answer about once in 300 (ChunkedEncodingError)."""
    statuses = []
    for _ in range(300):
        statuses.append(requests.post(stack.hub_url, data={"topic": "TodoList", "data": "<p>spoof</p>"}, timeout=5,
                                      headers={"Authorization": "Bearer " + forged_jwt()}).status_code)
    assert set(statuses) == {403}


def test_an_event_stream_opens_in_under_a_second(stack, users):
    """EventSource's open fires when the response headers arrive; the upstream hub sent none
    before the first event or keepalive, 15 s later."""
    user = users(stack, "alice")
    user.page.goto("/up")
    opened_after_ms = user.page.evaluate("""async () => {
        const times = [];
        for (let i = 0; i < 5; i++) {
            const started = performance.now();
            const source = new EventSource(`/.well-known/mercure?topic=urn:test:open:${i}`);
            await new Promise((resolve, reject) => { source.onopen = resolve; source.onerror = reject; });
            times.push(performance.now() - started);
            source.close();
        }
        return times;
    }""")
    raw_seconds = []
    for _ in range(5):
        subscriber = Subscriber(stack.port, ["urn:test:open"])
        raw_seconds.append(subscriber.connect())
        subscriber.close()

    print(f"EventSource open through the proxy, browser: {[round(t) for t in opened_after_ms]} ms; "
          f"first bytes, raw client: {[round(s * 1000, 1) for s in raw_seconds]} ms")
    assert max(opened_after_ms) < 1000
    assert max(raw_seconds) < 1.0


def test_a_subscriber_that_stops_reading_costs_the_others_nothing(stack):
    """200 events of 100 kB: the one who stops reading fills every buffer between the hub and
    itself, then its backlog at the hub (4 MB), and the hub drops it; the others get all 200, in
    order. (Upstream's queue of 5 events also dropped readers that were a few events behind.)"""
    topic = f"urn:test:stall:{time.monotonic_ns()}"
    readers = [Subscriber(stack.port, [topic], receive_buffer=4 << 20, timeout=30) for _ in range(3)]
    stalled = Subscriber(stack.port, [topic], receive_buffer=4096)
    for subscriber in (*readers, stalled):
        subscriber.connect()  # the stalled one reads the headers, then never again
    for reader in readers:
        reader.read_in_background(200, timeout=60)

    data = "\n".join(f"{n:05d}" + "x" * 94 for n in range(1000))  # 100 kB, 1000 lines
    body = urllib.parse.urlencode({"topic": topic, "data": data})
    headers = {"Authorization": f"Bearer {stack.publisher_jwt()}", "Content-Type": "application/x-www-form-urlencoded"}
    published = []
    with requests.Session() as session:
        for n in range(1, 201):
            response = session.post(stack.hub_url, data=body, headers=headers, timeout=10)
            assert response.status_code == 200, response.text[:200]
            published.append(response.text)
            # the readers keep up (a reader that falls 4 MB behind is dropped too, by design);
            # only the stalled one is left behind
            poll(lambda: all(len(reader.events) >= n for reader in readers), timeout=30, interval=0.01,
                 message=f"every reader received event {n}")

    for reader in readers:
        events = reader.join(timeout=60)
        assert [id for id, _ in events] == published
        assert all(event_data == data for _, event_data in events)
    stack.wait_for_log(r"WARNING hub: dropped subscriber urn:uuid:\S+: it stopped reading")
    assert len(stalled.events) == 0
    for subscriber in (*readers, stalled):
        subscriber.close()


def test_static_files_come_from_disk_with_cache_headers_and_compression(stack):
    status, headers, _ = stack.get("/static/todos.js", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Server"] == "Caddy" and "Via" not in headers  # not proxied to gunicorn
    assert headers["Cache-Control"] == "public, max-age=300"
    assert headers["Content-Encoding"] == "gzip"
    assert headers.get("Etag") and headers.get("Last-Modified")


def test_pages_are_compressed_and_streams_are_not(stack):
    status, headers, _ = stack.get("/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Via"] == "1.1 Caddy" and headers["Server"] == "gunicorn"

    subscriber = Subscriber(stack.port, ["TodoList"])
    subscriber.connect()
    assert subscriber.headers["content-type"] == "text/event-stream"
    assert "content-encoding" not in subscriber.headers
    subscriber.close()


def test_up_reports_database_and_hub_and_the_hyperflask_default_is_off(stack):
    assert stack.get_json("/up") == (200, {"status": "ok", "checks": {"database": "ok", "hub": "ok"}})
    assert stack.get("/up")[1]["Cache-Control"] == "no-store"
    assert stack.get("/healthcheck")[0] == 404


def test_no_secret_reaches_the_logs(stack):
    """Not the keys, nor the publisher JWT (the upstream hub printed it at start), nor a
    subscriber JWT carried in a private stream's URL (the hub's access log redacts it)."""
    token = stack.subscriber_jwt(["urn:test:log"])
    response = requests.get(stack.hub_url, params={"topic": "urn:test:log", "authorization": token}, stream=True, timeout=5)
    assert response.status_code == 200
    response.close()
    # the hub writes the access log line when the stream ends, i.e. when a write to the closed
    # connection fails: publish until it does
    line = r"GET /\.well-known/mercure\?topic=urn%3Atest%3Alog&authorization=\[redacted\]"
    poll(lambda: publish(stack, "urn:test:log", "anyone there?") and re.search(line, stack.log()), timeout=10,
         interval=0.2, message="the hub's access log line of the closed stream")

    log = stack.log()
    for name, value in stack.secrets.items():
        assert value not in log, name
    assert stack.publisher_jwt() not in log
    assert token not in log


def test_the_healthcheck_script_of_the_image_probes_the_public_port(stack):
    import subprocess
    import sys

    from prodstack import ROOT, free_port

    ok = subprocess.run([sys.executable, ROOT / "scripts" / "healthcheck.py"], env={"PORT": str(stack.port)},
                        capture_output=True, text=True, timeout=15)
    down = subprocess.run([sys.executable, ROOT / "scripts" / "healthcheck.py"], env={"PORT": str(free_port())},
                          capture_output=True, text=True, timeout=15)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert down.returncode == 1
    assert "unhealthy" in down.stdout + down.stderr


# ---- helpers --------------------------------------------------------------------------------

def publish(stack, topic, data, private=False):
    """A publish through the public port, as MercureSSE.publish() posts it; returns the event id."""
    form = {"topic": topic, "data": data, **({"private": "on"} if private else {})}
    response = requests.post(stack.hub_url, data=form, headers={"Authorization": f"Bearer {stack.publisher_jwt()}"}, timeout=5)
    assert response.status_code == 200, response.text[:200]
    return response.text


def forged_jwt():
    import jwt

    return jwt.encode({"mercure": {"publish": ["*"]}}, "not-the-key-" * 4, algorithm="HS256")
