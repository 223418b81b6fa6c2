"""Cancelling a job fair or a training class, taking back approved volunteer hours, removing a cadre visit: each
asks for confirmation (lib/confirm.py) and takes the derived activity out of the statistics (services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shiliu.jurisdiction.decorators import acting_user
from shiliu.lib.confirm import confirmation
from shiliu.lib.forms import error_text

from . import selectors, services
from .models import KinshipVisit, VolunteerHours
from .views_common import readers

LEDGER_NOTE = _("Its activity leaves the exchange statistics of both parties.")


@login_required
@readers
@require_POST
def fair_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    fair = selectors.fair_get(user=user, pk=pk)
    if not services.fair_manages(user=user, fair=fair):
        raise Http404
    asking = confirmation(
        request,
        title=_("Cancel the job fair “%(title)s”?") % {"title": fair.title},
        consequences=[_("The fair is removed; its posts stay open."), str(LEDGER_NOTE)],
        confirm_label=_("Cancel the job fair"),
        back_url=reverse("livelihood:fair", args=[pk]),
    )
    if asking is not None:
        return asking
    services.fair_cancel(actor=user, fair=fair)
    messages.success(request, _("The job fair was cancelled."))
    return redirect("livelihood:fairs")


@login_required
@readers
@require_POST
def class_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    klass = selectors.class_get(user=user, pk=pk)
    if not selectors.class_manages(user=user, klass=klass):
        raise Http404
    asking = confirmation(
        request,
        title=_("Cancel the class “%(title)s”?") % {"title": klass.title},
        consequences=[
            _("Its sessions, enrolments (%(n)d) and attendance are removed.")
            % {"n": klass.enrolments.count()},
            str(LEDGER_NOTE),
        ],
        confirm_label=_("Cancel the class"),
        back_url=reverse("livelihood:class", args=[pk]),
    )
    if asking is not None:
        return asking
    try:
        services.class_cancel(actor=user, klass=klass)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("livelihood:class", pk=pk)
    messages.success(request, _("The class was cancelled."))
    return redirect("livelihood:classes")


@login_required
@require_POST
def hours_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    entry = get_object_or_404(VolunteerHours.objects.select_related("team"), pk=pk)
    team = selectors.team_get(user=user, pk=entry.team_id)
    if not selectors.team_leads(user=user, team=team):
        raise Http404
    asking = confirmation(
        request,
        title=_("Take back the approval of these hours?"),
        consequences=[
            _("%(hours)s hours of %(date)s are returned to the volunteer.")
            % {"hours": entry.hours, "date": entry.served_on.isoformat()},
            _("When no approved hours of that day remain, the day's service leaves the exchange statistics."),
        ],
        confirm_label=_("Take back the approval"),
        back_url=reverse("livelihood:team", args=[team.pk]),
    )
    if asking is not None:
        return asking
    try:
        services.hours_revoke(actor=user, entry=entry, reason=request.POST.get("return_reason", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except PermissionDenied as exc:
        raise Http404 from exc
    else:
        messages.success(request, _("The approval was taken back."))
    return redirect("livelihood:team", pk=team.pk)


@login_required
@require_POST
def visit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    visit = get_object_or_404(KinshipVisit, pk=pk)
    pairing = selectors.pairing_get(user=user, pk=visit.pairing_id)
    asking = confirmation(
        request,
        title=_("Remove the visit of %(date)s?") % {"date": visit.visited_on.isoformat()},
        consequences=[_("The visit is removed from the pair's record."), str(LEDGER_NOTE)],
        confirm_label=_("Remove the visit"),
        back_url=reverse("livelihood:pairing", args=[pairing.pk]),
    )
    if asking is not None:
        return asking
    try:
        services.visit_delete(actor=user, visit=visit)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("The visit was removed."))
    return redirect("livelihood:pairing", pk=pairing.pk)
