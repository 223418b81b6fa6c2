"""What every page's shell needs: the jurisdiction shown in the header and the module navigation."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import salted_hmac

from shiliu.jurisdiction.roles import Role
from shiliu.lib.display import senior_mode
from shiliu.notifications.selectors import notification_unread_count
from shiliu.regions.selectors import region_full_name

from .display import main_tasks


def _nav(role: str) -> list[dict[str, Any]]:
    # A module appears once its app is installed and its URL exists; modules not built yet stay hidden. An entry
    # with a fourth element appears only to those roles.
    items = []
    for label, url_name, title, *roles in settings.SHILIU_MODULES:
        if roles and role not in roles[0]:
            continue
        if not apps.is_installed(f"shiliu.{label}"):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"key": label, "url": url, "title": title})
    return items


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "senior_mode": senior_mode(request)}
    if user.role == Role.PLATFORM_ADMIN:
        jurisdiction = None
    else:
        jurisdiction = region_full_name(user.region) if user.region_id else ""
    nav = _nav(user.role) if user.role != Role.RESIDENT else []
    return {
        "unread_notifications": notification_unread_count(user=user),
        "nav_items": nav,
        "jurisdiction": jurisdiction,
        "is_platform_admin": user.role == Role.PLATFORM_ADMIN,
        "is_staff_member": user.role in (Role.PLATFORM_ADMIN, Role.COMMISSION_STAFF),
        "is_resident": user.role == Role.RESIDENT,
        "senior_mode": senior_mode(request),
        "main_tasks": main_tasks(user.role),
        # The page warns this long before the idle timeout and offers to stay signed in (session.js).
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "session_warn_seconds": min(settings.SESSION_WARNING_SECONDS, settings.SESSION_COOKIE_AGE // 2),
        # Who typed a form kept after the timeout: it is filled in again only for the same person (session.js).
        "kept_form_owner": kept_form_owner(user),
    }


def kept_form_owner(user: Any) -> str:
    """An opaque mark of the user for the page, not their id: a form kept in the browser after the idle timeout is
    filled in again only when the same person logs in at that tab."""
    return salted_hmac("shiliu.kept-form-owner", str(user.pk)).hexdigest()[:20]
