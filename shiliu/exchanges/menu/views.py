"""Pages of the exchange menu: browse offers and packages, publish them, book, and answer bookings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shiliu.exchanges.ledger.models import Plan
from shiliu.exchanges.menu import selectors, services
from shiliu.exchanges.menu.forms import BookingForm, OfferForm, PackageForm
from shiliu.exchanges.menu.models import Booking, BookingStatus, Offer, Package
from shiliu.exchanges.tourism import selectors as tourism_selectors
from shiliu.jurisdiction.decorators import roles_required
from shiliu.jurisdiction.roles import RECORD_READERS
from shiliu.lib.confirm import confirmation
from shiliu.lib.downloads import file_response
from shiliu.lib.filters import Filters
from shiliu.lib.forms import attach_errors, error_text
from shiliu.orgs.models import Organization


def _my_units(user: Any) -> Any:
    return (
        Organization.objects.editable_by(user)
        .filter(is_active=True)
        .select_related("region")
        .order_by("region_id", "name")
    )


@login_required
@roles_required(*RECORD_READERS)
def menu_browse(request: HttpRequest) -> HttpResponse:
    filters = Filters(request.GET)
    plan = filters.choice("plan", Plan.values, _("plan"))
    for problem in filters.problems:
        messages.warning(request, problem)
    offers = selectors.offers_visible(user=request.user, query=request.GET.get("q", "")[:40], plan=plan)
    context = {
        "offers": offers[:100],
        "packages": selectors.packages_visible(user=request.user)[:50],
        "plans": Plan.choices,
        "current_plan": plan,
    }
    return render(request, "exchanges/menu.html", context)


@login_required
@roles_required(*RECORD_READERS)
def offer_new(request: HttpRequest) -> HttpResponse:
    form = OfferForm(
        request.POST or None,
        request.FILES or None,
        units=_my_units(request.user),
        routes=tourism_selectors.routes_visible(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        host = data.pop("host")
        try:
            offer = services.offer_publish(actor=request.user, host=host, data=data)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The offer is published."))
            return redirect("exchanges:offer", pk=offer.pk)
    return render(
        request,
        "exchanges/menu_form.html",
        {"form": form, "title": _("Publish an offer")},
        status=400 if form.errors else 200,
    )


@login_required
@roles_required(*RECORD_READERS)
def package_new(request: HttpRequest) -> HttpResponse:
    own = Offer.objects.filter(host__in=_my_units(request.user), is_active=True).select_related("host")
    form = PackageForm(request.POST or None, offers=own)
    if request.method == "POST" and form.is_valid():
        offers = list(form.cleaned_data["offers"])
        try:
            package = services.package_publish(
                actor=request.user, host=offers[0].host, title=form.cleaned_data["title"], offers=offers,
                description=form.cleaned_data["description"], is_public=form.cleaned_data["is_public"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The package is published."))
            return redirect("exchanges:package", pk=package.pk)
    return render(
        request,
        "exchanges/menu_form.html",
        {"form": form, "title": _("Combine offers into a package")},
        status=400 if form.errors else 200,
    )


def _item_page(request: HttpRequest, item: Offer | Package, kind: str) -> HttpResponse:
    form = BookingForm(request.POST or None, units=_my_units(request.user))
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            booking = services.booking_request(
                actor=request.user,
                item=item,
                guest=cd["guest"],
                start=cd["start_date"],
                end=cd["end_date"],
                group_size=cd["group_size"],
                composition=cd["composition"],
            )
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Your booking was sent to the host."))
            if booking.days_over:
                messages.warning(
                    request,
                    _(
                        "Your booking runs %(days)d days, but “%(title)s” lasts %(length)d day(s): the host sees "
                        "this and may propose other dates."
                    )
                    % {"days": booking.days, "title": item.title, "length": item.duration_days},
                )
            if booking.status == BookingStatus.WAITLISTED:
                messages.warning(
                    request, _("The offer is full for these dates: your booking is on the waiting list.")
                )
            return redirect("exchanges:bookings")
    offers = [item] if isinstance(item, Offer) else list(item.offers.all())
    return render(
        request,
        "exchanges/menu_item.html",
        {"item": item, "kind": kind, "offers": offers, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@roles_required(*RECORD_READERS)
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.offers_visible(user=request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return _item_page(request, item, "offer")


@login_required
@roles_required(*RECORD_READERS)
def offer_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer photos are served by the application, to those who may browse the offer."""
    item = selectors.offers_visible(user=request.user).filter(pk=pk).first()
    if item is None or not item.photo:
        raise Http404
    return file_response(item.photo)


