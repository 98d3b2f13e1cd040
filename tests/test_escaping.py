"""User input is escaped wherever it is rendered: pages, components, published fragments."""

EVIL = '<img src=x onerror="alert(1)">'


def test_titles_are_escaped_in_pages_and_fragments(client, make_list, unique):
    title = unique(EVIL)
    todolist = make_list(title, items=[EVIL])

    for url in ("/", f"/lists/{todolist.id}"):
        html = client.get(url).get_data(as_text=True)
        assert EVIL not in html
        assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html

    renamed = client.patch(f"/__components/ListHeader?list={todolist.id}", data={"title": EVIL})
    assert renamed.status_code == 200
    assert EVIL not in renamed.get_data(as_text=True)


def test_the_deleted_notice_is_escaped(client):
    html = client.get("/", query_string={"deleted": EVIL}).get_data(as_text=True)
    assert EVIL not in html
    assert "&lt;img" in html
