"""Writes of the request desk: filing, the closed loop, transfer, return, escalation, extensions, ratings,
follow-up calls, exclusions and merges.

Every service checks who acts (``selectors.request_roles``), validates, moves the request along
``models.TRANSITIONS`` only, writes a :class:`RequestEvent` for the history and runs in one transaction. Messages to
the resident go through ``shiliu.lib.messaging`` (console backend in development) and, for requests that came from
the 12345 hotline, through the hotline connector.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shiliu.jurisdiction.roles import Role
from shiliu.lib import clock, messaging
from shiliu.lib.crypto import encrypt, keyed_hash
from shiliu.orgs.models import Organization, UnitKind, mask_phone, phone_validator
from shiliu.regions.models import Region

from . import hotline
from .models import (
    PHONE_CONTEXT,
    TRANSITIONS,
    Channel,
    DeskSettings,
    EventKind,
    Extension,
    ExtensionStatus,
    FollowUp,
    Rating,
    RequestCategory,
    RequestEvent,
    RequestKind,
    RequestPhoto,
    ServiceRequest,
    Status,
    Urgency,
)
from .routing import is_known_unit, route
from .selectors import Roles, request_roles
from .sla import DAY, deadline_after, sla_for

MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 8 * 2**20
MAX_PHOTO_SIDE = 1600
COMMUNITY_KINDS = (UnitKind.COMMUNITY, UnitKind.VILLAGE)


@dataclass
class RequestInput:
    kind: str = ""
    category: str = ""
    description: str = ""
    community: Organization | None = None
    urgency: str = Urgency.NORMAL
    phone: str = ""
    contact_name: str = ""
    origin_region: Region | None = None
    channel: str = Channel.WEB
    hotline_order_number: str = ""
    received_at: dt.datetime | None = None
    photos: list[Any] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------ helpers


def _event(
    request: ServiceRequest,
    kind: str,
    *,
    actor: Any = None,
    from_status: str = "",
    note: str = "",
    to_region: str | None = None,
    to_unit: Organization | None = None,
    at: dt.datetime | None = None,
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        kind=kind,
        from_status=from_status,
        to_status=request.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        to_region_id=to_region,
        to_unit=to_unit,
        note=note[:500],
        at=at or clock.now(),
    )


def _move(request: ServiceRequest, to: str) -> str:
    """Move along the typed loop; anything else is refused."""
    before = request.status
    if to not in TRANSITIONS.get(before, ()):
        raise ValidationError(
            _("A request that is “%(from)s” cannot become “%(to)s”.")
            % {"from": Status(before).label, "to": Status(to).label}
        )
    request.status = to
    return before


def _roles(actor: Any, request: ServiceRequest) -> Roles:
    return request_roles(user=actor, request=request)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You cannot do this for this request."))


def _tell_resident(request: ServiceRequest, text: str) -> None:
    """A text message to the resident's phone (if given) and the hotline, if the request came from there."""
    from shiliu.lib.crypto import decrypt

    if request.phone_encrypted:
        # the tracking page shows the same; a failed text never blocks the work
        with contextlib.suppress(messaging.DeliveryError):
            messaging.send(
                messaging.Message(
                    to=decrypt(request.phone_encrypted, context=PHONE_CONTEXT),
                    subject=_("Your request %(n)s") % {"n": request.tracking_number},
                    body=text,
                    channel=messaging.SMS,
                )
            )
    if request.hotline_order_number:
        hotline.send_update(request=request, text=text)


def _notify_party(
    request: ServiceRequest, region: str | None, unit: Organization | None, text: str, key: str
) -> None:
    from shiliu.accounts.models import User
    from shiliu.notifications.services import notify

    if unit is not None and unit.kind != UnitKind.COMMISSION:
        people = User.objects.filter(organization=unit, role=Role.UNIT_COORDINATOR, is_active=True)
    else:
        code = region or (unit.region_id if unit else "")
        people = User.objects.filter(region_id=code, role=Role.COMMISSION_STAFF, is_active=True)
    notify(
        recipients=list(people),
        text=text,
        link=f"/residents/requests/{request.pk}/",
        key=f"request-{request.pk}-{key}",
    )


