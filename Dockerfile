# The production image: the Procfile stack (Caddy on $PORT, gunicorn, the Mercure hub) under
# honcho, started by scripts/prod.py. Build and run: README.md, Production.
#
# Pinned base image (the same in both stages: the virtual environment is copied over). To pin
# its digest too: docker buildx imagetools inspect python:3.11.13-slim-bookworm

# ---- build: the locked dependencies, in /app/.venv -------------------------------------------
FROM python:3.11.13-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv

# the uv of the Makefile (UV_VERSION)
RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /app
# dependencies first: this layer is rebuilt only when the lock changes
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev

COPY . .
# the vendored front-end files (htmx, its SSE extension) match their manifest: no Node.js, no download
RUN python scripts/vendor.py check

# ---- the image ---------------------------------------------------------------------------------
FROM python:3.11.13-slim-bookworm

ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=8080 \
    BIND_ADDRESS=0.0.0.0 \
    FLASK_SQLORM_URI=sqlite:////app/database/app.db \
    XDG_DATA_HOME=/tmp/xdg-data \
    XDG_CONFIG_HOME=/tmp/xdg-config

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app
# code and dependencies belong to root: the app's user can read them, not change them
COPY --from=build /app /app
# the SQLite database (migrated on every start), the one place the app writes to
RUN mkdir -p /app/database && chown app:app /app/database
VOLUME ["/app/database"]

USER 10001:10001
EXPOSE 8080
# the public port, through Caddy and gunicorn to /up (database and hub)
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "scripts/healthcheck.py"]
# checks the environment, applies migrations, runs the Procfile; SIGTERM stops it within 10 s
STOPSIGNAL SIGTERM
CMD ["python", "scripts/prod.py"]
