"""A small language for end-to-end stories: each user is a browser context of their own."""

import re

import pytest
from playwright.sync_api import expect


HUB_URLS = "**/.well-known/mercure**"


class User:
    def __init__(self, name, page, hub):
        self.name = name
        self.page = page
        self.hub = hub
        self.streams = set()  # this user's subscriptions on the embedded hub

    # -- navigation ----------------------------------------------------------------------
    def open_index(self):
        self._open(lambda: self.page.goto("/"))

    def open_list(self, title):
        self.open_index()
        self._open(lambda: self.page.get_by_role("link", name=title, exact=True).click())
        expect(self.page.get_by_role("heading", level=1)).to_have_text(title)

    def _open(self, navigate):
        before = set(self.hub.subscribers)
        navigate()
        self.expect_live()
        self.streams = set(self.hub.subscribers) - before

    def lose_connection(self):
        """The network drops: the hub ends this user's streams, and reconnecting fails."""
        self.page.route(HUB_URLS, lambda route: route.abort())
        for id in self.streams:
            if id in self.hub.subscribers:
                self.hub.subscribers[id].queue.put(None)  # ends the stream, server side
        expect(self.page.locator("[data-connection]")).to_have_attribute("data-connection", "connecting")

    def regain_connection(self):
        before = set(self.hub.subscribers)
        self.page.unroute(HUB_URLS)
        self.expect_live()
        self.streams = set(self.hub.subscribers) - before

    def expect_live(self):
        """Wait until the page's stream is open and caught up: only then can another user's
        change be expected to arrive."""
        expect(self.page.locator("[data-connection]")).to_have_attribute("data-connection", "open")

    # -- lists ---------------------------------------------------------------------------
    def create_list(self, title):
        self.page.get_by_role("textbox", name="New list").fill(title)
        self.page.get_by_role("button", name="Create list").click()

    def expect_list(self, title, counts=None):
        """The index shows this list once (and its "N open / M items" counts)."""
        link = self.page.get_by_role("link", name=title, exact=True)
        expect(link).to_have_count(1)
        if counts:
            expect(self.page.get_by_role("listitem").filter(has=link)).to_contain_text(counts)

    def expect_no_list(self, title):
        expect(self.page.get_by_role("link", name=title, exact=True)).to_have_count(0)

    def rename_list(self, title):
        self.page.get_by_role("button", name="Rename list").click()
        self.page.get_by_role("textbox", name="List title").fill(title)
        self.page.get_by_role("textbox", name="List title").press("Enter")

    def delete_list(self):
        self.page.once("dialog", lambda dialog: dialog.accept())
        self.page.get_by_role("button", name="Delete list").click()

    def expect_title(self, title):
        expect(self.page.get_by_role("heading", level=1)).to_have_text(title)

    # -- items ---------------------------------------------------------------------------
    @property
    def items(self):
        return self.page.get_by_role("list", name="Items").get_by_role("listitem")

    def item(self, title):
        return self.items.filter(has=self.page.get_by_role("checkbox", name=title, exact=True))

    def add_item(self, title):
        self.page.get_by_role("textbox", name="New item").fill(title)
        self.page.get_by_role("button", name="Add", exact=True).click()

    def edit_item(self, title, new_title, key="Enter"):
        self.page.get_by_role("button", name=f"Edit {title}", exact=True).click()
        field = self.page.get_by_role("textbox", name=f"Edit {title}", exact=True)
        field.fill(new_title)
        field.press(key)

    def toggle_item(self, title):
        self.page.get_by_role("checkbox", name=title, exact=True).click()

    def delete_item(self, title):
        self.page.get_by_role("button", name=f"Delete {title}", exact=True).click()

    def move_item(self, title, direction):
        self.page.get_by_role("button", name=f"Move {title} {direction}", exact=True).click()

    def toggle_all(self):
        self.page.get_by_role("button", name="Toggle all").click()

    def clear_completed(self):
        self.page.get_by_role("button", name="Clear completed").click()

    def show(self, filter_name):
        self.page.get_by_role("link", name=filter_name, exact=True).click()
        self.expect_live()

    def expect_item(self, title):
        expect(self.item(title)).to_have_count(1)

    def expect_done(self, *titles):
        """Exactly these items are checked."""
        expect(self.items.filter(has=self.page.locator("input:checked")).locator(".title")).to_have_text(list(titles))

    def expect_items_left(self, text):
        expect(self.page.get_by_role("status").filter(has_text="left")).to_have_text(text)

    def expect_items(self, *titles):
        """Exactly these items are visible, in this order, each once."""
        expect(self.items.filter(visible=True).locator(".title")).to_have_text(list(titles))

    def expect_error(self, message):
        expect(self.page.get_by_role("alert")).to_contain_text(re.compile(message))


@pytest.fixture
def users(app, browser, browser_context_args):
    contexts = []

    def user(name):
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        return User(name, context.new_page(), app.sse.hub)

    yield user
    for context in contexts:
        context.close()


@pytest.fixture
def alice(users):
    return users("alice")


@pytest.fixture
def bob(users):
    return users("bob")


@pytest.fixture
def alice_and_bob_open_a_list(alice, bob, make_list, unique):
    """A new list with these items, open in alice's and bob's browsers; returns its title."""
    def open_a_list(name, *items):
        title = unique(name)
        make_list(title, items=items)
        alice.open_list(title)
        bob.open_list(title)
        return title
    return open_a_list
