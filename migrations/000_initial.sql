CREATE TABLE todo_lists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    revision INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);

-- AUTOINCREMENT: ids are never reused, so a browser never mistakes a new item for a deleted one.
CREATE TABLE todo_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    list_id INTEGER NOT NULL REFERENCES todo_lists (id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    done BOOLEAN NOT NULL DEFAULT 0,
    position INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (list_id, position)
);
