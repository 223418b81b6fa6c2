"""The ledger's filters from a query string (the list page, its export, the background export job)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy

from shiliu.exchanges.ledger.models import ActivityStatus, Category, Plan
from shiliu.lib.filters import filter_problem
from shiliu.lib.forms import id_param

FILTERS = ("region", "role", "status", "plan", "category", "ethnic_group", "q")


# What each filter of the query string may hold, with the name the message uses for it.
_CHOICES = {
    "role": ("", "sending", "receiving"),
    "status": ActivityStatus.values,
    "plan": Plan.values,
    "category": Category.values,
}
_LABELS = {
    "region": gettext_lazy("region"),
    "role": gettext_lazy("sending or receiving"),
    "status": gettext_lazy("status"),
    "plan": gettext_lazy("plan"),
    "category": gettext_lazy("category"),
    "ethnic_group": gettext_lazy("ethnic group"),
    "type": gettext_lazy("activity type"),
    "pairing": gettext_lazy("pairing"),
    "date_from": gettext_lazy("dates from"),
    "date_to": gettext_lazy("dates to"),
}
_PATTERNS = {"region": re.compile(r"\d{2,12}"), "ethnic_group": re.compile(r"\d{2}")}


def ledger_filters(get: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The ledger's filters from the query string, and a message for each value that is not one (a link typed by
    hand, an old bookmark): that filter is left out, and the page says so rather than silently listing more."""
    problems: list[str] = []

    def bad(key: str) -> None:
        problems.append(filter_problem(_LABELS[key], get.get(key, "")))

    out: dict[str, Any] = {}
    for key in ("region", "role", "status", "plan", "category", "ethnic_group"):
        value = get.get(key, "").strip()
        ok = not value or (
            value in _CHOICES[key] if key in _CHOICES else bool(_PATTERNS[key].fullmatch(value))
        )
        if not ok:
            bad(key)
        out[key] = value if ok else ""
    out["query"] = get.get("q", "")[:40]
    for key, param in (("activity_type", "type"), ("pairing", "pairing")):
        out[key] = id_param(get, param)
        if get.get(param) and out[key] is None:
            bad(param)
    for key in ("date_from", "date_to"):
        try:
            out[key] = parse_date(get.get(key, "")) if get.get(key) else None
        except ValueError:
            out[key] = None
        if get.get(key) and out[key] is None:
            bad(key)
    return out, problems
