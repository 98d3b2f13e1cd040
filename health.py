"""GET /up: is this instance able to serve? 200 when the database and the Mercure hub both
answer, 503 naming what failed. It replaces Hyperflask's /healthcheck (database only, 500),
turned off in config.yml. The Docker HEALTHCHECK probes it through the public port, so a 200
also means the proxy and the web workers answer."""

import requests
from flask import current_app

HUB_TIMEOUT = (1, 2)  # seconds to connect, to get the answer's headers
HUB_PROBE_TOPIC = "urn:hyperflask-todos:up"  # nobody publishes there


def up():
    checks = {"database": check_database(), "hub": check_hub()}
    failed = [name for name, result in checks.items() if result != "ok"]
    body = {"status": "error" if failed else "ok", "checks": checks}
    if failed:
        body["failed"] = failed
    return body, 503 if failed else 200, {"Cache-Control": "no-store"}


def check_database():
    """A query on one of our tables: the database opens, is readable and is migrated."""
    try:
        with current_app.db as tx:
            tx.execute("SELECT 1 FROM todo_lists LIMIT 1")
    except Exception as error:
        current_app.logger.error("health: database check failed: %s: %s", type(error).__name__, error)
        return f"failed ({type(error).__name__})"
    return "ok"


def check_hub():
    """The embedded hub (development, tests) lives in this process. An external hub must answer
    a subscribe request: any answer below 500 will do (the official Mercure hub refuses an
    anonymous subscriber with 401 when anonymous subscriptions are off, which still shows that
    it is up). Only the headers are read; the stream is closed at once."""
    sse = current_app.sse
    if sse.hub is not None:
        return "ok"
    url = sse.hub_base_url(public=False)
    try:
        with requests.get(url, params={"topic": HUB_PROBE_TOPIC}, stream=True, timeout=HUB_TIMEOUT) as response:
            status = response.status_code
    except requests.RequestException as error:
        current_app.logger.error("health: hub %s unreachable: %s", url, type(error).__name__)
        return "unreachable"
    if status >= 500:
        current_app.logger.error("health: hub %s answered HTTP %d", url, status)
        return f"failed (HTTP {status})"
    return "ok"
