"""Nothing is lost across disconnects: a page whose stream was cut converges to the server's
state when the stream reopens, without reload and without duplicates."""

from playwright.sync_api import expect


def expect_same_list(user, *titles, done=()):
    user.expect_items(*titles)
    user.expect_done(*done)


def test_a_page_catches_up_after_its_connection_drops(alice, bob, make_list, unique):
    title = unique("Trip")
    make_list(title, items=["Tickets", "Hotel", "Passport"])
    alice.open_list(title)
    bob.open_list(title)

    bob.lose_connection()
    alice.add_item("Camera")
    alice.toggle_item("Hotel")
    alice.delete_item("Tickets")
    alice.move_item("Camera", "up")
    alice.edit_item("Passport", "Passports")
    expect_same_list(alice, "Hotel", "Camera", "Passports", done=["Hotel"])
    bob.expect_items("Tickets", "Hotel", "Passport")  # nothing arrived meanwhile

    # The browser reconnects with its Last-Event-ID, so the hub replays what bob missed on
    # top of the catch-up fetch: the page must still show each item once, newest state.
    bob.regain_connection()

    expect_same_list(bob, "Hotel", "Camera", "Passports", done=["Hotel"])
    bob.expect_items_left("2 items left")


def test_a_page_catches_up_after_the_hub_forgets_everything(app, alice, bob, make_list, unique):
    """What a hub restart does: every stream ends and the hub's history is gone."""
    title = unique("Move house")
    make_list(title, items=["Boxes"])
    alice.open_list(title)
    bob.open_list(title)

    bob.lose_connection()
    app.sse.hub.last_events.clear()
    alice.add_item("Tape")
    alice.toggle_item("Boxes")
    app.sse.hub.last_events.clear()

    bob.regain_connection()

    expect_same_list(bob, "Boxes", "Tape", done=["Boxes"])
