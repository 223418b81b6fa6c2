"""List filters from the query string: a value that is not one (a link typed by hand, an old bookmark) is left out
and the page says so, rather than silently listing more than the reader asked for."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _


def filter_problem(label: str | Promise, value: str) -> str:
    """The one message for a filter value that is not valid (shown as a warning above the list)."""
    return _("The filter “%(name)s = %(value)s” is not valid and was left out.") % {
        "name": label,
        "value": value[:40],
    }


class Filters:
    """Collects the valid filters of one request and a message for each invalid one."""

    def __init__(self, get: Mapping[str, Any]) -> None:
        self.get = get
        self.problems: list[str] = []

    def choice(self, key: str, allowed: Collection[str], label: str | Promise) -> str:
        value = str(self.get.get(key, "")).strip()
        if value and value not in allowed:
            self.problems.append(filter_problem(label, value))
            return ""
        return value

    def parsed(self, key: str, parse: Callable[[str], Any], label: str | Promise) -> Any:
        """``parse(value)`` or None; a parse that raises ValueError or returns None makes a problem."""
        value = str(self.get.get(key, "")).strip()
        if not value:
            return None
        try:
            result = parse(value)
        except ValueError:
            result = None
        if result is None:
            self.problems.append(filter_problem(label, value))
        return result
