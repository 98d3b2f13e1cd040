"""Fixtures for the production stack tests: real stacks (scripts/prod.py running the Procfile:
Caddy, gunicorn, the standalone hub) on free ports, and browser users pointed at them."""

import importlib.util

import pytest
from prodstack import ROOT, Stack


@pytest.fixture
def make_stack(tmp_path_factory):
    """Stacks for one test, each stopped with SIGTERM afterwards; fails if a process is left."""
    stacks = []

    def make(**options):  # environment variables, or python= the interpreter of another environment
        stack = Stack(tmp_path_factory.mktemp("stack"), **options)
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.cleanup()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """One running stack shared by a module's tests (they do not stop it)."""
    stack = Stack(tmp_path_factory.mktemp("stack")).start()
    yield stack
    stack.cleanup()


def load_user_class():
    """The end-to-end DSL of tests/e2e (a module of fixtures, not importable by name)."""
    spec = importlib.util.spec_from_file_location("e2e_dsl", ROOT / "tests" / "e2e" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.User


class ExternalHub:
    """What User expects of the embedded hub, for a hub in another process: User reads its
    subscribers only for lose_connection(), which these tests do not use."""
    subscribers = {}


@pytest.fixture
def users(browser):
    """users(stack, name): a user with a browser context of their own on the stack's origin."""
    User = load_user_class()
    contexts = []

    def user(stack, name):
        context = browser.new_context(base_url=stack.url, locale="en-US", timezone_id="UTC",
                                      viewport={"width": 1000, "height": 800})
        contexts.append(context)
        return User(name, context.new_page(), ExternalHub())

    yield user
    for context in contexts:
        context.close()
