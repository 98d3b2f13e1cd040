"""Stacks set up wrong, on purpose: the app says so (logs, /up, the image's healthcheck) and
keeps the users' changes; it never hides a failed publish nor turns it into an error page."""

import re
import sqlite3
import subprocess
import sys

import jwt
import requests
from prodstack import ROOT, free_port, poll
from sse import Subscriber


def create_list(stack, title):
    """What the page's form does: the CSRF token from the page, then the component's POST."""
    session = requests.Session()
    page = session.get(stack.url + "/", timeout=10).text
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    return session.post(stack.url + "/__components/NewListForm", data={"title": title},
                        headers={"X-CSRFToken": token, "HX-Request": "true"}, timeout=10)


def test_a_publish_the_hub_refuses_is_logged_with_its_status_and_the_change_stays(make_stack, unique):
    wrong = jwt.encode({"mercure": {"publish": ["*"]}}, "not-the-hub-key-" * 3, algorithm="HS256")
    stack = make_stack(FLASK_MERCURE_PUBLISHER_JWT=wrong).start()
    title = unique("Errands")

    response = create_list(stack, title)

    assert response.status_code == 200
    assert title in requests.get(stack.url + "/", timeout=10).text  # committed
    line = stack.wait_for_log(r"ERROR in hub: Mercure publishing to topic '[^']+' failed: hub \S+ answered HTTP 403 FORBIDDEN"
                              r"; the change is saved, browsers catch up when their stream reconnects")
    assert line
    assert wrong not in stack.log()


def test_another_hub_by_url_and_up_names_what_fails(make_stack, unique):
    """BUNDLED_HUB=false, as with the official Mercure.rocks hub: the stack runs no hub of its
    own, the app publishes to FLASK_MERCURE_HUB_URL, the proxy sends streams to HUB_UPSTREAM.
    (The stand-in for that other hub is hub.py started on its own: no other hub is installable
    here.) While it is down, /up says so and the image's healthcheck fails; once it is up, all
    is well without a restart. Then the app's tables go missing: /up names the database."""
    hub_port = free_port()
    stack = make_stack(BUNDLED_HUB="false", HUB_UPSTREAM=f"127.0.0.1:{hub_port}",
                       FLASK_MERCURE_HUB_URL=f"http://127.0.0.1:{hub_port}/.well-known/mercure").start()
    assert not any("hub.py" in command for command in stack.describe(stack.running_pids()).values())

    assert stack.get_json("/up") == (503, {"status": "error", "failed": ["hub"],
                                           "checks": {"database": "ok", "hub": "unreachable"}})
    healthcheck = subprocess.run([sys.executable, ROOT / "scripts" / "healthcheck.py"], env={"PORT": str(stack.port)},
                                 capture_output=True, text=True, timeout=15)
    assert healthcheck.returncode == 1
    assert healthcheck.stdout.startswith(f"unhealthy: http://127.0.0.1:{stack.port}/up answered 503:")
    title = unique("Chores")
    assert create_list(stack, title).status_code == 200  # a publish to a missing hub: logged, not a 500
    stack.wait_for_log(r"Mercure publishing to topic '[^']+' failed: hub \S+ unreachable \(ConnectionError\)")

    other_hub = subprocess.Popen([sys.executable, "hub.py"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env={**stack.env, "HUB_PORT": str(hub_port)})
    try:
        poll(lambda: stack.get_json("/up")[0] == 200, timeout=20, interval=0.1, message="/up once the hub is there")
        subscriber = Subscriber(stack.port, ["TodoList"])
        subscriber.connect()  # through the proxy to the other hub
        assert create_list(stack, unique("Errands")).status_code == 200
        assert "Errands" in subscriber.read_until(1, timeout=10)[0][1]
        subscriber.close()

        # the app's tables go missing (another process changes the schema under it)
        with sqlite3.connect(stack.database) as db:
            db.execute("ALTER TABLE todo_lists RENAME TO todo_lists_gone")
        db.close()
        assert stack.get_json("/up") == (503, {"status": "error", "failed": ["database"],
                                               "checks": {"database": "failed (OperationalError)", "hub": "ok"}})
    finally:
        other_hub.terminate()
        other_hub.wait(timeout=10)