def _new_tracking_number(now: dt.datetime) -> str:
    # Not guessable: a date and 6 random characters (no 0/O/1/I), so a number gives no way to walk to others.
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "S" + now.strftime("%y%m%d") + "".join(secrets.choice(alphabet) for _i in range(6))


def _reencode(upload: Any) -> tuple[ContentFile[bytes], int, int]:
    """Decode the photo and write it again as a JPEG: EXIF (with any GPS position) does not survive."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    size = getattr(upload, "size", None) or 0
    if size > MAX_PHOTO_BYTES:
        raise ValidationError({"photos": _("A photo may be at most 8 MB.")})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            upright = ImageOps.exif_transpose(opened)  # keep it upright, then drop the metadata
            clean = upright.convert("RGB")
            clean.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            out = io.BytesIO()
            # No exif= argument: nothing of the original's metadata is written.
            clean.save(out, format="JPEG", quality=82)
            width, height = clean.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError({"photos": _("This file is not a photo (JPEG, PNG or WebP).")}) from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError({"photos": _("This photo is too large.")}) from exc
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(8)}.jpg"), width, height


# ------------------------------------------------------------------------------------------------ filing


def _check_input(data: RequestInput, *, anonymous: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.kind not in RequestKind.values:
        errors["kind"] = _("Choose the type of request.")
    if data.category not in RequestCategory.values:
        errors["category"] = _("Choose what the request is about.")
    if data.urgency not in Urgency.values:
        errors["urgency"] = _("Choose the urgency.")
    if data.community is None:
        errors["community"] = _("Choose the community the request concerns.")
    elif data.community.kind not in COMMUNITY_KINDS or not data.community.is_active:
        errors["community"] = _("Choose a community or village.")
    text = data.description.strip()
    if len(text) < 5:
        errors["description"] = _("Describe the request in a few words (at least 5 characters).")
    elif len(text) > 2000:
        errors["description"] = _("Keep the description under 2,000 characters.")
    phone = data.phone.strip().replace(" ", "")
    if phone:
        try:
            phone_validator(phone)
        except ValidationError:
            errors["phone"] = _(
                "Enter a mainland mobile number (11 digits) or a landline such as 0514-87654321."
            )
    elif anonymous:
        errors["phone"] = _("Without an account, give a phone number so that the answer can reach you.")
    if len(data.photos) > MAX_PHOTOS:
        errors["photos"] = _("Attach at most %(n)d photos.") % {"n": MAX_PHOTOS}
    if data.received_at is not None and data.received_at > clock.now() + dt.timedelta(minutes=5):
        errors["received_at"] = _("The time the request was received cannot lie in the future.")
    return errors


@transaction.atomic
def request_file(*, actor: Any, data: RequestInput) -> ServiceRequest:
    """File a request (受理): from the resident's phone (signed in, or anonymous with a phone number), by staff who
    took it by phone or in person, or from the 12345 hotline. A routing rule dispatches it at once; otherwise it
    waits for the community's commission to dispatch it."""
    anonymous = not getattr(actor, "is_authenticated", False)
    errors = _check_input(data, anonymous=anonymous and data.channel != Channel.HOTLINE)
    photos = []
    if not errors:
        try:
            photos = [_reencode(p) for p in data.photos]
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    community = data.community
    if community is None:  # checked above; for the type checker
        raise ValidationError({"community": _("Choose the community the request concerns.")})
    now = data.received_at or clock.now()
    _sign, answer_minutes = sla_for(data.kind, data.urgency)
    answer_due, estimated = deadline_after(now, answer_minutes)
    phone = data.phone.strip().replace(" ", "")
    # Residents are linked to the registry by staff, never by a number typed into a public form.
    resident = None
    origin = data.origin_region
    request = ServiceRequest(
        tracking_number=_new_tracking_number(now),
        kind=data.kind,
        category=data.category,
        urgency=data.urgency,
        description=data.description.strip(),
        channel=data.channel,
        hotline_order_number=data.hotline_order_number or None,
        region_id=community.region_id,
        community=community,
        resident=resident,
        origin_region=origin,
        filed_by=None if anonymous or data.channel != Channel.WEB else actor,
        contact_name=data.contact_name.strip()[:32],
        received_at=now,
        answer_due=answer_due,
        due_estimated=estimated,
        created_at=now,
    )
    if phone:
        request.phone_encrypted = encrypt(phone, context=PHONE_CONTEXT)
        request.phone_hash = keyed_hash(phone, context=PHONE_CONTEXT)
        request.phone_masked = mask_phone(phone)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                request.save()
            break
        except IntegrityError:
            if (
                data.hotline_order_number
                and ServiceRequest.objects.filter(hotline_order_number=data.hotline_order_number).exists()
            ):
                raise
            request.tracking_number = _new_tracking_number(now)
    for content, width, height in photos:
        photo = RequestPhoto(request=request, width=width, height=height)
        photo.image.save(content.name or "photo.jpg", content, save=True)
    _event(request, EventKind.FILED, actor=actor, note=str(Channel(data.channel).label), at=now)
    unit = route(category=data.category, region_code=community.region_id)
    if unit is not None:
        _dispatch(request, unit=unit, region=unit.region_id, actor=None, note=_("by routing rule"), at=now)
    else:
        _notify_party(request, request.region_id[:6], None, _("A new request waits for dispatch."), "filed")
    return request


