MAX_TITLE_LENGTH = 500


class InvalidTitle(ValueError):
    """A title the user must fix; its message is shown next to the field."""


def clean_title(title):
    title = (title or "").strip()
    if not title:
        raise InvalidTitle("Please enter a title.")
    if len(title) > MAX_TITLE_LENGTH:
        raise InvalidTitle(f"Keep the title under {MAX_TITLE_LENGTH} characters (this one has {len(title)}).")
    return title
