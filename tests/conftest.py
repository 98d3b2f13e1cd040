"""Test setup: the real app (embedded Mercure hub, a temporary SQLite file), served on a free
port for the browser tests, and Chromium from $CHROMIUM_PATH, /usr/bin/chromium or Playwright."""

import os
import re
import secrets
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    database = tmp_path_factory.mktemp("database") / "test.db"
    # read by create_app(); FLASK_ENV=testing selects config.testing.yml (embedded hub)
    os.environ.update(FLASK_ENV="testing", FLASK_SQLORM_URI=f"sqlite:///{database}",
                      FLASK_SECRET_KEY=secrets.token_hex(32))
    from hyperflask.factory import create_app

    app = create_app(str(ROOT))
    app.extensions["sqlorm"].init_db()
    return app


@pytest.fixture
def client(app):
    return CsrfClient(app.test_client())


class CsrfClient:
    """The Flask test client, sending the CSRF token like the pages' htmx requests do."""

    def __init__(self, client):
        self.client = client
        page = client.get("/").get_data(as_text=True)
        self.token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)

    def get(self, *args, **kwargs):
        return self.client.get(*args, **kwargs)

    def __getattr__(self, method):  # post, patch, delete
        def request(*args, headers=None, **kwargs):
            return getattr(self.client, method)(*args, headers={"X-CSRFToken": self.token, **(headers or {})}, **kwargs)
        return request


@pytest.fixture
def make_list(app):
    """Create a list (and items) the way a request would, publishing included."""
    from models import TodoList

    def make(title, items=()):
        with app.test_request_context():
            TodoList.new(title)
            todolist = TodoList.find_one(title=title)
            for item in items:
                todolist.add(item)
            return todolist
    return make


@pytest.fixture
def unique():
    """A title nobody else in this test run uses."""
    return lambda prefix: f"{prefix} {secrets.token_hex(3)}"


@pytest.fixture(scope="session")
def live_server(app):
    """The app on a free loopback port; stops cleanly even with event streams still open."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


# ---- Browser ---------------------------------------------------------------------------------

def chromium_path():
    for path in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if path and Path(path).exists():
            return path
    return None  # Playwright's own download (`playwright install chromium`)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, tmp_path_factory):
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("xdg"))  # keep Chromium out of $HOME
    path = chromium_path()
    return {**browser_type_launch_args, **({"executable_path": path} if path else {})}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server, "locale": "en-US", "timezone_id": "UTC",
            "viewport": {"width": 1000, "height": 800}}
