"""The bundled Mercure hub (flask-mercure-sse 0.4.1), hardened where it fails this app.

Used twice: embedded in the app in development and tests (see app.py), and as the standalone
production hub (`python hub.py`, see the Procfile and main() below). Each override below names
the upstream symptom it removes; tests/prod/test_hub_server.py and tests/prod/test_stack.py
reproduce each one against the real hub.

Also here, for an app that publishes to a hub in another process: check_publish(), which makes
publish errors visible (upstream ignores the hub's answer).
"""

if __name__ == "__main__":
    # The standalone hub serves every stream from one gevent loop: patch the standard library
    # before anything below imports socket, ssl or threading.
    from gevent import monkey

    monkey.patch_all()

import functools
import logging
import os
import queue
import re
import signal
import socket
import sys
import uuid

import requests
from flask import Flask, current_app, request, stream_with_context
from flask_mercure_sse import MercureSSE
from flask_mercure_sse import ext as upstream_ext
from flask_mercure_sse import hub as upstream


BACKLOG_BYTES = 4 << 20  # events waiting for one subscriber before it counts as not reading


class Backlog(queue.Queue):
    """A subscriber's waiting events, bounded by their size. Upstream's queue held 5 events: a
    subscriber a few events behind during a burst (its connection still draining the previous
    ones) was dropped although it was reading, and so was one reconnecting with more than 5
    events to replay."""

    def __init__(self, max_bytes=BACKLOG_BYTES):
        super().__init__()
        self.max_bytes = max_bytes
        self.bytes = 0

    def put(self, item, block=True, timeout=None):
        if item is not None and self.bytes + len(item) > self.max_bytes and not self.empty():
            raise queue.Full
        super().put(item, block, timeout)

    def _put(self, item):
        self.bytes += len(item or "")
        super()._put(item)

    def _get(self):
        item = super()._get()
        self.bytes -= len(item or "")
        return item


