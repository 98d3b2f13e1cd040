"""The bundled Mercure hub (flask-mercure-sse 0.4.1), hardened where it fails this app.

Used twice: embedded in the app in development and tests (see app.py), and as the standalone
production hub (`python hub.py`, see the Procfile). Each override below names the upstream
symptom it removes; tests/test_hub.py reproduces each one against the real hub.
"""

import queue
import uuid

from flask import current_app, request, stream_with_context
from flask_mercure_sse import hub as upstream


class Hub(upstream.Hub):
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
