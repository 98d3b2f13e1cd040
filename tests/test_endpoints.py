"""Each endpoint: what it changes, its validation (422 + message, nothing changed) and its 404."""

import pytest

from models import TodoItem, TodoList


@pytest.fixture
def groceries(app, make_list, unique):
    todolist = make_list(unique("Groceries"), items=["Bread", "Milk", "Eggs"])
    with app.app_context():
        return todolist, todolist.items.all()


def state(app, todolist):
    with app.app_context():
        current = TodoList.get(todolist.id)
        items = [(i.title, bool(i.done), i.position) for i in current.items] if current else None
        return (current.title, items) if current else None


def test_toggle_edit_move_and_delete_an_item(app, client, groceries):
    todolist, (bread, milk, eggs) = groceries

    assert client.patch(f"/__components/TodoItem?id={milk.id}", data={"done": "on"}).status_code == 200
    assert client.patch(f"/__components/TodoItem?id={bread.id}", data={"title": " Rye bread "}).status_code == 200
    assert client.post(f"/__components/TodoItem?id={eggs.id}", data={"move": "up"}).status_code == 200
    assert client.delete(f"/__components/TodoItem?id={bread.id}").status_code == 200

    title, items = state(app, todolist)
    assert [(t, done) for t, done, _ in items] == [("Eggs", False), ("Milk", True)]


def test_positions_stay_unique_and_ordered(app, client, groceries):
    todolist, (bread, milk, eggs) = groceries
    for item, direction in [(bread, "down"), (bread, "down"), (bread, "down"), (eggs, "up"), (milk, "up")]:
        client.post(f"/__components/TodoItem?id={item.id}", data={"move": direction})

    _, items = state(app, todolist)
    positions = [p for _, _, p in items]
    assert positions == sorted(set(positions))
    assert [t for t, _, _ in items] == ["Milk", "Eggs", "Bread"]


@pytest.mark.parametrize("method,url,data", [
    ("patch", "/__components/TodoItem?id={item}", {"title": "   "}),
    ("patch", "/__components/TodoItem?id={item}", {"title": "x" * 501}),
    ("post", "/__components/TodoItem?id={item}", {"move": "sideways"}),
    ("patch", "/__components/ListHeader?list={list}", {"title": ""}),
    ("patch", "/__components/ListHeader?list={list}", {"title": "x" * 501}),
], ids=["blank item title", "long item title", "bad move", "blank list title", "long list title"])
def test_refused_changes_change_nothing(app, client, groceries, method, url, data):
    todolist, (bread, _, _) = groceries
    before = state(app, todolist)

    response = getattr(client, method)(url.format(item=bread.id, list=todolist.id), data=data)

    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)
    assert state(app, todolist) == before


@pytest.mark.parametrize("method,url", [
    ("patch", "/__components/TodoItem?id=999999"),
    ("post", "/__components/TodoItem?id=999999"),
    ("delete", "/__components/TodoItem?id=999999"),
    ("patch", "/__components/TodoItem"),
    ("patch", "/__components/ListHeader?list=999999"),
    ("delete", "/__components/ListHeader?list=999999"),
    ("post", "/__components/ToggleAll?list=999999"),
    ("post", "/__components/ClearCompleted?list=999999"),
    ("post", "/__components/NewItemForm?list=abc"),
])
def test_unknown_ids_are_404(client, method, url):
    assert getattr(client, method)(url, data={"title": "x", "move": "up"}).status_code == 404


def test_toggle_all_then_clear_completed(app, client, groceries):
    todolist, (bread, _, _) = groceries
    client.patch(f"/__components/TodoItem?id={bread.id}", data={"done": "on"})

    client.post(f"/__components/ToggleAll?list={todolist.id}")
    assert [done for _, done, _ in state(app, todolist)[1]] == [True, True, True]
    client.post(f"/__components/ToggleAll?list={todolist.id}")
    assert [done for _, done, _ in state(app, todolist)[1]] == [False, False, False]

    client.patch(f"/__components/TodoItem?id={bread.id}", data={"done": "on"})
    client.post(f"/__components/ClearCompleted?list={todolist.id}")
    assert [t for t, _, _ in state(app, todolist)[1]] == ["Milk", "Eggs"]


def test_renaming_and_deleting_a_list(app, client, groceries):
    todolist, _ = groceries

    assert client.patch(f"/__components/ListHeader?list={todolist.id}", data={"title": "Food"}).status_code == 200
    assert state(app, todolist)[0] == "Food"

    response = client.delete(f"/__components/ListHeader?list={todolist.id}")
    assert response.headers["HX-Redirect"] == "/?deleted=Food"
    assert state(app, todolist) is None
    with app.app_context():
        assert TodoItem.query("SELECT * FROM todo_items WHERE list_id = ?", [todolist.id]).all() == []
    assert client.get(f"/lists/{todolist.id}").status_code == 404


def test_every_change_bumps_the_list_revision_and_stamps_the_item(app, client, groceries):
    todolist, (bread, _, _) = groceries
    with app.app_context():
        before = TodoList.get(todolist.id).revision

    client.patch(f"/__components/TodoItem?id={bread.id}", data={"done": "on"})

    with app.app_context():
        assert TodoList.get(todolist.id).revision == before + 1
        assert TodoItem.get(bread.id).version == before + 1
