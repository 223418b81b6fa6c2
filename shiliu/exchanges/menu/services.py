"""Writes of the exchange menu: publishing offers and packages, and the life of a booking.

Who books: staff of the guest unit's region or the guest unit's coordinator. The host accepts, declines or proposes
other dates; an accepted booking becomes a planned (draft) activity with both parties filled in. A booking that
would overfill the offer for overlapping dates waits on the waiting list and moves up when an accepted booking is
cancelled. Places are counted under a lock of the offer (or package), so two acceptances at once never over-book."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shiliu.accounts.selectors import commission_staff_over
from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.ledger.models import Activity
from shiliu.exchanges.menu.models import Booking, BookingStatus, Offer, Package
from shiliu.exchanges.menu.selectors import offers_visible, packages_visible
from shiliu.jurisdiction.party import Party, acts_for
from shiliu.lib import clock
from shiliu.lib.bounds import check_fields
from shiliu.lib.uploads import IMAGES, MAX_PHOTO_BYTES, check_document
from shiliu.notifications.services import notifications_settle, notify
from shiliu.orgs.models import Organization

ACTIVE_BOOKINGS = (BookingStatus.ACCEPTED,)


@transaction.atomic
def offer_publish(*, actor: Any, host: Organization, data: dict[str, Any]) -> Offer:
    if not acts_for(actor, Party.of_unit(host)):
        raise PermissionDenied(_("You can publish offers only for your own unit."))
    data = dict(data)
    photo = data.pop("photo", None)
    if photo:
        check_document(photo, allowed=IMAGES, field="photo", max_bytes=MAX_PHOTO_BYTES)
    offer = Offer(host=host, created_at=clock.now(), **data)
    if photo:
        offer.photo = photo
    if not offer.has_plan:
        raise ValidationError({"plan_youth": _("Choose at least one of the Three Plans.")})
    offer.full_clean()
    offer.save()
    return offer


@transaction.atomic
def package_publish(
    *,
    actor: Any,
    host: Organization,
    title: str,
    offers: list[Offer],
    description: str = "",
    is_public: bool = False,
) -> Package:
    if not acts_for(actor, Party.of_unit(host)):
        raise PermissionDenied(_("You can publish offers only for your own unit."))
    if not offers:
        raise ValidationError({"offers": _("A package needs at least one offer.")})
    if any(o.host_id != host.pk for o in offers):
        raise ValidationError({"offers": _("A package combines offers of its own host.")})
    package = Package(
        host=host, title=title, description=description, is_public=is_public, created_at=clock.now()
    )
    package.full_clean()
    package.save()
    package.offers.set(offers)
    return package


def _lock_item(item: Offer | Package) -> Offer | Package:
    """Lock the offer's (or package's) row for the rest of the transaction.

    Every change to the places of an offer (a request, an acceptance, a cancellation with its move up from the
    waiting list) takes this lock before it counts the accepted bookings, so two of them on the same offer run one
    after the other and the second counts what the first wrote. On SQLite, whose transactions here begin
    IMMEDIATE, writers are serialised anyway and ``select_for_update`` is a no-op.
    """
    model = Offer if isinstance(item, Offer) else Package
    return model.objects.select_for_update().get(pk=item.pk)


def _locked_booking(booking: Booking) -> Booking:
    """The booking, re-read under lock after its offer or package (always in this order: no deadlock)."""
    if booking.offer_id is not None:
        Offer.objects.select_for_update().filter(pk=booking.offer_id).first()
    elif booking.package_id is not None:
        Package.objects.select_for_update().filter(pk=booking.package_id).first()
    return Booking.objects.select_for_update().get(pk=booking.pk)


def _booked(item: Offer | Package, start: dt.date, end: dt.date, exclude: int | None = None) -> int:
    field = "offer" if isinstance(item, Offer) else "package"
    overlapping = Booking.objects.filter(
        **{field: item}, status__in=ACTIVE_BOOKINGS, start_date__lte=end, end_date__gte=start
    )
    if exclude:
        overlapping = overlapping.exclude(pk=exclude)
    return sum(b.group_size for b in overlapping)


@transaction.atomic
def booking_request(
    *,
    actor: Any,
    item: Offer | Package,
    guest: Organization,
    start: dt.date,
    end: dt.date,
    group_size: int,
    composition: str = "",
) -> Booking:
    """Ask for an offer or package. Above capacity is refused; a full period puts the booking on the waiting list."""
    if not acts_for(actor, Party.of_unit(guest)):
        raise PermissionDenied(_("You can book only for your own unit."))
    visible = offers_visible(user=actor) if isinstance(item, Offer) else packages_visible(user=actor)
    if not visible.filter(pk=item.pk).exists():
        raise PermissionDenied(_("This offer is not open to your region."))
    errors: dict[str, str] = {}
    if end < start:
        errors["end_date"] = _("The end date is before the start date.")
    if start < clock.today():
        errors["start_date"] = _("The requested dates cannot be in the past.")
    if group_size > item.capacity:
        errors["group_size"] = _("The group of %(n)d is larger than the capacity of %(cap)d.") % {
            "n": group_size,
            "cap": item.capacity,
        }
    if guest.pk == item.host_id:
        errors["guest"] = _("A unit cannot book its own offer.")

    if errors:
        raise ValidationError(errors)
    _lock_item(item)
    full = _booked(item, start, end) + group_size > item.capacity
    booking = Booking(
        offer=item if isinstance(item, Offer) else None,
        package=item if isinstance(item, Package) else None,
        guest=guest, start_date=start, end_date=end, group_size=group_size, composition=composition,
        status=BookingStatus.WAITLISTED if full else BookingStatus.REQUESTED, requested_by=actor, created_at=clock.now(),
    )  # fmt: skip
    booking.full_clean()
    booking.save()
    notify(
        recipients=commission_staff_over(item.host.region_id),
        text=_("New booking of “%(title)s” by %(guest)s") % {"title": item.title, "guest": guest.name},
        link="/exchanges/bookings/",
        key=f"booking-{booking.pk}",
        kind="booking",
        target_id=booking.pk,
    )
    return booking


@transaction.atomic
def booking_answer(
    *,
    actor: Any,
    booking: Booking,
    decision: str,
    note: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Booking:
    """The host accepts (creating a planned activity), declines, or proposes other dates."""
    booking = _locked_booking(booking)
    if not acts_for(actor, Party.of_unit(booking.host)):
        raise PermissionDenied(_("Only the host can answer this booking."))
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.WAITLISTED, BookingStatus.COUNTER):
        raise ValidationError(_("This booking has already been answered."))
    booking.host_note = note[:200]
    if decision == "decline":
        booking.status = BookingStatus.DECLINED
    elif decision == "counter":
        if start is None or end is None or end < start or start < clock.today():
            raise ValidationError({"proposed_start": _("Propose valid future dates.")})
        booking.status, booking.proposed_start, booking.proposed_end = BookingStatus.COUNTER, start, end
        check_fields(booking, "proposed_start", "proposed_end")
    elif decision == "accept":
        if booking.status == BookingStatus.COUNTER and booking.proposed_start:
            booking.start_date, booking.end_date = booking.proposed_start, booking.proposed_end  # type: ignore[assignment]
        if (
            _booked(booking.item, booking.start_date, booking.end_date, exclude=booking.pk)
            + booking.group_size
            > booking.capacity
        ):
            # Full for these dates: the booking waits (and says so) until a cancellation makes room.
            booking.status = BookingStatus.WAITLISTED
            booking.save()
            return booking
        booking.status = BookingStatus.ACCEPTED
        booking.activity = _planned_activity(actor, booking)
    else:
        raise ValidationError(_("Unknown decision."))
    booking.save()
    notifications_settle(kind="booking", target_id=booking.pk)
    return booking


def _planned_activity(actor: Any, booking: Booking) -> Activity:
    item = booking.item
    offers = [item] if isinstance(item, Offer) else list(item.offers.all())
    first = offers[0]
    data = {
        "title": f"{booking.guest.name}：{item.title}",
        "activity_type": first.activity_type,
        "plan_embedding": any(o.plan_embedding for o in offers),
        "plan_youth": any(o.plan_youth for o in offers),
        "plan_tourism": any(o.plan_tourism for o in offers),
        "start_date": booking.start_date,
        "end_date": booking.end_date,
        "place": item.host.name,
        "sending_region": booking.guest.region,
        "sending_unit": booking.guest,
        "receiving_region": item.host.region,
        "receiving_unit": item.host,
        "summary": booking.composition,
    }
    # A draft recorded by the host: participant counts are filled in after the visit, then the guest confirms.
    return ledger_services.activity_record(actor=actor, data=data, participations=[], submit=False)


@transaction.atomic
def booking_confirm_dates(*, actor: Any, booking: Booking) -> Booking:
    """The guest takes the host's proposed dates; the booking goes back to the host as requested."""
    booking = _locked_booking(booking)
    if not acts_for(actor, Party.of_unit(booking.guest)) or booking.status != BookingStatus.COUNTER:
        raise ValidationError(_("Only the guest can take the proposed dates."))
    booking.start_date, booking.end_date = booking.proposed_start, booking.proposed_end  # type: ignore[assignment]
    booking.status = BookingStatus.REQUESTED
    booking.save()
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking: Booking) -> Booking:
    """The guest (or the host) cancels; waiting bookings that now fit move up to requested."""
    booking = _locked_booking(booking)
    if not (acts_for(actor, Party.of_unit(booking.guest)) or acts_for(actor, Party.of_unit(booking.host))):
        raise PermissionDenied(_("Only the guest or the host can cancel this booking."))
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError(_("This booking has already been cancelled."))
    if booking.status == BookingStatus.DECLINED:
        raise ValidationError(_("This booking was declined; there is nothing to cancel."))
    was_accepted = booking.status == BookingStatus.ACCEPTED
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    if booking.activity_id and booking.activity.status == "draft":  # type: ignore[union-attr]
        Activity.objects.filter(pk=booking.activity_id).update(
            status="cancelled", cancel_reason=_("Booking cancelled")
        )
    if was_accepted:
        field = "offer" if booking.offer_id else "package"
        for waiting in Booking.objects.filter(
            **{field: booking.item}, status=BookingStatus.WAITLISTED
        ).order_by("created_at"):
            if (
                _booked(waiting.item, waiting.start_date, waiting.end_date) + waiting.group_size
                <= waiting.capacity
            ):
                waiting.status = BookingStatus.REQUESTED
                waiting.save(update_fields=["status"])
    return booking