@login_required
@roles_required(*RECORD_READERS)
def package_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.packages_visible(user=request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return _item_page(request, item, "package")


@login_required
@roles_required(*RECORD_READERS)
def bookings(request: HttpRequest) -> HttpResponse:
    incoming, outgoing = selectors.bookings_for(user=request.user)
    filters = Filters(request.GET)
    status = filters.choice(
        "status", BookingStatus.values, _("status")
    )  # the workbench's "bookings to answer"
    for problem in filters.problems:
        messages.warning(request, problem)
    if status:
        incoming, outgoing = incoming.filter(status=status), outgoing.filter(status=status)
    return render(
        request, "exchanges/bookings.html", {"incoming": incoming[:100], "outgoing": outgoing[:100]}
    )


def _confirm_booking(request: HttpRequest, booking: Booking, action: str) -> HttpResponse | None:
    """Cancelling or declining cannot be undone: say what happens first (see shiliu.lib.confirm)."""
    facts = {
        "title": booking.item.title,
        "guest": booking.guest.name,
        "start": booking.start_date.isoformat(),
        "end": booking.end_date.isoformat(),
    }
    if action == "decline":
        title = _("Decline the booking of “%(title)s” by %(guest)s?") % facts
        lines = [
            _("The booking of %(start)s – %(end)s is declined and %(guest)s is told.") % facts,
            _("A declined booking cannot be reopened; the guest has to book again."),
        ]
        label = _("Decline the booking")
    else:
        title = _("Cancel the booking of “%(title)s”?") % facts
        lines = [_("The booking of %(start)s – %(end)s is cancelled for both sides.") % facts]
        if booking.activity_id and booking.activity.status == "draft":  # type: ignore[union-attr]
            lines.append(_("The draft activity created when it was accepted is cancelled too."))
        if booking.status == BookingStatus.ACCEPTED:
            lines.append(_("Bookings waiting for these dates move up to the host's answer."))
        lines.append(_("A cancelled booking cannot be reopened."))
        label = _("Cancel the booking")
    return confirmation(
        request, title=title, consequences=lines, confirm_label=label, back_url=reverse("exchanges:bookings")
    )


@login_required
@roles_required(*RECORD_READERS)
@require_POST
def booking_action(request: HttpRequest, pk: int) -> HttpResponse:
    incoming, outgoing = selectors.bookings_for(user=request.user)
    booking = (incoming | outgoing).filter(pk=pk).first()
    if booking is None:
        raise Http404
    action = request.POST.get("action", "")
    if action in ("cancel", "decline"):
        asking = _confirm_booking(request, booking, action)
        if asking is not None:
            return asking
    try:
        if action in ("accept", "decline", "counter"):
            start = parse_date(request.POST.get("start", "") or "") if request.POST.get("start") else None
            end = parse_date(request.POST.get("end", "") or "") if request.POST.get("end") else None
            booking = services.booking_answer(
                actor=request.user,
                booking=booking,
                decision=action,
                note=request.POST.get("note", ""),
                start=start,
                end=end,
            )
            if booking.activity_id and action == "accept":
                messages.success(
                    request,
                    _(
                        "Accepted: a draft activity was created with both parties filled in. After the visit, "
                        "add the participants and submit it for the guest's confirmation."
                    ),
                )
                return redirect("exchanges:detail", pk=booking.activity_id)
            if action == "accept" and booking.status == BookingStatus.WAITLISTED:
                messages.warning(
                    request,
                    _(
                        "The offer is full for these dates: the booking was not accepted and is now on the "
                        "waiting list. It moves up when another booking of these dates is cancelled."
                    ),
                )
                return redirect("exchanges:bookings")
        elif action == "take_dates":
            services.booking_confirm_dates(actor=request.user, booking=booking)
        elif action == "cancel":
            services.booking_cancel(actor=request.user, booking=booking)
        messages.success(request, _("The booking was updated."))
    except (ValidationError, PermissionDenied, ValueError) as exc:  # ValueError: an impossible date
        messages.error(request, error_text(exc))
    return redirect("exchanges:bookings")