def _dispatch(
    request: ServiceRequest,
    *,
    unit: Organization | None,
    region: str,
    actor: Any,
    note: str = "",
    kind: str = EventKind.DISPATCHED,
    at: dt.datetime | None = None,
) -> None:
    now = at or clock.now()
    before = _move(request, Status.DISPATCHED)
    sign_minutes, _answer = sla_for(request.kind, request.urgency)
    request.handling_unit = unit
    request.handling_region_id = region
    if request.first_region_id is None:
        request.first_region_id = region
        request.first_unit = unit
    request.dispatched_at = now
    if request.first_dispatched_at is None:
        request.first_dispatched_at = now
    request.signed_at = None
    request.sign_due, estimated = deadline_after(now, sign_minutes)
    request.due_estimated = request.due_estimated or estimated
    request.save()
    _event(request, kind, actor=actor, from_status=before, note=note, to_region=region, to_unit=unit, at=now)
    _notify_party(
        request,
        region,
        unit,
        _("A request was sent to you: %(n)s") % {"n": request.tracking_number},
        f"d{now.timestamp():.0f}",
    )


def _check_target(unit: Organization | None) -> Organization:
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit to send the request to.")})
    if not is_known_unit(unit) and unit.kind not in COMMUNITY_KINDS:
        raise ValidationError(
            {"unit": _("No routing rule knows this unit: choose one of the units in the rules.")}
        )
    return unit


@transaction.atomic
def request_dispatch(
    *, actor: Any, request: ServiceRequest, unit: Organization | None = None
) -> ServiceRequest:
    """派单 by the receiving commission: to the chosen unit, or to the unit the routing rules give."""
    _require(_roles(actor, request).dispatcher)
    unit = unit or route(category=request.category, region_code=request.region_id)
    unit = _check_target(unit)
    _dispatch(request, unit=unit, region=unit.region_id, actor=actor)
    return request


@transaction.atomic
def request_sign(*, actor: Any, request: ServiceRequest) -> ServiceRequest:
    """签收: the handler takes the order. Only the sign-for time is set; the dispatch time stays as it was."""
    _require(_roles(actor, request).handler)
    before = _move(request, Status.SIGNED)
    request.signed_at = clock.now()
    request.save()
    _event(request, EventKind.SIGNED, actor=actor, from_status=before)
    return request


@transaction.atomic
def request_start(*, actor: Any, request: ServiceRequest, note: str = "") -> ServiceRequest:
    _require(_roles(actor, request).handler)
    before = _move(request, Status.HANDLING)
    request.save()
    _event(request, EventKind.HANDLING, actor=actor, from_status=before, note=note)
    return request


@transaction.atomic
def request_transfer(
    *,
    actor: Any,
    request: ServiceRequest,
    unit: Organization | None = None,
    to_origin: bool = False,
    note: str = "",
) -> ServiceRequest:
    """转办 to another unit, or to the commission of the resident's origin region (which then sees it in its queue).
    The first handler stays responsible and keeps seeing it; the answer clock keeps running."""
    _require(_roles(actor, request).handler)
    if to_origin:
        if request.origin_region_id is None:
            raise ValidationError({"unit": _("This request has no origin region to transfer it to.")})
        region = request.origin_region_id[:6]
        if region == request.handling_region_id and request.handling_unit_id is None:
            raise ValidationError({"unit": _("The request is already with the origin region's commission.")})
        _dispatch(request, unit=None, region=region, actor=actor, note=note, kind=EventKind.TRANSFERRED)
        return request
    unit = _check_target(unit)
    if unit.pk == request.handling_unit_id:
        raise ValidationError({"unit": _("The request is already with this unit.")})
    _dispatch(request, unit=unit, region=unit.region_id, actor=actor, note=note, kind=EventKind.TRANSFERRED)
    return request


