"""Lists: created, renamed, deleted and counted live on every open page."""

import re

from playwright.sync_api import expect


def test_a_renamed_list_shows_its_new_title_everywhere(alice, bob, users, make_list, unique):
    title, new_title = unique("Groceries"), unique("Food")
    make_list(title)
    carol = users("carol")
    alice.open_list(title)
    bob.open_list(title)
    carol.open_index()

    alice.rename_list(new_title)

    bob.expect_title(new_title)
    alice.expect_title(new_title)
    carol.expect_list(new_title)
    carol.expect_no_list(title)


def test_a_deleted_list_sends_its_viewers_to_the_index(alice, bob, users, make_list, unique):
    title = unique("Old plans")
    make_list(title, items=["Something"])
    carol = users("carol")
    alice.open_list(title)
    bob.open_list(title)
    carol.open_index()
    carol.expect_list(title)

    alice.delete_list()

    for user in (alice, bob):
        expect(user.page).to_have_url(re.compile(r"/\?deleted="))
        expect(user.page.get_by_role("status").filter(has_text="was deleted")).to_have_text(f"The list “{title}” was deleted.")
        user.expect_no_list(title)
    carol.expect_no_list(title)


def test_deleting_a_list_asks_first(alice, make_list, unique):
    title = unique("Keep me")
    make_list(title)
    alice.open_list(title)
    alice.page.once("dialog", lambda dialog: dialog.dismiss())

    alice.page.get_by_role("button", name="Delete list").click()

    alice.open_index()
    alice.expect_list(title)


def test_the_index_counts_follow_every_change(alice, bob, make_list, unique):
    title = unique("Weekend")
    make_list(title, items=["Hike"])
    alice.open_list(title)
    bob.open_index()
    bob.expect_list(title, counts="1 open / 1 item")

    alice.add_item("Swim")
    bob.expect_list(title, counts="2 open / 2 items")

    alice.toggle_item("Hike")
    bob.expect_list(title, counts="1 open / 2 items")


def test_the_index_says_so_when_no_list_is_left(app, alice, bob):
    from models import TodoList

    alice.open_index()
    bob.open_index()
    with app.test_request_context():
        for todolist in TodoList.all():
            todolist.destroy()

    for user in (alice, bob):
        expect(user.page.get_by_role("list", name="Lists").get_by_role("listitem")).to_have_count(0)
        expect(user.page.get_by_text("No lists yet")).to_be_visible()
