from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .selectors import notification_list
from .services import notifications_mark_read


@login_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/list.html", {"items": notification_list(user=request.user)})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")
