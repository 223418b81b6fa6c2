from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shiliu.orgs.models import UnitKind
from shiliu.orgs.selectors import organization_kind_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard shell (一屏全览): what lies in the user's jurisdiction, more as modules land."""
    labels = dict(UnitKind.choices)
    counts = [
        {"kind": row["kind"], "label": str(labels.get(row["kind"], row["kind"])), "n": row["n"]}
        for row in organization_kind_counts(user=request.user)
    ]
    chart = {"labels": [c["label"] for c in counts], "values": [c["n"] for c in counts]}
    return render(
        request, "core/home.html", {"counts": counts, "total": sum(c["n"] for c in counts), "chart": chart}
    )


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request the server cannot act on (a parameter out of range, a broken upload): say which, in Chinese."""
    return render(
        request, "400.html", {"message": str(exception) if exception and str(exception) else ""}, status=400
    )


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request, "403.html", {"message": str(exception) if exception and str(exception) else ""}, status=403
    )


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    from .models import Notification

    items = Notification.objects.filter(recipient_id=request.user.pk)[:100]
    return render(request, "core/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    from .services import notifications_mark_read

    notifications_mark_read(user=request.user)
    return redirect("notifications:list")
