from .titles import InvalidTitle
from .todo_list import TodoList
from .todo_item import TodoItem

__all__ = ["InvalidTitle", "TodoList", "TodoItem"]
