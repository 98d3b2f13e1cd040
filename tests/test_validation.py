"""Bad input gets a clear message (role=alert, 422) and changes nothing; unknown ids are 404."""

import pytest

from models import TodoItem, TodoList

BAD_TITLES = {
    "empty": ("", "Please enter a title"),
    "blank": ("  \t ", "Please enter a title"),
    "too long": ("x" * 501, "under 500 characters"),
}


def count(model):
    return len(model.query(f"SELECT * FROM {model.table}").all())


@pytest.mark.parametrize("title,message", BAD_TITLES.values(), ids=BAD_TITLES.keys())
def test_a_bad_list_title_is_refused_and_nothing_is_stored(app, client, title, message):
    with app.app_context():
        before = count(TodoList)

    response = client.post("/__components/NewListForm", data={"title": title})

    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert count(TodoList) == before


@pytest.mark.parametrize("title,message", BAD_TITLES.values(), ids=BAD_TITLES.keys())
def test_a_bad_item_title_is_refused_and_nothing_is_stored(app, client, make_list, unique, title, message):
    todolist = make_list(unique("Chores"))
    with app.app_context():
        before = count(TodoItem)

    response = client.post(f"/__components/NewItemForm?list={todolist.id}", data={"title": title})

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert count(TodoItem) == before


def test_a_title_of_exactly_500_characters_is_accepted(client, make_list, unique):
    todolist = make_list(unique("Long"))
    response = client.post(f"/__components/NewItemForm?list={todolist.id}", data={"title": "y" * 500})
    assert response.status_code == 200


def test_an_unknown_list_is_a_404_page(client):
    response = client.get("/lists/999999")
    assert response.status_code == 404
    assert "<h1>" in response.get_data(as_text=True)
    assert "This list does not exist" in response.get_data(as_text=True)


def test_adding_to_an_unknown_list_is_a_404(client):
    assert client.post("/__components/NewItemForm?list=999999", data={"title": "Milk"}).status_code == 404


def test_a_change_without_the_csrf_token_is_refused(app, make_list, unique):
    todolist = make_list(unique("Guarded"))
    response = app.test_client().post(f"/__components/NewItemForm?list={todolist.id}", data={"title": "Milk"})
    assert response.status_code == 400
    with app.app_context():
        assert todolist.items.all() == []