class Hub(upstream.Hub):
    def subscribe(self, topics, allowed_topics=None, payload=None, reconciliate_from=None):
        # Upstream's subscriber gets a queue of 5 events: swap in a Backlog, then replay
        # (as upstream does: the events after the given id, oldest first) into it.
        sub = super().subscribe(topics, allowed_topics, payload)
        old_queue, sub = sub.queue, sub._replace(queue=Backlog())
        self.subscribers[sub.id] = sub
        for topic in topics:
            self.topics[topic][sub.id] = sub
        while not old_queue.empty():
            sub.queue.put_nowait(old_queue.get_nowait())
        if reconciliate_from:
            missed = []
            for topic, id, message, private in self.last_events:
                if id == reconciliate_from:
                    break
                if topic in topics:
                    missed.append((topic, message, private))
            for topic, message, private in reversed(missed):
                self.dispatch(sub, topic, message, private)
        return sub

    def publish(self, topic, data, private=False, id=None, type=None, retry=None, allowed_topics=None):
        # Upstream iterates the topic's subscribers while dispatch() may unsubscribe an
        # overflowing one from that same dict: "dictionary changed size during iteration",
        # the publish fails and later subscribers miss the event. Iterate over a copy.
        if allowed_topics is not None and not any(upstream.match_topic_selector(t, topic) for t in allowed_topics):
            raise upstream.HubNotAllowed()
        id = id or f"urn:uuid:{uuid.uuid4()}"
        message = upstream.format_sse_msg(data, id, type, retry)
        if self.reconciliation_length:
            self.last_events.insert(0, (topic, id, message, private))
            del self.last_events[self.reconciliation_length:]
        for sub in list(self.topics.get(topic, {}).values()):
            self.dispatch(sub, topic, message, private)
        return id

    def dispatch(self, sub, topic, message, private=False):
        # Upstream drops a subscriber whose queue is full (a client that stopped reading) and
        # says so only at debug level: say it, so that an operator sees slow clients.
        subscribed = sub.id in self.subscribers
        delivered = super().dispatch(sub, topic, message, private)
        if subscribed and sub.id not in self.subscribers and self.logger:
            self.logger.warning("dropped subscriber %s: it stopped reading (%d events, %d kB waiting)",
                                sub.id, sub.queue.qsize(), getattr(sub.queue, "bytes", 0) // 1024)
        return delivered

    def knows(self, event_id):
        return any(event[1] == event_id for event in self.last_events)


def subscribe():
    """The subscribe endpoint (GET /.well-known/mercure), replacing upstream's view:
    - upstream sends no byte before the first event or keepalive (15 s), so EventSource's
      `open` fires up to 15 s late: send a comment at once;
    - a subscriber dropped for not reading (queue full) kept a stream of pings and never
      reconnected: end its stream, so that the browser reconnects and catches up;
    - an unknown Last-Event-ID replayed the whole history: replay only from a known id."""
    state = current_app.extensions["mercure_sse"]
    hub = state.instance.hub
    claim = upstream.get_authorization_jwt("subscriber_secret_key")
    if not state.hub_allow_anonymous and not claim:
        return "Unauthorized", 401
    last_event_id = request.headers.get("Last-Event-ID", request.args.get("lastEventID"))
    sub = hub.subscribe(
        topics=request.args.getlist("topic"),
        allowed_topics=(claim or {}).get("subscribe", []),
        payload=(claim or {}).get("payload"),
        reconciliate_from=last_event_id if last_event_id and hub.knows(last_event_id) else None,
    )
    keepalive = int(state.hub_keepalive_interval or 0) or None

    @stream_with_context
    def stream():
        try:
            yield ":ok\n\n"
            while sub.id in hub.subscribers:
                try:
                    message = sub.queue.get(timeout=keepalive)
                except queue.Empty:
                    yield ":ping\n\n"
                    continue
                if message is None:
                    break
                yield message
        finally:
            hub.unsubscribe(sub)

    return stream(), {"Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no"}


def harden(app):
    """Swap in the hardened hub and subscribe endpoint on an app that hosts a hub."""
    sse = app.extensions["mercure_sse"]
    sse.instance.hub = Hub(publish_subscriptions=sse.hub_subscriptions,
                           reconciliation_length=sse.hub_reconciliation_length, logger=app.logger)
    app.view_functions["mercure_hub.subscribe"] = subscribe


# ---- The app's side: publishing to a hub in another process --------------------------------

PUBLISH_TIMEOUT = (2, 5)  # seconds to connect, to read the answer: a stuck hub must not stall a request


class PublishFailed(Exception):
    def __init__(self, topic, problem):
        super().__init__(f"publishing to topic {topic!r} failed: {problem}")


class _CheckedRequests:
    """Stands in for `requests` inside flask_mercure_sse.ext, whose MercureSSE.publish() does
    `r = requests.post(hub_url, ...)` and returns r.text whatever the status, without a timeout:
    a 401/403/500 page from the hub came back as the "event id" and the event was lost silently.
    Only post() changes: it has a timeout and raises PublishFailed on an error answer or when
    the hub cannot be reached. Nothing here mentions the Authorization header (the JWT)."""

    def post(self, url, data=None, **kwargs):
        topic = (data or {}).get("topic")
        try:
            response = requests.post(url, data=data, timeout=PUBLISH_TIMEOUT, **kwargs)
        except requests.RequestException as error:
            raise PublishFailed(topic, f"hub {url} unreachable ({type(error).__name__})") from None
        if not response.ok:
            raise PublishFailed(topic, f"hub {url} answered HTTP {response.status_code} {response.reason}")
        return response

    def __getattr__(self, name):  # get() and the rest: unchanged
        return getattr(requests, name)


def check_publish(app):
    """On an app whose hub is another process: a failed publish is logged as an error, with the
    hub's status, and does not fail the request. The change it announces is already committed,
    and browsers fetch the page again whenever their stream (re)opens, so they converge."""
    upstream_ext.requests = _CheckedRequests()
    sse = app.extensions["mercure_sse"].instance
    publish = sse.publish

    @functools.wraps(publish)
    def checked_publish(*args, **kwargs):
        try:
            return publish(*args, **kwargs)
        except PublishFailed as error:
            app.logger.error("Mercure %s; the change is saved, browsers catch up when their stream reconnects", error)
            return None

    sse.publish = checked_publish


# ---- The standalone production hub: `python hub.py` ----------------------------------------

class ConfigError(Exception):
    pass


SETTINGS = {  # name: (kind, default, meaning)
    "HUB_HOST": ("text", "127.0.0.1", "address to listen on"),
    "HUB_PORT": ("port", "5300", "port to listen on"),
    "MERCURE_PUBLISHER_JWT_KEY": ("secret", None, "key of the publishers' JWTs (HS256)"),
    "MERCURE_SUBSCRIBER_JWT_KEY": ("secret", None, "key of the subscribers' JWTs (HS256)"),
    "MERCURE_HUB_KEEPALIVE_INTERVAL": ("seconds", "15", "a comment on idle streams every N seconds, 0 for none"),
    "MERCURE_HUB_RECONCILIATION_LENGTH": ("count", "500", "events kept for Last-Event-ID replay (history length)"),
    "MERCURE_HUB_ALLOW_ANONYMOUS": ("bool", "true", "subscribers without a JWT get public events"),
    "MERCURE_HUB_SUBSCRIPTIONS": ("bool", "false", "publish subscription events (the app does not use them)"),
    "MERCURE_HUB_CORS_ORIGINS": ("origins", "", "origins allowed to subscribe cross-origin, space separated"),
}
BOOLEANS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


def hub_settings(environ):
    """Typed settings from the environment; ConfigError names the first bad variable. Upstream's
    server copied every MERCURE_* variable as a string: a keepalive of "2" failed every
    subscribe (str vs int) and "false" counted as true."""
    settings = {}
    for name, (kind, default, meaning) in SETTINGS.items():
        raw = environ.get(name, default)
        if raw is None or (kind == "secret" and not raw.strip()):
            raise ConfigError(f"{name} is not set: {meaning}")
        raw = raw.strip() if kind != "secret" else raw
        if kind in ("seconds", "count", "port"):
            if not re.fullmatch(r"[0-9]+", raw) or (kind == "port" and not 0 < int(raw) < 65536):
                expected = {"seconds": "a whole number of seconds, 0 or more", "count": "a whole number, 0 or more",
                            "port": "a port number (1-65535)"}[kind]
                raise ConfigError(f"{name} must be {expected}, got {raw!r}")
            settings[name] = int(raw)
        elif kind == "bool":
            if raw.lower() not in BOOLEANS:
                raise ConfigError(f"{name} must be true or false, got {raw!r}")
            settings[name] = BOOLEANS[raw.lower()]
        elif kind == "origins":
            origins = raw.replace(",", " ").split()
            for origin in origins:
                if not re.fullmatch(r"https?://[^/\s]+", origin):
                    raise ConfigError(f"{name} must list origins like https://example.com, got {origin!r}")
            settings[name] = origins
        else:
            settings[name] = raw
    return settings


def create_hub_app(settings):
    """A Flask app that is only the hardened hub. Unlike upstream's server.create_app(), it
    prints no key nor JWT, takes typed settings, and answers CORS only for listed origins
    (upstream reflected any Origin, with credentials)."""
    app = Flask("hub")
    MercureSSE(app, hub=True, hub_allow_publish=True,
               publisher_secret_key=settings["MERCURE_PUBLISHER_JWT_KEY"],
               subscriber_secret_key=settings["MERCURE_SUBSCRIBER_JWT_KEY"],
               hub_allow_anonymous=settings["MERCURE_HUB_ALLOW_ANONYMOUS"],
               hub_subscriptions=settings["MERCURE_HUB_SUBSCRIPTIONS"],
               hub_keepalive_interval=settings["MERCURE_HUB_KEEPALIVE_INTERVAL"],
               hub_reconciliation_length=settings["MERCURE_HUB_RECONCILIATION_LENGTH"])
    harden(app)
    origins = settings["MERCURE_HUB_CORS_ORIGINS"]

    @app.before_request
    def read_the_body_first():
        # Upstream refuses a publish (401/403) before reading its form body; gevent then closed
        # the kept-alive connection under the unread body and Caddy passed on a truncated
        # answer (IncompleteRead, about 1 refused publish in 300). Read it first.
        request.get_data()

    @app.after_request
    def cors(response):
        origin = request.headers.get("Origin")
        if origin in origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Credentials"] = "true"
        response.vary.add("Origin")
        return response

    return app


class RedactedAccessLog:
    """gevent's access log, without the subscriber JWT that a private stream's URL carries
    (?authorization=...)."""

    def write(self, line):
        sys.stderr.write(re.sub(r"(authorization=)[^&\s\"]+", r"\1[redacted]", line, flags=re.IGNORECASE))

    def flush(self):
        sys.stderr.flush()


def main(environ=os.environ):
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    for name in sorted(environ):
        if name.startswith("MERCURE_HUB_") and name not in SETTINGS:
            logging.getLogger("hub").warning("ignoring unknown setting %s (known: %s)", name,
                                             ", ".join(n for n in SETTINGS if n.startswith("MERCURE_HUB_")))
    try:
        settings = hub_settings(environ)
    except ConfigError as error:
        sys.exit(f"hub: {error}")

    from gevent import signal_handler
    from gevent.pywsgi import WSGIServer

    class Server(WSGIServer):
        def handle(self, sock, address):
            # gevent sends a response's headers and its body in two send() calls. With Nagle's
            # algorithm on, the second one waits for the peer's delayed ACK (40 ms) on a kept-alive
            # connection: each publish through Caddy's connection pool took 44 ms instead of 2.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().handle(sock, address)

    app = create_hub_app(settings)
    server = Server((settings["HUB_HOST"], settings["HUB_PORT"]), app, log=RedactedAccessLog())

    def stop():
        app.logger.info("stopping: open streams are closed, their browsers reconnect")
        server.stop(timeout=2)

    signal_handler(signal.SIGTERM, stop)
    signal_handler(signal.SIGINT, stop)
    server.start()  # binds now: an address in use fails here, before the line below
    app.logger.info("listening on http://%s:%d/.well-known/mercure (keepalive %ss, history %d events, "
                    "anonymous subscribers %s, subscription events %s, CORS origins: %s)",
                    settings["HUB_HOST"], server.server_port, settings["MERCURE_HUB_KEEPALIVE_INTERVAL"],
                    settings["MERCURE_HUB_RECONCILIATION_LENGTH"],
                    "allowed" if settings["MERCURE_HUB_ALLOW_ANONYMOUS"] else "refused",
                    "on" if settings["MERCURE_HUB_SUBSCRIPTIONS"] else "off",
                    " ".join(settings["MERCURE_HUB_CORS_ORIGINS"]) or "none")
    server.serve_forever()


if __name__ == "__main__":
    main()
