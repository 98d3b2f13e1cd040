import datetime

from hyperflask import Model
from sqlorm import transaction

from .titles import clean_title
from .todo_list import TodoList, now, removal


class TodoItem(Model):
    """One item of a list. `version` is the list's revision at the item's last change."""

    table = "todo_items"
    __macro__ = "TodoItem(item)"

    list_id: int
    title: str
    done: bool
    position: int
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @classmethod
    def removal(cls, id, version):
        return removal(f"item-{id}", version)

    @property
    def todolist(self):
        return TodoList.get(self.list_id)

    @property
    def dom_id(self):
        return f"item-{self.id}"

    def toggle(self, done):
        return self._change(done=bool(done))

    def retitle(self, title):
        return self._change(title=clean_title(title))

    def move(self, direction):
        """Swap places with the previous ("up") or next ("down") item; nothing at either end."""
        todolist = self.todolist
        with transaction() as tx:
            version = todolist.bump()
            self.refresh()
            comparison, order = ("<", "DESC") if direction == "up" else (">", "ASC")
            neighbour = TodoItem.query(f"SELECT * FROM todo_items WHERE list_id = ? AND position {comparison} ? "
                                       f"ORDER BY position {order} LIMIT 1", [self.list_id, self.position]).first()
            if neighbour:
                # positions are UNIQUE per list: park this item at 0 during the swap
                tx.execute("UPDATE todo_items SET position = 0 WHERE id = ?", [self.id])
                tx.execute("UPDATE todo_items SET position = ?, version = ? WHERE id = ?", [self.position, version, neighbour.id])
                tx.execute("UPDATE todo_items SET position = ?, version = ? WHERE id = ?", [neighbour.position, version, self.id])
        if not neighbour:
            return todolist.broadcast()
        self.refresh()
        neighbour.refresh()
        return todolist.broadcast(self, neighbour)

    def remove(self):
        todolist = self.todolist
        with transaction() as tx:
            version = todolist.bump()
            tx.execute("DELETE FROM todo_items WHERE id = ?", [self.id])
        return todolist.broadcast(TodoItem.removal(self.id, version))

    def _change(self, **values):
        todolist = self.todolist
        with transaction():
            self.version = todolist.bump()
            for name, value in values.items():
                setattr(self, name, value)
            self.updated_at = now()
            self.save()
        return todolist.broadcast(self)
