"""The app. Pages, components and models are discovered from their folders; only what is
particular to this app is wired here."""

import os

from hyperflask import factory
from hyperflask.models import Model, ModelResultSet

# Imported twice over: Hyperflask imports app.py as its hook module once create_app() has built
# the app, and Flask's CLI (`hyperflask serve`, `hyperflask db init`) imports app.py first to
# look for an app. Either way there is one app per process.
app = factory.app or factory.create_app(os.path.dirname(os.path.abspath(__file__)))

import health
import hub

if not app.config.get("SQLORM_URI"):
    raise SystemExit("FLASK_SQLORM_URI is not set (e.g. sqlite://database/app.db; `make dev` sets it).")

# Flask autoescapes only .html templates, but pages and components are .jpy files that render
# user input (titles, the ?deleted= notice): escape in every template. Hyperflask's models and
# result sets render their component through __str__ without __html__, so autoescaping would
# escape that HTML: declare it safe where it is made.
app.jinja_env.autoescape = True
Model.__html__ = Model.__str__
ModelResultSet.__html__ = ModelResultSet.__str__

if app.sse.hub:  # development and tests: the Mercure hub runs inside the app
    hub.harden(app)
else:  # production: the hub is another process (FLASK_MERCURE_HUB_URL); see its errors
    hub.check_publish(app)

app.add_url_rule("/up", "up", health.up)  # the health check (Hyperflask's own is off, see config.yml)
