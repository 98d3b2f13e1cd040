"""Hyperflask imports this module once the app is built: pages, components and models are
discovered from their folders, so only what is particular to this app is wired here."""

from hyperflask.factory import app

import hub

if not app.config.get("SQLORM_URI"):
    raise SystemExit("FLASK_SQLORM_URI is not set (e.g. sqlite://database/app.db; `make dev` sets it).")

if app.sse.hub:  # development and tests: the Mercure hub runs inside the app
    hub.harden(app)
