"""The standalone hub (`python hub.py`, the Procfile's hub) on its own: typed settings from the
environment, required keys, CORS only for listed origins, a quick stop on SIGTERM."""

import os
import signal
import subprocess
import sys
import time

import pytest
import requests
from prodstack import ROOT, free_port, poll

KEYS = {"MERCURE_PUBLISHER_JWT_KEY": "p" * 40, "MERCURE_SUBSCRIBER_JWT_KEY": "s" * 40}


def base_env():
    return {k: v for k, v in os.environ.items() if not k.startswith(("MERCURE_", "HUB_", "FLASK_"))}


def run_hub(**env):
    return subprocess.run([sys.executable, "hub.py"], cwd=ROOT, env={**base_env(), **env},
                          capture_output=True, text=True, timeout=30)


@pytest.fixture
def hub_server():
    processes = []

    def start(**env):
        port = free_port()
        process = subprocess.Popen([sys.executable, "hub.py"], cwd=ROOT, text=True,
                                   env={**base_env(), **KEYS, "HUB_PORT": str(port), **env},
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        processes.append(process)
        url = f"http://127.0.0.1:{port}/.well-known/mercure"

        def answers():
            assert process.poll() is None, process.stdout.read()
            try:
                return requests.post(url, timeout=1).status_code == 401  # up, and wants a JWT
            except requests.ConnectionError:
                return False
        poll(answers, timeout=20, interval=0.1, message="the hub answering")
        return process, url

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


@pytest.mark.parametrize("name,value,message", [
    ("MERCURE_HUB_KEEPALIVE_INTERVAL", "2s", "MERCURE_HUB_KEEPALIVE_INTERVAL must be a whole number of seconds, 0 or more, got '2s'"),
    ("MERCURE_HUB_RECONCILIATION_LENGTH", "-1", "MERCURE_HUB_RECONCILIATION_LENGTH must be a whole number, 0 or more, got '-1'"),
    ("MERCURE_HUB_ALLOW_ANONYMOUS", "nope", "MERCURE_HUB_ALLOW_ANONYMOUS must be true or false, got 'nope'"),
    ("HUB_PORT", "99999", "HUB_PORT must be a port number (1-65535), got '99999'"),
    ("MERCURE_HUB_CORS_ORIGINS", "example.com", "MERCURE_HUB_CORS_ORIGINS must list origins like https://example.com, got 'example.com'"),
])
def test_a_bad_setting_stops_the_hub_with_one_line_naming_it(name, value, message):
    result = run_hub(**KEYS, **{name: value})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"hub: {message}"]


@pytest.mark.parametrize("missing", sorted(KEYS))
def test_the_hub_needs_both_keys(missing):
    result = run_hub(**{k: v for k, v in KEYS.items() if k != missing})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"hub: {missing} is not set: " + (
        "key of the publishers' JWTs (HS256)" if "PUBLISHER" in missing else "key of the subscribers' JWTs (HS256)")]


def test_typed_settings_take_effect_and_no_secret_is_printed(hub_server):
    """A keepalive of "1" (a string in the environment) works: upstream compared it with an int
    and failed every subscribe. The start line tells the settings, never a key nor a JWT."""
    process, url = hub_server(MERCURE_HUB_KEEPALIVE_INTERVAL="1", MERCURE_HUB_ALLOW_ANONYMOUS="false",
                              MERCURE_HUB_TYPO="1")
    anonymous = requests.get(url, params={"topic": "t"}, stream=True, timeout=5)
    assert anonymous.status_code == 401  # anonymous subscribers refused, as set
    import jwt
    token = jwt.encode({"mercure": {"subscribe": ["t"]}}, KEYS["MERCURE_SUBSCRIBER_JWT_KEY"], algorithm="HS256")
    with requests.get(url, params={"topic": "t"}, headers={"Authorization": f"Bearer {token}"}, stream=True, timeout=5) as stream:
        assert stream.status_code == 200
        started = time.monotonic()
        lines = stream.iter_lines()
        assert next(lines) == b":ok"
        assert next(lines) == b""
        assert next(lines) == b":ping"  # the keepalive, after about a second
        assert time.monotonic() - started < 3

    process.send_signal(signal.SIGTERM)
    output = process.communicate(timeout=10)[0]
    assert "keepalive 1s, history 500 events, anonymous subscribers refused" in output
    assert "ignoring unknown setting MERCURE_HUB_TYPO" in output
    for key in KEYS.values():
        assert key not in output
    assert "eyJ" not in output  # no JWT


def test_cors_answers_listed_origins_only(hub_server):
    _, url = hub_server(MERCURE_HUB_CORS_ORIGINS="https://app.example, https://admin.example")

    def allowed_origin(origin):
        with requests.get(url, params={"topic": "t"}, headers={"Origin": origin}, stream=True, timeout=5) as response:
            assert response.status_code == 200
            assert "Origin" in response.headers["Vary"]
            return response.headers.get("Access-Control-Allow-Origin")

    assert allowed_origin("https://admin.example") == "https://admin.example"
    assert allowed_origin("https://evil.example") is None  # upstream reflected any origin


def test_sigterm_stops_the_hub_at_once_even_with_open_streams(hub_server):
    process, url = hub_server()
    streams = [requests.get(url, params={"topic": "t"}, stream=True, timeout=5) for _ in range(3)]
    assert all(stream.status_code == 200 for stream in streams)

    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    assert time.monotonic() - started < 5
    for stream in streams:
        stream.close()


def test_a_reconnect_with_many_events_to_replay_gets_them_all(hub_server):
    """Last-Event-ID replays what the subscriber missed; upstream's queue of 5 events dropped a
    subscriber that had more to catch up."""
    import jwt
    _, url = hub_server()
    publisher = {"Authorization": "Bearer " + jwt.encode({"mercure": {"publish": ["*"]}}, KEYS["MERCURE_PUBLISHER_JWT_KEY"],
                                                        algorithm="HS256")}
    ids = [requests.post(url, data={"topic": "t", "data": f"event {n}"}, headers=publisher, timeout=5).text for n in range(50)]

    port = int(url.split(":")[2].split("/")[0])
    from sse import Subscriber
    subscriber = Subscriber(port, ["t"])
    subscriber.path += f"&lastEventID={ids[9]}"
    subscriber.connect()
    events = subscriber.read_until(40, timeout=10)
    subscriber.close()
    assert events == [(id, f"event {n}") for n, id in enumerate(ids) if n > 9]


def test_a_reconnect_with_an_unknown_last_event_id_replays_nothing(hub_server):
    """Upstream replayed its whole history (500 events) for an id it did not know: a flood of
    duplicates for every browser reconnecting after a hub restart."""
    import jwt
    _, url = hub_server()
    publisher = {"Authorization": "Bearer " + jwt.encode({"mercure": {"publish": ["*"]}}, KEYS["MERCURE_PUBLISHER_JWT_KEY"],
                                                        algorithm="HS256")}
    for n in range(5):
        requests.post(url, data={"topic": "t", "data": f"old {n}"}, headers=publisher, timeout=5)

    port = int(url.split(":")[2].split("/")[0])
    from sse import Subscriber
    subscriber = Subscriber(port, ["t"])
    subscriber.path += "&lastEventID=urn:uuid:from-before-a-restart"
    subscriber.connect()
    requests.post(url, data={"topic": "t", "data": "new"}, headers=publisher, timeout=5)
    events = subscriber.read_until(1, timeout=10)
    subscriber.close()
    assert [data for _, data in events] == ["new"]
