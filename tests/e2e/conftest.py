"""A small language for end-to-end stories: each user is a browser context of their own."""

import re

import pytest
from playwright.sync_api import expect


class User:
    def __init__(self, name, page):
        self.name = name
        self.page = page

    # -- navigation ----------------------------------------------------------------------
    def open_index(self):
        self.page.goto("/")
        self.expect_live()

    def open_list(self, title):
        self.open_index()
        self.page.get_by_role("link", name=title, exact=True).click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(title)
        self.expect_live()

    def expect_live(self):
        """Wait until the page's stream is open and caught up: only then can another user's
        change be expected to arrive."""
        expect(self.page.locator("[data-connection]")).to_have_attribute("data-connection", "open")

    # -- lists ---------------------------------------------------------------------------
    def create_list(self, title):
        self.page.get_by_role("textbox", name="New list").fill(title)
        self.page.get_by_role("button", name="Create list").click()

    def expect_list(self, title):
        expect(self.page.get_by_role("link", name=title, exact=True)).to_have_count(1)

    # -- items ---------------------------------------------------------------------------
    @property
    def items(self):
        return self.page.get_by_role("list", name="Items").get_by_role("listitem")

    def item(self, title):
        return self.items.filter(has=self.page.get_by_role("checkbox", name=title, exact=True))

    def add_item(self, title):
        self.page.get_by_role("textbox", name="New item").fill(title)
        self.page.get_by_role("button", name="Add", exact=True).click()

    def expect_item(self, title):
        expect(self.item(title)).to_have_count(1)

    def expect_items(self, *titles):
        """Exactly these items, in this order, each once."""
        expect(self.items.locator(".title")).to_have_text(list(titles))

    def expect_error(self, message):
        expect(self.page.get_by_role("alert")).to_contain_text(re.compile(message))


@pytest.fixture
def users(browser, browser_context_args):
    contexts = []

    def user(name):
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        return User(name, context.new_page())

    yield user
    for context in contexts:
        context.close()


@pytest.fixture
def alice(users):
    return users("alice")


@pytest.fixture
def bob(users):
    return users("bob")
