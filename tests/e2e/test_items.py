"""Every change to an item shows in the other browser at once, exactly once."""

from playwright.sync_api import expect


def test_an_edited_title_shows_everywhere(alice, bob, alice_and_bob_open_a_list):
    alice_and_bob_open_a_list("Party", "Cake", "Balloons")

    alice.edit_item("Cake", "Chocolate cake")

    bob.expect_items("Chocolate cake", "Balloons")
    alice.expect_items("Chocolate cake", "Balloons")
    expect(alice.page.get_by_role("button", name="Edit Chocolate cake")).to_be_focused()


def test_escape_cancels_an_edit(alice, make_list, unique):
    title = unique("Party")
    make_list(title, items=["Cake"])
    alice.open_list(title)

    alice.edit_item("Cake", "Pie", key="Escape")

    alice.expect_items("Cake")
    expect(alice.page.get_by_role("textbox", name="Edit Cake")).to_be_hidden()


def test_emptying_a_title_asks_to_delete_the_item(alice, bob, alice_and_bob_open_a_list):
    alice_and_bob_open_a_list("Party", "Cake", "Candles")
    questions = []
    alice.page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))

    alice.edit_item("Cake", "   ")

    bob.expect_items("Candles")
    alice.expect_items("Candles")
    assert questions == ["Delete “Cake”?"]


def test_an_invalid_edit_shows_an_alert_and_keeps_the_text(alice, make_list, unique):
    title = unique("Party")
    make_list(title, items=["Cake"])
    alice.open_list(title)
    too_long = "x" * 500
    alice.page.get_by_role("button", name="Edit Cake").click()
    field = alice.page.get_by_role("textbox", name="Edit Cake")
    # the field stops typing at 500 characters; the server refuses 501 all the same
    field.evaluate("(input, value) => { input.removeAttribute('maxlength'); input.value = value }", too_long + "y")
    field.press("Enter")

    alice.expect_error("under 500 characters")
    expect(field).to_have_value(too_long + "y")
    expect(field).to_be_focused()


def test_a_toggled_item_shows_done_everywhere(alice, bob, alice_and_bob_open_a_list):
    alice_and_bob_open_a_list("Errands", "Bank", "Post office")

    alice.toggle_item("Bank")

    bob.expect_done("Bank")
    bob.expect_items_left("1 item left")
    alice.expect_items_left("1 item left")

    bob.toggle_item("Bank")

    alice.expect_done()
    alice.expect_items_left("2 items left")


def test_toggle_all_marks_everything_done_then_open(alice, bob, alice_and_bob_open_a_list):
    alice_and_bob_open_a_list("Errands", "Bank", "Post office", "Bakery")
    alice.toggle_item("Bank")
    bob.expect_done("Bank")

    alice.toggle_all()

    bob.expect_done("Bank", "Post office", "Bakery")
    bob.expect_items_left("0 items left")

    bob.toggle_all()

    alice.expect_done()
    alice.expect_items_left("3 items left")


def test_a_deleted_item_disappears_everywhere(alice, bob, alice_and_bob_open_a_list):
    alice_and_bob_open_a_list("Errands", "Bank", "Post office")

    alice.delete_item("Bank")

    bob.expect_items("Post office")
    alice.expect_items("Post office")
    bob.expect_items_left("1 item left")


def test_moving_swaps_neighbours_in_every_browser(alice, bob, alice_and_bob_open_a_list):
    alice_and_bob_open_a_list("Plan", "One", "Two", "Three")

    alice.move_item("Three", "up")

    bob.expect_items("One", "Three", "Two")
    alice.expect_items("One", "Three", "Two")
    expect(alice.page.get_by_role("button", name="Move Three up")).to_be_focused()

    bob.move_item("One", "down")

    alice.expect_items("Three", "One", "Two")
    bob.expect_items("Three", "One", "Two")


def test_moving_past_either_end_changes_nothing(alice, make_list, unique):
    title = unique("Plan")
    make_list(title, items=["One", "Two"])
    alice.open_list(title)

    alice.move_item("One", "up")
    alice.move_item("Two", "down")

    alice.expect_items("One", "Two")


def test_clear_completed_removes_done_items_everywhere(alice, bob, alice_and_bob_open_a_list):
    alice_and_bob_open_a_list("Errands", "Bank", "Post office", "Bakery")
    alice.toggle_item("Bank")
    alice.toggle_item("Bakery")
    bob.expect_done("Bank", "Bakery")

    bob.clear_completed()

    alice.expect_items("Post office")
    bob.expect_items("Post office")
    expect(alice.page.get_by_role("button", name="Clear completed")).to_be_disabled()


def test_keyboard_focus_stays_on_the_control_used(alice, make_list, unique):
    title = unique("Keys")
    make_list(title, items=["One", "Two"])
    alice.open_list(title)
    checkbox = alice.page.get_by_role("checkbox", name="One")

    checkbox.focus()
    alice.page.keyboard.press("Space")

    alice.expect_done("One")
    expect(checkbox).to_be_focused()