@transaction.atomic
def request_return(*, actor: Any, request: ServiceRequest, reason: str) -> ServiceRequest:
    """退单: the handler disputes the dispatch; it goes to the dispatcher's review, not silently elsewhere."""
    _require(_roles(actor, request).handler)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is not yours.")})
    before = _move(request, Status.RETURNED)
    request.save()
    _event(request, EventKind.RETURNED, actor=actor, from_status=before, note=reason.strip())
    _notify_party(
        request,
        request.region_id[:6],
        None,
        _("A unit returned a request: %(n)s") % {"n": request.tracking_number},
        f"r{clock.now().timestamp():.0f}",
    )
    return request


@transaction.atomic
def request_return_review(
    *, actor: Any, request: ServiceRequest, uphold: bool, unit: Organization | None = None, note: str = ""
) -> ServiceRequest:
    """The dispatcher decides a return: upheld, the request is dispatched to another unit (a new sign-for clock);
    refused, it goes back to the same unit with its original dispatch time and sign-for deadline — bouncing an
    order never restarts its clocks."""
    _require(_roles(actor, request).dispatcher)
    if request.status != Status.RETURNED:
        raise ValidationError(_("This request is not waiting for a decision on a return."))
    if uphold:
        unit = _check_target(unit)
        if unit.pk == request.handling_unit_id:
            raise ValidationError({"unit": _("Choose another unit than the one that returned it.")})
        _event(request, EventKind.RETURN_UPHELD, actor=actor, from_status=request.status, note=note)
        _dispatch(request, unit=unit, region=unit.region_id, actor=actor, note=note)
        return request
    if not note.strip():
        raise ValidationError({"note": _("Say why the unit must handle it.")})
    before = _move(request, Status.DISPATCHED)
    request.save()  # dispatched_at and sign_due unchanged
    _event(request, EventKind.RETURN_REJECTED, actor=actor, from_status=before, note=note.strip())
    return request


def _level_above(request: ServiceRequest) -> str | None:
    current = request.supervisor_region_id or request.handling_region_id or request.region_id
    unit = request.handling_unit
    if request.supervisor_region_id is None and unit is not None and unit.kind != UnitKind.COMMISSION:
        return current[:6] if len(current) >= 6 else current
    for length in (6, 4, 2):
        if length < len(current):
            return current[:length]
    return None


@transaction.atomic
def request_escalate(*, actor: Any, request: ServiceRequest, reason: str) -> ServiceRequest:
    """督办: the level above the handler takes supervision (automatic when overdue, or by staff above)."""
    if actor is not None:
        roles = _roles(actor, request)
        _require(roles.above or roles.dispatcher)
    if not request.is_open:
        raise ValidationError(_("Only an open request can be escalated."))
    target = _level_above(request)
    if target is None:
        raise ValidationError(_("There is no level above to escalate to."))
    request.supervisor_region_id = target
    request.escalation_count += 1
    request.save()
    _event(request, EventKind.ESCALATED, actor=actor, note=reason, to_region=target)
    _notify_party(
        request,
        target,
        None,
        _("A request was escalated to you: %(n)s") % {"n": request.tracking_number},
        f"e{request.escalation_count}",
    )
    return request


@transaction.atomic
def extension_ask(*, actor: Any, request: ServiceRequest, days: int, reason: str) -> Extension:
    """Ask the level above for more time, before the deadline."""
    _require(_roles(actor, request).handler)
    errors = {}
    if clock.now() >= request.answer_due:
        errors["days"] = _("The deadline has passed: an extension must be asked for before it.")
    elif not 1 <= days <= 20:
        errors["days"] = _("Ask for 1 to 20 working days.")
    if not reason.strip():
        errors["reason"] = _("Say why more time is needed.")
    if request.extensions.filter(status=ExtensionStatus.PENDING).exists():
        errors["days"] = _("An extension is already waiting for a decision.")
    if errors:
        raise ValidationError(errors)
    extension = Extension.objects.create(request=request, days=days, reason=reason.strip(), asked_by=actor)
    _event(request, EventKind.EXTENSION_ASKED, actor=actor, note=f"+{days}: {reason.strip()}")
    return extension


