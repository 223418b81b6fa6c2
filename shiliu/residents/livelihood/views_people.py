"""Pages of volunteers and cadre–family pairing, the livelihood home page and the statistics."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shiliu.jurisdiction.decorators import acting_user
from shiliu.lib import clock

from . import selectors, services
from .forms import AidForm, DecideForm, HoursForm, MemberForm, PairingForm, TeamForm, VisitForm
from .views_common import attach, everyone, flash_error, form_page, readers

HOURS_PAGE = 30


@login_required
@everyone
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    resident = selectors.is_resident(user)
    context = {
        "resident": resident,
        "applications": selectors.application_list(user=user).count() if resident else None,
        "enrolments": selectors.my_enrolments(user=user).count() if resident else None,
        "teams": selectors.team_list(user=user).count(),
        "waiting_hours": selectors.hours_waiting(user=user).count(),
        "pairs": selectors.pairing_list(user=user).count(),
        "overdue": selectors.pairing_overdue(user=user).count(),
    }
    return render(request, "livelihood/home.html", context)


@login_required
@readers
def statistics(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    year_raw = request.GET.get("year", "")
    year = int(year_raw) if year_raw.isdigit() and 2000 <= int(year_raw) <= 2100 else None
    context = {
        "jobs": selectors.job_statistics(user=user),
        "training": selectors.training_statistics(user=user, year=year),
        "volunteers": selectors.volunteer_statistics(user=user, year=year),
        "kinship": selectors.kinship_statistics(user=user),
        "year": year,
        "years": list(range(clock.today().year, clock.today().year - 4, -1)),
    }
    return render(request, "livelihood/statistics.html", context)


# ---------------------------------------------------------------------------------------------------- volunteers
@login_required
@everyone
def team_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    context = {
        "teams": selectors.team_list(user=user).order_by("-approved_hours", "name"),
        "waiting": selectors.hours_waiting(user=user)[:100],
        "resident": selectors.is_resident(user),
        "can_create": not selectors.is_resident(user),
    }
    return render(request, "livelihood/teams.html", context)


@login_required
@readers
def team_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = TeamForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = data.pop("members")
        try:
            team = services.team_create(actor=user, data=data, members=members)
        except (ValidationError, PermissionDenied) as exc:
            attach(form, exc)
        else:
            messages.success(request, _("The team is created."))
            return redirect("livelihood:team", pk=team.pk)
    return form_page(request, form, title=_("New volunteer team"), cancel=reverse("livelihood:teams"))


@login_required
@everyone
@require_POST
def team_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    team = selectors.team_get(user=user, pk=pk)
    form = MemberForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.team_member_add(actor=user, team=team, member=form.cleaned_data["login"])
    except (ValidationError, PermissionDenied) as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("The member is added."))
    return redirect("livelihood:team", pk=pk)


@login_required
@everyone
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    team = selectors.team_get(user=user, pk=pk)
    form = HoursForm(request.POST or None, initial={"served_on": clock.today()})
    is_member = team.members.filter(pk=user.pk).exists()
    if request.method == "POST" and form.is_valid():
        try:
            services.hours_log(actor=user, team=team, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            attach(form, exc)
        else:
            messages.success(request, _("Your hours were sent to the team leader."))
            return redirect("livelihood:team", pk=pk)
    leads = selectors.team_leads(user=user, team=team)
    context = {
        "team": team,
        "form": form,
        "is_member": is_member,
        "leads": leads,
        # Paged (a year of a team's hours runs to hundreds of entries; a cap hid the older ones).
        "page": Paginator(selectors.hours_list(user=user, team=team), HOURS_PAGE).get_page(
            request.GET.get("page")
        ),
        "query": "",
        "pending": selectors.hours_list(user=user, team=team).filter(status="pending")[:20] if leads else [],
        "decide_form": DecideForm(),
        "member_form": MemberForm(),
    }
    return render(request, "livelihood/team.html", context, status=400 if form.errors else 200)


@login_required
@everyone
@require_POST
def hours_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    entry = selectors.hours_get_for_decision(user=user, pk=pk)
    form = DecideForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose approve or return."))
        services.hours_decide(
            actor=user,
            entry=entry,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["return_reason"],
        )
    except (ValidationError, PermissionDenied) as exc:
        flash_error(request, exc)
    else:
        messages.success(request, _("Decision recorded."))
    return redirect(
        request.POST.get("back") == "teams"
        and reverse("livelihood:teams")
        or reverse("livelihood:team", args=[entry.team_id])
    )


# ------------------------------------------------------------------------------------------------------- cadres
@login_required
@readers
def pairing_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    pairs = selectors.pairing_list(user=user).order_by("last_visit", "household")
    overdue_ids = set(selectors.pairing_overdue(user=user).values_list("pk", flat=True))
    context = {"pairs": pairs[:200], "overdue_ids": overdue_ids, "can_pair": True}
    return render(request, "livelihood/pairings.html", context)


@login_required
@readers
def pairing_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = PairingForm(request.POST or None, user=user, initial={"paired_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["cadre_unit"] = data["cadre"].organization
        try:
            pairing = services.kinship_pair(actor=user, data=data)
        except (ValidationError, PermissionDenied) as exc:
            attach(form, exc)
        else:
            messages.success(request, _("The pair is recorded."))
            return redirect("livelihood:pairing", pk=pairing.pk)
    return form_page(
        request, form, title=_("Pair a cadre with a household"), cancel=reverse("livelihood:pairings")
    )


@login_required
@readers
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    pairing = selectors.pairing_get(user=user, pk=pk)
    visit_form = VisitForm(initial={"visited_on": clock.today()}, prefix="visit")
    aid_form = AidForm(initial={"given_on": clock.today()}, prefix="aid")
    if request.method == "POST":
        try:
            if request.POST.get("form") == "aid":
                aid_form = AidForm(request.POST, prefix="aid")
                if aid_form.is_valid():
                    services.aid_record(actor=user, pairing=pairing, data=aid_form.cleaned_data)
                    messages.success(request, _("The aid is recorded."))
                    return redirect("livelihood:pairing", pk=pk)
            else:
                visit_form = VisitForm(request.POST, prefix="visit")
                if visit_form.is_valid():
                    services.visit_log(actor=user, pairing=pairing, **visit_form.cleaned_data)
                    messages.success(request, _("The visit is recorded."))
                    return redirect("livelihood:pairing", pk=pk)
        except (ValidationError, PermissionDenied) as exc:
            attach(aid_form if request.POST.get("form") == "aid" else visit_form, exc)
    since = clock.today() - dt.timedelta(days=selectors.QUARTER_DAYS)
    context = {
        "pairing": pairing,
        "visits": pairing.visits.select_related("created_by")[:100],
        "aid": pairing.aid.all()[:100],
        "visit_form": visit_form,
        "aid_form": aid_form,
        "acts": selectors.pairing_acts(user=user, pairing=pairing),
        "overdue": pairing.paired_on <= since and not pairing.visits.filter(visited_on__gt=since).exists(),
    }
    return render(
        request,
        "livelihood/pairing.html",
        context,
        status=400 if visit_form.errors or aid_form.errors else 200,
    )
