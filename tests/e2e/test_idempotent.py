"""Every live update is an upsert by DOM id with a version: an event received twice, or an
older one received late, never shows a duplicate or a stale item."""

from playwright.sync_api import expect


def test_an_event_received_twice_shows_one_copy(app, alice, bob, make_list, unique):
    title = unique("Twice")
    todolist = make_list(title, items=["Bread"])
    alice.open_list(title)
    bob.open_list(title)

    with app.test_request_context():
        payload = todolist.add("Milk")
        app.sse.publish(todolist, payload)  # the same event again, through the real hub

    for user in (alice, bob):
        user.expect_items("Bread", "Milk")


def test_an_older_event_received_late_is_ignored(app, alice, make_list, unique):
    title = unique("Late")
    todolist = make_list(title, items=["Bread"])
    alice.open_list(title)

    with app.test_request_context():
        item = todolist.items.first()
        stale = item.retitle("Rye bread")
        item.retitle("Sourdough")
        app.sse.publish(todolist, stale)  # arrives after the newer title

    alice.expect_items("Sourdough")
    alice.expect_items_left("1 item left")


def test_a_deleted_item_does_not_come_back_with_a_late_event(app, alice, make_list, unique):
    title = unique("Gone")
    todolist = make_list(title, items=["Bread", "Milk"])
    alice.open_list(title)

    with app.test_request_context():
        bread = todolist.items.first()
        stale = bread.toggle(True)
        bread.remove()
        app.sse.publish(todolist, stale)

    alice.expect_items("Milk")
    expect(alice.item("Bread")).to_have_count(0)