@transaction.atomic
def extension_decide(*, actor: Any, extension: Extension, approve: bool) -> Extension:
    request = extension.request
    _require(_roles(actor, request).above)
    if extension.status != ExtensionStatus.PENDING:
        raise ValidationError(_("This extension was already decided."))
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by, extension.decided_at = actor, clock.now()
    extension.save()
    if approve:
        request.answer_due, estimated = deadline_after(request.answer_due, extension.days * DAY)
        request.due_estimated = request.due_estimated or estimated
        request.reminded_before = False
        request.save()
    _event(
        request,
        EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REFUSED,
        actor=actor,
        note=f"+{extension.days}",
    )
    return extension


@transaction.atomic
def request_answer(*, actor: Any, request: ServiceRequest, reply: str) -> ServiceRequest:
    """答复: the handler's answer to the resident (sent by text message and to the hotline)."""
    _require(_roles(actor, request).handler)
    if len(reply.strip()) < 5:
        raise ValidationError({"reply": _("Write the answer to the resident (at least 5 characters).")})
    before = _move(request, Status.ANSWERED)
    request.reply = reply.strip()
    request.answered_at = clock.now()
    request.save()
    _event(request, EventKind.ANSWERED, actor=actor, from_status=before)
    _tell_resident(
        request,
        _("Your request %(n)s was answered: %(reply)s")
        % {"n": request.tracking_number, "reply": request.reply},
    )
    return request


def _draw_followup(request: ServiceRequest, desk: DeskSettings) -> bool:
    """Draw requests for a follow-up call so that at least the configured share of each district's closed requests
    is called: drawn while the drawn share is below it."""
    district = ServiceRequest.objects.filter(
        region__code__startswith=request.region_id[:6], closed_at__isnull=False
    )
    closed = district.count()
    drawn = district.filter(followup_drawn=True).count()
    return drawn * 100 < desk.followup_percent * closed


@transaction.atomic
def request_close(*, actor: Any, request: ServiceRequest, note: str = "") -> ServiceRequest:
    """办结 by the dispatcher (or the first handler), after the answer; a share is drawn for a follow-up call."""
    roles = _roles(actor, request)
    _require(roles.dispatcher or roles.first)
    before = _move(request, Status.CLOSED)
    request.closed_at = clock.now()
    request.save()
    request.followup_drawn = request.followup_drawn or _draw_followup(request, DeskSettings.current())
    request.save(update_fields=["followup_drawn"])
    _event(request, EventKind.CLOSED, actor=actor, from_status=before, note=note)
    _tell_resident(
        request,
        _("Your request %(n)s is closed. Please rate how it was handled on its tracking page.")
        % {"n": request.tracking_number},
    )
    return request


@transaction.atomic
def request_rate(
    *, request: ServiceRequest, rating: str, comment: str = "", actor: Any = None, phone: str = ""
) -> ServiceRequest:
    """评价 by the resident: their account, or the phone number given with the request. 不满意 reopens it for
    review by the dispatcher."""
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    owner = getattr(actor, "is_authenticated", False) and request.filed_by_id == actor.pk
    by_phone = bool(phone.strip()) and request.phone_hash == keyed_hash(
        phone.strip().replace(" ", ""), context=PHONE_CONTEXT
    )
    if not (owner or by_phone):
        raise ValidationError({"phone": _("Enter the phone number you gave with the request.")})
    if request.rating:
        raise ValidationError({"rating": _("This request has already been rated.")})
    if request.status != Status.CLOSED:
        raise ValidationError({"rating": _("Only a closed request can be rated.")})
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose 满意, 基本满意 or 不满意.")})
    request.rating, request.rating_comment, request.rated_at = rating, comment.strip()[:300], clock.now()
    before = _move(request, Status.REVIEW if rating == Rating.DISSATISFIED else Status.RATED)
    request.save()
    _event(request, EventKind.RATED, from_status=before, note=str(Rating(rating).label))
    if rating == Rating.DISSATISFIED:
        _event(request, EventKind.REOPENED, from_status=before)
        _notify_party(
            request,
            request.region_id[:6],
            None,
            _("A resident is dissatisfied: %(n)s") % {"n": request.tracking_number},
            "review",
        )
    return request


