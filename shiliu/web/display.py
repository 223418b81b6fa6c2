"""The shell's settings for one person: senior mode (长辈模式), their main tasks, and staying signed in.

Senior mode follows the MIIT requirements for older users (互联网应用适老化及无障碍改造): larger text and controls,
high contrast and a simplified navigation that puts the person's few main tasks first. Logged-in users keep it on
their account (a setting on their profile, ``/preferences/``); anonymous visitors in a cookie.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shiliu.accounts.services import user_set_senior_mode
from shiliu.jurisdiction.decorators import acting_user
from shiliu.jurisdiction.roles import Role
from shiliu.lib.display import remember_senior_mode, senior_mode


@dataclass(frozen=True)
class Task:
    title: str
    url: str
    path: str
    icon: str


# The few tasks each role comes for, first in senior mode: (url name, query, title, Bootstrap icon).
_TASKS: dict[str, list[tuple[str, str, object, str]]] = {
    Role.RESIDENT: [
        ("web:home", "", gettext_lazy("My home page"), "house"),
        ("residents:requests:new", "", gettext_lazy("Ask for help"), "chat-dots"),
        ("residents:requests:track", "", gettext_lazy("Follow a request"), "search"),
        ("livelihood:jobs", "", gettext_lazy("Find a job"), "briefcase"),
        ("livelihood:classes", "", gettext_lazy("Training classes"), "mortarboard"),
        ("livelihood:teams", "", gettext_lazy("Volunteering"), "heart"),
        ("notifications:list", "", gettext_lazy("My messages"), "bell"),
        ("culture:learn", "", gettext_lazy("Language courses"), "mortarboard"),
        ("web:preferences", "", gettext_lazy("Display settings"), "type"),
    ],
    Role.UNIT_COORDINATOR: [
        ("exchanges:new", "", gettext_lazy("Record an activity"), "plus-circle"),
        ("exchanges:list", "", gettext_lazy("Our activities"), "journal-text"),
        ("exchanges:bookings", "", gettext_lazy("Bookings"), "calendar-check"),
        ("exchanges:penpals", "", gettext_lazy("Pen-pals"), "envelope"),
        ("residents:requests:queue", "stage=open", gettext_lazy("Requests"), "inbox"),
        ("notifications:list", "", gettext_lazy("My messages"), "bell"),
    ],
    Role.COMMISSION_STAFF: [
        ("exchanges:new", "", gettext_lazy("Record an activity"), "plus-circle"),
        ("pairings:list", "", gettext_lazy("Pairings"), "link-45deg"),
        ("pairings:items", "open=1", gettext_lazy("Open action items"), "list-check"),
        ("exchanges:stats", "", gettext_lazy("Exchange statistics"), "bar-chart"),
        ("notifications:list", "", gettext_lazy("My messages"), "bell"),
    ],
    Role.PLATFORM_ADMIN: [
        ("orgs:list", "", gettext_lazy("Units"), "building"),
        ("audit_log", "", gettext_lazy("Audit log"), "shield-check"),
        ("notifications:list", "", gettext_lazy("My messages"), "bell"),
    ],
}


# URL namespaces that belong to an app of another name (the residents app's livelihood services).
_APP_OF_NAMESPACE = {"livelihood": "residents"}


def main_tasks(role: str) -> list[Task]:
    tasks = []
    for url_name, query, title, icon in _TASKS.get(role, []):
        app = url_name.split(":")[0] if ":" in url_name else "accounts"
        app = _APP_OF_NAMESPACE.get(app, app)
        if app not in ("web", "accounts") and not apps.is_installed(f"shiliu.{app}"):
            continue
        try:
            path = reverse(url_name)
        except NoReverseMatch:
            continue
        tasks.append(Task(title=str(title), url=f"{path}?{query}" if query else path, path=path, icon=icon))
    return tasks


def _safe_next(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return reverse("web:home")


@require_POST
def display_mode(request: HttpRequest) -> HttpResponse:
    """The header's 长辈模式 switch: on for the account (logged in) and for this browser."""
    on = request.POST.get("senior") == "1"
    if request.user.is_authenticated:
        user_set_senior_mode(user=acting_user(request), on=on)
    return remember_senior_mode(redirect(_safe_next(request)), on=on)


class PreferencesForm(forms.Form):
    senior_mode = forms.BooleanField(
        label=gettext_lazy("Always use senior mode"),
        required=False,
        help_text=gettext_lazy(
            "Larger text and buttons, stronger contrast and your main tasks first, on every device you log in "
            "from. The switch at the top of every page turns it on and off too."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["senior_mode"].widget.attrs["class"] = "form-check-input"


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """The person's display settings (a resident asks for senior mode once and keeps it)."""
    user = acting_user(request)
    form = PreferencesForm(request.POST or None, initial={"senior_mode": user.senior_mode})
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["senior_mode"]
        user_set_senior_mode(user=user, on=on)
        messages.success(request, _("Your display settings are saved."))
        return remember_senior_mode(redirect("web:preferences"), on=on)
    return render(request, "web/preferences.html", {"form": form, "senior_mode_on": senior_mode(request)})


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": any request renews the idle timeout (SESSION_SAVE_EVERY_REQUEST); this one says so."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    request.session.modified = True
    return JsonResponse({"signed_in": True, "idle_seconds": settings.SESSION_COOKIE_AGE})
