"""Remote updates never clobber what a user is typing."""

from playwright.sync_api import expect


def test_a_half_typed_edit_survives_other_users_changes(alice, bob, alice_and_bob_open_a_list):
    alice_and_bob_open_a_list("Recipes", "Soup", "Salad")
    bob.page.get_by_role("button", name="Edit Soup").click()
    field = bob.page.get_by_role("textbox", name="Edit Soup")
    field.press_sequentially("Tomato so")

    alice.add_item("Bread")
    alice.toggle_item("Soup")
    alice.edit_item("Salad", "Green salad")
    alice.edit_item("Soup", "Onion soup")  # the very item bob is editing
    bob.expect_items("Soup", "Green salad", "Bread")

    expect(field).to_be_focused()
    expect(field).to_have_value("Tomato so")
    field.press_sequentially("up")
    field.press("Enter")

    alice.expect_items("Tomato soup", "Green salad", "Bread")
    bob.expect_items("Tomato soup", "Green salad", "Bread")
    bob.expect_done("Tomato soup")


def test_the_new_item_text_survives_other_users_changes(alice, bob, unique, alice_and_bob_open_a_list):
    alice_and_bob_open_a_list("Recipes", "Soup")
    new_item = bob.page.get_by_role("textbox", name="New item")
    new_item.press_sequentially("Pasta")

    alice.add_item("Pie")
    alice.rename_list(unique("Dinner"))
    bob.expect_items("Soup", "Pie")

    expect(new_item).to_be_focused()
    expect(new_item).to_have_value("Pasta")
