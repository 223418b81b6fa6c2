"""A confirmation step for actions that cannot be undone (erasing a pupil's data, ending pairs, cancelling a
booking): the first post answers with a page that says what will happen and posts the same fields again with
``confirmed=1``. It is a page, not a script dialog, so it works without JavaScript and is read by screen readers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"


def confirmation(
    request: HttpRequest, *, title: str, consequences: list[str], confirm_label: str, back_url: str
) -> HttpResponse | None:
    """None once the user has confirmed; otherwise the page that asks, carrying the posted fields."""
    if request.POST.get(CONFIRMED) == "1":
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in values
    ]
    context = {
        "title": title,
        "consequences": consequences,
        "confirm_label": confirm_label,
        "back_url": back_url,
        "fields": fields,
        "action": request.path,
    }
    return render(request, "confirm_page.html", context)
