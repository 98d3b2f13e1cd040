"""Nothing is lost across disconnects: a page whose stream was cut converges to the server's
state when the stream reopens, without reload and without duplicates."""

from playwright.sync_api import expect


def expect_same_list(user, *titles, done=()):
    user.expect_items(*titles)
    user.expect_done(*done)


def test_a_page_catches_up_after_its_connection_drops(alice, bob, alice_and_bob_open_a_list):
    alice_and_bob_open_a_list("Trip", "Tickets", "Hotel", "Passport")

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


def test_a_page_catches_up_after_the_hub_forgets_everything(app, alice, bob, alice_and_bob_open_a_list):
    """What a hub restart does: every stream ends and the hub's history is gone."""
    alice_and_bob_open_a_list("Move house", "Boxes")

    bob.lose_connection()
    app.sse.hub.last_events.clear()
    alice.add_item("Tape")
    alice.toggle_item("Boxes")
    app.sse.hub.last_events.clear()

    bob.regain_connection()

    expect_same_list(bob, "Boxes", "Tape", done=["Boxes"])