@transaction.atomic
def request_review_close(*, actor: Any, request: ServiceRequest, note: str) -> ServiceRequest:
    """The dispatcher ends a review without new work (the rating stands); new work is a new dispatch."""
    _require(_roles(actor, request).dispatcher)
    if not note.strip():
        raise ValidationError({"note": _("Say what the review found.")})
    before = _move(request, Status.CLOSED)
    request.save()
    _event(request, EventKind.CLOSED, actor=actor, from_status=before, note=note.strip())
    return request


@transaction.atomic
def followup_record(
    *, actor: Any, request: ServiceRequest, reached: bool, rating: str = "", note: str = ""
) -> FollowUp:
    """回访: the call to a drawn request's resident, recorded by the dispatching commission's staff."""
    _require(_roles(actor, request).dispatcher)
    if not request.followup_drawn:
        raise ValidationError(_("This request was not drawn for a follow-up call."))
    if hasattr(request, "followup"):
        raise ValidationError(_("The follow-up call is already recorded."))
    if rating and rating not in Rating.values:
        raise ValidationError({"rating": _("Choose 满意, 基本满意 or 不满意.")})
    if reached and not rating:
        raise ValidationError({"rating": _("Record the resident's rating given on the call.")})
    followup = FollowUp.objects.create(
        request=request, reached=reached, rating=rating, note=note.strip()[:500], called_by=actor
    )
    _event(
        request,
        EventKind.FOLLOWED_UP,
        actor=actor,
        note=str(Rating(rating).label) if rating else _("not reached"),
    )
    return followup


@transaction.atomic
def request_exclude(*, actor: Any, request: ServiceRequest, reason: str) -> ServiceRequest:
    """Exclude an unreasonable request from assessment: only the level above, with a reason; audited and shown."""
    _require(_roles(actor, request).above)
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": _("Give the reason for excluding it (at least 5 characters).")})
    if request.excluded:
        raise ValidationError({"reason": _("This request is already excluded.")})
    request.excluded, request.exclusion_reason = True, reason.strip()[:300]
    request.excluded_by, request.excluded_at = actor, clock.now()
    request.save()
    _event(request, EventKind.EXCLUDED, actor=actor, note=request.exclusion_reason)
    return request


@transaction.atomic
def request_merge(*, actor: Any, request: ServiceRequest, into: ServiceRequest) -> ServiceRequest:
    """并单: the duplicate joins the kept request; both residents are told."""
    _require(_roles(actor, request).dispatcher)
    if (
        into.pk == request.pk
        or into.community_id != request.community_id
        or into.category != request.category
    ):
        raise ValidationError(
            {"into": _("Merge only into another request of the same community and category.")}
        )
    if into.status == Status.MERGED or not into.is_open:
        raise ValidationError({"into": _("Merge only into an open request.")})
    before = _move(request, Status.MERGED)
    request.merged_into = into
    request.save()
    _event(request, EventKind.MERGED, actor=actor, from_status=before, note=into.tracking_number)
    _event(into, EventKind.MERGED, actor=actor, note=request.tracking_number)
    text = _("Requests %(a)s and %(b)s are the same matter and are handled together as %(b)s.") % {
        "a": request.tracking_number,
        "b": into.tracking_number,
    }
    _tell_resident(request, text)
    _tell_resident(into, text)
    return request


# ------------------------------------------------------------------------------------------------ the daily clock run


SIGN_REMINDER_MINUTES = 15


@dataclass
class ClockRun:
    reminded_before: int = 0
    reminded_after: int = 0
    escalated: int = 0
    rated_by_default: int = 0


