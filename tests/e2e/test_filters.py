"""All / Active / Completed: kept in the URL, applied to live updates, with empty states."""

import re

from playwright.sync_api import expect


def test_the_filter_is_in_the_url_and_survives_a_reload(alice, make_list, unique):
    title = unique("Garden")
    make_list(title, items=["Water", "Weed"])
    alice.open_list(title)
    alice.toggle_item("Water")
    alice.expect_done("Water")

    alice.show("Active")
    expect(alice.page).to_have_url(re.compile(r"\?filter=active$"))
    alice.expect_items("Weed")

    alice.page.reload()
    alice.expect_live()
    alice.expect_items("Weed")
    expect(alice.page.get_by_role("link", name="Active")).to_have_attribute("aria-current", "page")

    alice.show("Completed")
    alice.expect_items("Water")
    alice.show("All")
    alice.expect_items("Water", "Weed")


def test_live_changes_respect_each_browsers_filter(alice, bob, alice_and_bob_open_a_list):
    alice_and_bob_open_a_list("Garden", "Water", "Weed")
    bob.show("Active")

    alice.toggle_item("Water")
    bob.expect_items("Weed")
    bob.expect_items_left("1 item left")  # the counter counts the whole list, whatever the filter

    alice.add_item("Mow")
    bob.expect_items("Weed", "Mow")
    alice.expect_items("Water", "Weed", "Mow")


def test_empty_states(alice, make_list, unique):
    title = unique("Empty")
    make_list(title)
    alice.open_list(title)
    expect(alice.page.get_by_text("No items yet")).to_be_visible()

    alice.add_item("Only one")
    expect(alice.page.get_by_text("No items yet")).to_be_hidden()

    alice.show("Completed")
    expect(alice.page.get_by_text("No completed items")).to_be_visible()
    alice.expect_items()
