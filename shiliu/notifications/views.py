from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .kinds import describe_all
from .models import Notification
from .selectors import notification_list
from .services import notification_open, notifications_mark_read


@login_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    """The user's notices grouped by kind, each read from its record now (never a stale copy)."""
    notices, seen = [], set()
    for notice in notification_list(user=request.user):  # newest first: one line per record
        about = (notice.kind, notice.target_id) if notice.kind and notice.target_id is not None else notice.pk
        if about not in seen:
            seen.add(about)
            notices.append(notice)
    groups = describe_all(notices)
    return render(request, "notifications/list.html", {"groups": groups})


@login_required
def notification_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a notice marks it read and goes to what it is about."""
    try:
        notice = notification_open(user=request.user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    safe = url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()})
    return redirect(notice.link if notice.link and safe else "notifications:list")


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")