def clocks_run(*, now: dt.datetime | None = None) -> ClockRun:
    """The desk's daily pass (a task queued by the worker's daily reminders): reminders before the deadline (less
    than one working day left) and the day after it, automatic escalation of overdue requests, and the configured
    rating of requests left unrated for N days."""
    from .sla import working_minutes_left

    now = now or clock.now()
    run = ClockRun()
    desk = DeskSettings.current()
    open_qs = ServiceRequest.objects.filter(
        status__in=(
            Status.DISPATCHED,
            Status.SIGNED,
            Status.HANDLING,
            Status.RETURNED,
            Status.REVIEW,
            Status.RECEIVED,
        )
    )
    # The sign-for clock (2 working hours by default): the handler is reminded once in the last quarter hour of
    # working time, and a dispatched request not signed for by its deadline goes to the level above at once (the
    # worker runs this pass every few minutes, not only daily). The notification key keeps the reminder single.
    dispatched = ServiceRequest.objects.filter(status=Status.DISPATCHED, sign_due__isnull=False)
    for request in dispatched.filter(sign_due__gt=now).select_related("handling_unit"):
        if request.sign_due and working_minutes_left(request.sign_due, now=now) <= SIGN_REMINDER_MINUTES:
            _notify_party(
                request,
                request.handling_region_id,
                request.handling_unit,
                _("To be signed for soon: %(n)s") % {"n": request.tracking_number},
                f"sign-before-{request.dispatched_at:%Y%m%d%H%M%S}"
                if request.dispatched_at
                else "sign-before",
            )
    for request in dispatched.filter(sign_due__lte=now, escalation_count=0).select_related("handling_unit"):
        try:
            request_escalate(
                actor=None, request=request, reason=_("not signed for in time: escalated automatically")
            )
            run.escalated += 1
        except ValidationError:
            pass
    for request in open_qs.filter(reminded_before=False, answer_due__gt=now).select_related("handling_unit"):
        if working_minutes_left(request.answer_due, now=now) <= DAY:
            with transaction.atomic():
                request.reminded_before = True
                request.save(update_fields=["reminded_before"])
                _event(request, EventKind.REMINDED, note=_("deadline within one working day"), at=now)
                _notify_party(
                    request,
                    request.handling_region_id,
                    request.handling_unit,
                    _("Due within a working day: %(n)s") % {"n": request.tracking_number},
                    "before",
                )
            run.reminded_before += 1
    for request in open_qs.filter(answer_due__lt=now).select_related("handling_unit"):
        if request.escalation_count == 0:
            try:
                request_escalate(actor=None, request=request, reason=_("overdue: escalated automatically"))
                run.escalated += 1
            except ValidationError:
                pass
        if not request.reminded_after and now - request.answer_due >= dt.timedelta(days=1):
            with transaction.atomic():
                request.reminded_after = True
                request.save(update_fields=["reminded_after"])
                _event(request, EventKind.REMINDED, note=_("overdue since yesterday"), at=now)
                _notify_party(
                    request,
                    request.handling_region_id,
                    request.handling_unit,
                    _("Overdue: %(n)s") % {"n": request.tracking_number},
                    "after",
                )
            run.reminded_after += 1
    stale = ServiceRequest.objects.filter(
        status=Status.CLOSED, rating="", closed_at__lt=now - dt.timedelta(days=desk.unrated_days)
    )
    for request in stale:
        with transaction.atomic():
            request.rating, request.rating_is_default, request.rated_at = desk.unrated_counts_as, True, now
            before = _move(request, Status.RATED)
            request.save()
            _event(
                request,
                EventKind.RATED,
                from_status=before,
                note=_("not rated in %(n)d days: counted as configured") % {"n": desk.unrated_days},
                at=now,
            )
        run.rated_by_default += 1
    return run


# ------------------------------------------------------------------------------------------------ 12345 hotline


@transaction.atomic
def hotline_order_receive(*, data: RequestInput) -> tuple[ServiceRequest, bool]:
    """One 12345 order: filed once, keyed by the hotline's order number (a second delivery returns the first)."""
    number = data.hotline_order_number.strip()
    if not number:
        raise ValidationError({"order_number": _("The 12345 order number is missing.")})
    found = ServiceRequest.objects.filter(hotline_order_number=number).first()
    if found is not None:
        return found, False
    data.channel = Channel.HOTLINE
    data.hotline_order_number = number
    try:
        with transaction.atomic():
            return request_file(actor=None, data=data), True
    except IntegrityError:  # the same order delivered twice at once: the other delivery filed it
        return ServiceRequest.objects.get(hotline_order_number=number), False
