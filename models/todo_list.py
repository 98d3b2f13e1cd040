import datetime
from functools import cached_property

from flask import current_app, url_for
from hyperflask import Model
from markupsafe import Markup
from sqlorm import transaction

from .titles import clean_title


class TodoList(Model):
    """A named list of items.

    Every change bumps `revision` in its own transaction; the fragments rendered from the list
    carry it as their version, so that a browser ignores anything older than what it shows.
    Each method that changes something publishes the change after the commit and returns what
    it published (see broadcast()), so that the author's response applies the same fragments."""

    table = "todo_lists"
    __macro__ = "TodoListCard(todolist)"

    title: str
    revision: int
    created_at: datetime.datetime

    destroyed = False  # set by destroy(), for broadcast()

    @classmethod
    def all(cls):
        return cls.query("SELECT * FROM todo_lists ORDER BY id")

    @classmethod
    def new(cls, title):
        title = clean_title(title)
        with transaction():
            todolist = cls.create(title=title, revision=1, created_at=now())
        return todolist.broadcast()

    @property
    def items(self):
        return TodoItem.query("SELECT * FROM todo_items WHERE list_id = ? ORDER BY position", [self.id])

    @cached_property
    def counts(self):
        """(open, total) items; the summary and the card of one broadcast share it, and bump()
        forgets it."""
        with transaction() as tx:
            row = tx.fetchone("SELECT COUNT(*) - COALESCE(SUM(done), 0) AS open, COUNT(*) AS total "
                              "FROM todo_items WHERE list_id = ?", [self.id])
        return row["open"], row["total"]

    def add(self, title):
        title = clean_title(title)
        with transaction() as tx:
            version = self.bump()
            position = tx.fetchscalar("SELECT COALESCE(MAX(position), 0) + 1 FROM todo_items WHERE list_id = ?", [self.id])
            item = TodoItem.create(list_id=self.id, title=title, done=False, position=position,
                                   version=version, created_at=now(), updated_at=now())
        return self.broadcast(item)

    def rename(self, title):
        title = clean_title(title)
        with transaction():
            self.bump()
            self.title = title
            self.save()
        return self.broadcast(self.header())

    def toggle_all(self):
        """Mark every item done, or every item open when all are done already."""
        with transaction() as tx:
            version = self.bump()
            done = tx.fetchscalar("SELECT COUNT(*) FROM todo_items WHERE list_id = ? AND NOT done", [self.id]) > 0
            changed = TodoItem.query("UPDATE todo_items SET done = ?, version = ?, updated_at = ? "
                                     "WHERE list_id = ? AND done != ? RETURNING *", [done, version, now(), self.id, done]).all()
        return self.broadcast(*changed)

    def clear_completed(self):
        with transaction() as tx:
            version = self.bump()
            ids = tx.fetchscalars("DELETE FROM todo_items WHERE list_id = ? AND done RETURNING id", [self.id])
        return self.broadcast(*(TodoItem.removal(id, version) for id in ids))

    def destroy(self):
        with transaction() as tx:
            self.bump()
            tx.execute("DELETE FROM todo_items WHERE list_id = ?", [self.id])
            tx.execute("DELETE FROM todo_lists WHERE id = ?", [self.id])
        self.destroyed = True
        return self.broadcast()

    def bump(self):
        """Next revision of this list. Call it first in a write transaction: the UPDATE takes
        SQLite's write lock, so concurrent changes to the list are serialized."""
        with transaction() as tx:
            self.revision = tx.fetchscalar("UPDATE todo_lists SET revision = revision + 1 WHERE id = ? RETURNING revision", [self.id])
        self.__dict__.pop("counts", None)
        return self.revision

    def header(self):
        return current_app.macros.ListHeader(todolist=self)

    def broadcast(self, *changed):
        """The one place where a list's changes are published: the changed fragments and the
        list's summary to its viewers (topic TodoList/<id>), the list's card to the index
        (topic TodoList). Returns the list payload so the author's response applies it too."""
        if self.destroyed:  # viewers leave for the index, which drops the card
            to_viewers, to_index = [removal(self.dom_id, self.revision)], [removal(self.card_id, self.revision)]
        else:
            to_viewers, to_index = [*changed, current_app.macros.ListSummary(todolist=self)], [self]
        payload = live_payload(*to_viewers)
        current_app.sse.publish(self, payload)
        current_app.sse.publish(TodoList, live_payload(*to_index))
        return payload

    def url(self, **params):
        return url_for("lists_<int:id>", id=self.id, **params)  # the page pages/lists/<int:id>.jpy

    @property
    def dom_id(self):
        return f"todolist-{self.id}"

    @property
    def card_id(self):
        return f"todolist-{self.id}-card"


def live_payload(*fragments):
    """Fragments wrapped the way the browser applies them: upsert by id, newest version wins."""
    return Markup("<template data-live>%s</template>") % Markup("").join(Markup(str(f)) for f in fragments)


def removal(dom_id, version):
    return Markup('<template id="%s" data-version="%s" data-removed></template>') % (dom_id, version)


def now():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


from .todo_item import TodoItem  # noqa: E402  (items belong to lists and lists create items)
