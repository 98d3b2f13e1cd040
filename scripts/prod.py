"""Start the production stack: the processes of the Procfile, under honcho.

    python scripts/prod.py          # `make prod`, and the Docker image's command

1. Checks the environment: a missing secret or a bad port stops here, with one line.
2. Applies migrations (`hyperflask db init`).
3. Runs the Procfile (proxy, web, hub) with honcho's process manager, in this process. If any
   process exits, honcho stops the others; the stack then exits non-zero, also when the process
   that exited said 0, since a stack without one of its processes is broken (no half-alive
   container: the orchestrator restarts it whole). SIGTERM or SIGINT stop every process (honcho
   sends SIGTERM to each one's process group, SIGKILL after 5 s) and exit 143 or 130.

Configuration is the environment only (see README.md, Production). Required: FLASK_SECRET_KEY,
MERCURE_PUBLISHER_JWT_KEY, MERCURE_SUBSCRIBER_JWT_KEY, FLASK_SQLORM_URI. Defaults below for
the rest. Nothing secret is printed.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = ["FLASK_SECRET_KEY", "MERCURE_PUBLISHER_JWT_KEY", "MERCURE_SUBSCRIBER_JWT_KEY", "FLASK_SQLORM_URI"]
DEFAULTS = {
    "PORT": "8080",               # the public port (Caddy)
    "BIND_ADDRESS": "127.0.0.1",  # where Caddy listens; the Docker image sets 0.0.0.0
    "WEB_PORT": "8001",           # gunicorn, on 127.0.0.1
    "HUB_PORT": "8002",           # the Mercure hub, on 127.0.0.1
    "WEB_CONCURRENCY": "2",       # gunicorn workers
}


class StartError(Exception):
    pass


def environment(environ):
    """The environment of every process of the stack, from the given one."""
    env = dict(environ)
    missing = [name for name in REQUIRED if not env.get(name, "").strip()]
    if missing:
        raise StartError(f"missing environment variable{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                         "(see README.md, Production)")
    if env.get("FLASK_DEBUG", "") not in ("", "0") or env.get("FLASK_ENV", "production") != "production":
        raise StartError("FLASK_DEBUG and FLASK_ENV must be unset: the production stack runs in production mode")
    for name, value in DEFAULTS.items():
        env.setdefault(name, value)
    ports = {name: env[name] for name in ("PORT", "WEB_PORT", "HUB_PORT")}
    for name, value in ports.items():
        if not value.isdigit() or not 0 < int(value) < 65536:
            raise StartError(f"{name} must be a port number (1-65535), got {value!r}")
    if len({int(port) for port in ports.values()}) < len(ports):
        raise StartError(f"PORT, WEB_PORT and HUB_PORT must differ, got {ports}")
    if not env["WEB_CONCURRENCY"].isdigit() or int(env["WEB_CONCURRENCY"]) < 1:
        raise StartError(f"WEB_CONCURRENCY must be a number of workers (1 or more), got {env['WEB_CONCURRENCY']!r}")
    # BUNDLED_HUB=false: another Mercure hub (e.g. Mercure.rocks) serves the streams; the app
    # publishes to FLASK_MERCURE_HUB_URL and Caddy sends /.well-known/mercure to HUB_UPSTREAM.
    env.setdefault("BUNDLED_HUB", "true")
    if env["BUNDLED_HUB"] not in ("true", "false"):
        raise StartError(f"BUNDLED_HUB must be true or false, got {env['BUNDLED_HUB']!r}")
    if env["BUNDLED_HUB"] == "false" and not (env.get("FLASK_MERCURE_HUB_URL") and env.get("HUB_UPSTREAM")):
        raise StartError("BUNDLED_HUB=false needs FLASK_MERCURE_HUB_URL (where the app publishes) and "
                         "HUB_UPSTREAM (where the proxy sends /.well-known/mercure, host:port)")
    # The app publishes to the hub directly; browsers reach it through the proxy on their page's
    # own origin (a relative URL: right behind any scheme and host).
    env.setdefault("FLASK_MERCURE_HUB_URL", f"http://127.0.0.1:{env['HUB_PORT']}/.well-known/mercure")
    env.setdefault("FLASK_MERCURE_PUBLIC_HUB_URL", "/.well-known/mercure")
    env.setdefault("HUB_UPSTREAM", f"127.0.0.1:{env['HUB_PORT']}")
    env["PYTHONUNBUFFERED"] = "1"  # log lines reach honcho as they are written
    # the Procfile's commands (gunicorn, caddyserver, python, hyperflask) from this interpreter's environment
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", os.defpath)])
    return env


def migrate(env):
    # FLASK_APP=0: Hyperflask's CLI builds the app with create_app() (the same call as gunicorn's)
    # instead of looking for an app module.
    result = subprocess.run(["hyperflask", "db", "init"], env={**env, "FLASK_APP": "0"}, cwd=ROOT)
    if result.returncode != 0:
        raise StartError(f"migrations failed (hyperflask db init exited {result.returncode}); nothing started")


def procfile(env):
    """The Procfile's processes (without the bundled hub when another hub is used)."""
    from honcho.environ import parse_procfile

    processes = parse_procfile((ROOT / "Procfile").read_text()).processes
    if env["BUNDLED_HUB"] == "false":
        del processes["hub"]
    return processes


def run(env):
    """Run the Procfile until a process exits or a signal comes; returns the exit status."""
    from honcho.manager import Manager
    from honcho.printer import Printer

    processes = procfile(env)
    manager = Manager(Printer(sys.stdout, colour=sys.stdout.isatty()))
    for name, command in processes.items():
        manager.add_process(name, command, env=env, cwd=str(ROOT))
    manager.loop()
    status = manager.returncode
    if status is None or status == 0:
        print("prod: a process exited by itself; the stack is stopped, exit status 1", flush=True)
        return 1
    return status if status > 0 else 128 - status  # killed by signal N: 128 + N, as a shell says


def main():
    try:
        env = environment(os.environ)
        print(f"prod: migrating, then starting {', '.join(procfile(env))} on "
              f"http://{env['BIND_ADDRESS']}:{env['PORT']}", flush=True)
        migrate(env)
    except StartError as error:
        sys.exit(f"prod: {error}")
    sys.exit(run(env))


if __name__ == "__main__":
    main()
