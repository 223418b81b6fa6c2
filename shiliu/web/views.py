from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy

from shiliu.jurisdiction.decorators import acting_user
from shiliu.jurisdiction.roles import Role
from shiliu.lib import clock
from shiliu.lib.workbench import workbench
from shiliu.orgs.models import UnitKind
from shiliu.orgs.selectors import organization_kind_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The workbench: what waits for the user (each app's count with a link to those records), then the figures of
    the period and the units in the jurisdiction. A resident sees their own things only."""
    user = acting_user(request)
    if user.role == Role.RESIDENT:
        return render(request, "web/home.html", {"resident_home": True})
    labels = dict(UnitKind.choices)
    counts = [
        {"kind": row["kind"], "label": str(labels.get(row["kind"], row["kind"])), "n": row["n"]}
        for row in organization_kind_counts(user=user)
    ]
    chart = {"labels": [c["label"] for c in counts], "values": [c["n"] for c in counts]}
    waiting = workbench.waiting_for(user)
    context = {
        "waiting": waiting,
        "waiting_total": sum(w.count for w in waiting),
        "figures": workbench.figures_for(user),
        "year": clock.today().year,
        "counts": counts,
        "total": sum(c["n"] for c in counts),
        "chart": chart,
    }
    return render(request, "web/home.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: "ok" only when this server can reach its database (a 503 otherwise, so that traffic
    goes elsewhere instead of to the 500 page)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


# Error pages: a bare template (error_base.html) rendered without the request, so that no context processor runs and
# nothing reads the session or the database — a 500 caused by a database outage must still render. Under /api/ the
# answer is JSON, as every other API answer.
API_ERRORS = {
    400: gettext_lazy("The request is not valid."),
    403: gettext_lazy("You do not have permission for this."),
    404: gettext_lazy("Not found."),
    500: gettext_lazy("Server error: the error has been logged; please try again later."),
}


def _error(request: HttpRequest, status: int, template: str, message: str = "") -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message or str(API_ERRORS[status])}, status=status)
    return HttpResponse(loader.render_to_string(template, {"message": message}), status=status)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request the server cannot act on (a parameter out of range, a broken upload): say which, in Chinese."""
    return _error(request, 400, "400.html", str(exception) if exception and str(exception) else "")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page whose security token is out of date (the person logged in again in another tab, or
    the session ended): say so in the user's language, keep what was typed (session.js) and offer the way back —
    instead of Django's bare page that talks of DEBUG."""
    return _error(request, 403, "403_csrf.html", "")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "403.html", str(exception) if exception and str(exception) else "")


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "404.html")


def error_500(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "500.html")
