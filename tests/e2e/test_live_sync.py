"""Two users on the same list: each change shows in the other browser without reload."""

from playwright.sync_api import expect


def test_an_added_item_shows_once_in_both_browsers(alice, bob, alice_and_bob_open_a_list):
    alice_and_bob_open_a_list("Groceries", "Bread")

    alice.add_item("Milk")

    bob.expect_items("Bread", "Milk")
    alice.expect_items("Bread", "Milk")


def test_the_new_item_box_is_empty_and_focused_after_adding(alice, make_list, unique):
    title = unique("Chores")
    make_list(title)
    alice.open_list(title)

    alice.add_item("Dishes")

    alice.expect_items("Dishes")
    new_item = alice.page.get_by_role("textbox", name="New item")
    expect(new_item).to_have_value("")
    expect(new_item).to_be_focused()


def test_a_created_list_shows_on_every_open_index(alice, bob, unique):
    title = unique("Holidays")
    alice.open_index()
    bob.open_index()

    alice.create_list(title)

    bob.expect_list(title)
    alice.expect_list(title)


def test_a_refused_title_shows_an_alert_and_keeps_the_text(alice, make_list, unique):
    title = unique("Errands")
    make_list(title)
    alice.open_list(title)

    alice.add_item("   ")

    alice.expect_error("Please enter a title")
    expect(alice.page.get_by_role("textbox", name="New item")).to_have_value("   ")
    expect(alice.items).to_have_count(0)


def test_a_page_holds_one_stream_for_everything(alice, make_list, unique):
    """Six HTTP/1.1 connections per origin: one stream per page keeps many tabs working."""
    title = unique("Tabs")
    make_list(title, items=["One"])

    alice.open_list(title)
    assert len(alice.streams) == 1

    alice.open_index()
    assert len(alice.streams) == 1
