"""What each change publishes, read from the embedded hub's own subscriber queues."""

import queue

import pytest


@pytest.fixture
def subscribe(app):
    """Subscribe to a topic on the real embedded hub; returns a function reading what arrived."""
    hub = app.sse.hub
    subs = []

    def subscribe(topic):
        sub = hub.subscribe([topic])
        subs.append(sub)

        def received():
            """The data of every event received so far, joined."""
            events = []
            while True:
                try:
                    message = sub.queue.get_nowait()
                except queue.Empty:
                    return "".join(events)
                events.append("\n".join(line[len("data: "):] for line in message.splitlines() if line.startswith("data: ")))
        return received

    yield subscribe
    for sub in subs:
        hub.unsubscribe(sub)


def test_adding_an_item_publishes_the_rendered_item_on_the_list_topic(app, client, make_list, subscribe, unique):
    todolist = make_list(unique("Groceries"))
    received = subscribe(f"TodoList/{todolist.id}")

    response = client.post(f"/__components/NewItemForm?list={todolist.id}", data={"title": "Milk & honey"})

    assert response.status_code == 200
    published = received()
    with app.app_context():
        item = todolist.items.first()
    assert published.count(f'<li id="item-{item.id}"') == 1
    assert "Milk &amp; honey" in published  # rendered by the TodoItem component, escaped
    assert "1 item left" in published
    # the author's response carries the very same fragments
    assert response.get_data(as_text=True).splitlines() == published.splitlines()


def test_creating_a_list_publishes_its_card_on_the_class_topic(client, subscribe, unique):
    received = subscribe("TodoList")
    title = unique("Holidays")

    response = client.post("/__components/NewListForm", data={"title": title})

    assert response.status_code == 200
    published = received()
    assert f">{title}</a>" in published
    assert "0 open / 0 items" in published


def test_other_lists_hear_nothing(client, make_list, subscribe, unique):
    mine, other = make_list(unique("Mine")), make_list(unique("Other"))
    received = subscribe(f"TodoList/{other.id}")

    client.post(f"/__components/NewItemForm?list={mine.id}", data={"title": "Secret"})

    assert received() == ""
