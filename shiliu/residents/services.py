"""Writes to the registry: register, edit, consent and its withdrawal, showing a protected number, handovers.

Each service checks who acts (the jurisdiction layer), validates, runs in one transaction and leaves an audit trail.
Sensitive values never reach the audit log: the changes of consent-covered fields are logged by name only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shiliu.jurisdiction.party import Party, acts_for
from shiliu.lib import clock
from shiliu.lib.audit import log_access
from shiliu.lib.crypto import decrypt, encrypt
from shiliu.lib.idnumbers import mask_id_number, validate_id_number
from shiliu.orgs.models import Organization, mask_phone, phone_validator
from shiliu.regions.models import EthnicGroup, Level, Region

from .models import (
    ENCRYPTED_FIELDS,
    ID_CONTEXT,
    PHONE_CONTEXT,
    SCOPE_FIELDS,
    Consent,
    ConsentMethod,
    ConsentScope,
    Handover,
    HandoverStatus,
    Need,
    Resident,
    ResidentStatus,
)
from .selectors import COMMUNITY_KINDS, Access, residence_party, resident_access

ORIGIN_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)
EARLIEST_MOVE = dt.date(1950, 1, 1)
MAX_HOUSEHOLD = 20

# The data a registration or edit carries: plain values as a form or the API sends them.
SENSITIVE_INPUT = {
    "id_number": ConsentScope.IDENTITY,
    "phone": ConsentScope.CONTACT,
    "ethnic_group": ConsentScope.ETHNICITY,
    "household_members": ConsentScope.HOUSEHOLD,
    "skills": ConsentScope.PROFILE,
    "language": ConsentScope.PROFILE,
    "needs": ConsentScope.PROFILE,
    "needs_note": ConsentScope.PROFILE,
}
PLAIN_FIELDS = ("name", "origin_region", "residence_region", "residence_unit", "moved_in_on")


@dataclass(frozen=True)
class ConsentInput:
    scopes: list[str]
    method: str
    given_on: dt.date
    note: str = ""


def kept_on_withdrawal() -> list[str]:
    """What a withdrawal keeps, in the words the page shows."""
    return [
        _("name, origin region, residence community and the dates of moving in and of every handover"),
        _("this consent and its withdrawal (who, when, how), as proof that the data had a basis"),
        _("the audit log of who changed or looked at the record (field names only, never the values)"),
    ]


# ------------------------------------------------------------------------------------------------ validation


def _check_household(members: Any) -> list[dict[str, Any]]:
    if not members:
        return []
    if not isinstance(members, list) or len(members) > MAX_HOUSEHOLD:
        raise ValidationError(
            {"household_members": _("List at most %(n)d household members.") % {"n": MAX_HOUSEHOLD}}
        )
    this_year = clock.today().year
    clean: list[dict[str, Any]] = []
    for i, member in enumerate(members, start=1):
        if not isinstance(member, dict):
            raise ValidationError({"household_members": _("Household member %(i)d is not valid.") % {"i": i}})
        name = str(member.get("name", "")).strip()
        relation = str(member.get("relation", "")).strip()
        raw_year: Any = member.get("birth_year")
        if not name or not relation or len(name) > 32 or len(relation) > 16:
            raise ValidationError(
                {"household_members": _("Household member %(i)d needs a relation and a name.") % {"i": i}}
            )
        year: int | None = None
        if raw_year not in ("", None):
            try:
                year = int(str(raw_year).strip())
            except (TypeError, ValueError):
                year = -1
            if not 1900 <= year <= this_year:
                raise ValidationError(
                    {
                        "household_members": _(
                            "Household member %(i)d: the year of birth must lie between 1900 and %(year)d."
                        )
                        % {"i": i, "year": this_year}
                    }
                )
        clean.append({"relation": relation, "name": name, "birth_year": year})
    return clean


def _check_placement(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    origin: Region | None = data.get("origin_region")
    residence: Region | None = data.get("residence_region")
    unit: Organization | None = data.get("residence_unit")
    moved: dt.date | None = data.get("moved_in_on")
    if not str(data.get("name", "")).strip():
        errors["name"] = _("Enter the resident's name.")
    if origin is None:
        errors["origin_region"] = _("Choose the origin region (流出地).")
    elif origin.level not in ORIGIN_LEVELS:
        errors["origin_region"] = _("Choose the origin county, township or village, not a province or city.")
    if residence is None:
        errors["residence_region"] = _("Choose the community the resident lives in.")
    elif residence.level != Level.VILLAGE:
        errors["residence_region"] = _("The residence must be a community or village (a 12-digit division).")
    elif origin is not None and residence.code.startswith(origin.code):
        errors["origin_region"] = _(
            "The origin region contains the residence: this resident has not moved away."
        )
    if (
        unit is not None
        and residence is not None
        and (unit.kind not in COMMUNITY_KINDS or unit.region_id != residence.code)
    ):
        errors["residence_unit"] = _("The unit must be the community or village of the residence.")
    if moved is None:
        errors["moved_in_on"] = _("Enter the date the resident moved in.")
    elif moved > clock.today():
        errors["moved_in_on"] = _("The date of moving in cannot lie in the future.")
    elif moved < EARLIEST_MOVE:
        errors["moved_in_on"] = _("The date of moving in must be in 1950 or later.")
    if errors:
        raise ValidationError(errors)


def _covered_scopes(resident: Resident) -> set[str]:
    if resident.pk is None:
        return set()
    scopes: set[str] = set()
    for consent in resident.consents.filter(withdrawn_at__isnull=True):
        scopes.update(consent.scopes)
    return scopes


def _apply_sensitive(resident: Resident, data: dict[str, Any], covered: set[str]) -> list[str]:
    """Write the sensitive values sent in ``data``; each needs a consent covering it. Returns the changed names."""
    errors: dict[str, str] = {}
    changed: list[str] = []
    for name, scope in SENSITIVE_INPUT.items():
        if name not in data:
            continue
        value = data[name]
        empty = value in (None, "", [], ())
        if not empty and scope not in covered:
            errors[name] = _(
                "The resident's consent does not cover this (%(scope)s): record the consent first."
            ) % {"scope": ConsentScope(scope).label}
            continue
        try:
            if name == "id_number":
                changed += _set_id_number(resident, "" if empty else value)
            elif name == "phone":
                changed += _set_phone(resident, "" if empty else value)
            elif name == "household_members":
                members = _check_household(value)
                if members != resident.household_members:
                    resident.household_members = members
                    changed.append(name)
            elif name == "needs":
                needs = [str(n) for n in (value or [])]
                unknown = [n for n in needs if n not in Need.values]
                if unknown:
                    raise ValidationError(
                        {"needs": _("Unknown need: %(need)s.") % {"need": ", ".join(unknown)}}
                    )
                stored = f",{','.join(n for n in Need.values if n in needs)}," if needs else ""
                if stored != resident.needs:
                    resident.needs = stored
                    changed.append(name)
            elif name == "ethnic_group":
                group = value if isinstance(value, EthnicGroup) or value is None else None
                if value and group is None:
                    group = EthnicGroup.objects.filter(code=str(value)).first()
                    if group is None:
                        raise ValidationError(
                            {"ethnic_group": _("Unknown ethnic group code %(code)s.") % {"code": value}}
                        )
                if (group.pk if group else None) != resident.ethnic_group_id:
                    resident.ethnic_group = group
                    changed.append(name)
            else:
                text = str(value or "").strip()
                if text != getattr(resident, name):
                    setattr(resident, name, text)
                    changed.append(name)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[field if field != "__all__" else name] = messages[0]
    if errors:
        raise ValidationError(errors)
    return changed


def _set_id_number(resident: Resident, raw: str) -> list[str]:
    if not raw:
        if not resident.id_number_encrypted:
            return []
        resident.id_number_encrypted = resident.id_number_hash = resident.id_number_masked = ""
        return ["id_number"]
    try:
        number = validate_id_number(raw)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    digest = ENCRYPTED_FIELDS[0].hash_of(number)
    if digest == resident.id_number_hash:
        return []
    clash = Resident.objects.filter(id_number_hash=digest).exclude(pk=resident.pk).exists()
    if clash:
        raise ValidationError(
            {"id_number": _("A resident with this ID number is already registered; hand them over instead.")}
        )
    resident.id_number_encrypted = encrypt(number, context=ID_CONTEXT)
    resident.id_number_hash = digest
    resident.id_number_masked = mask_id_number(number)
    return ["id_number"]


def _set_phone(resident: Resident, raw: str) -> list[str]:
    phone = str(raw).strip().replace(" ", "")
    if not phone:
        if not resident.phone_encrypted:
            return []
        resident.phone_encrypted = resident.phone_masked = ""
        return ["phone"]
    try:
        phone_validator(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    if resident.phone_encrypted and decrypt(resident.phone_encrypted, context=PHONE_CONTEXT) == phone:
        return []
    resident.phone_encrypted = encrypt(phone, context=PHONE_CONTEXT)
    resident.phone_masked = mask_phone(phone)
    return ["phone"]


def _check_consent(consent: ConsentInput) -> None:
    errors: dict[str, str] = {}
    if not consent.scopes or any(s not in ConsentScope.values for s in consent.scopes):
        errors["scopes"] = _("Tick what the resident agreed to.")
    if consent.method not in ConsentMethod.values:
        errors["method"] = _("Say how the consent was given.")
    if consent.given_on is None:
        errors["given_on"] = _("Enter the date the consent was given.")
    elif consent.given_on > clock.today():
        errors["given_on"] = _("The date of the consent cannot lie in the future.")
    elif consent.given_on < dt.date(2000, 1, 1):
        errors["given_on"] = _("The date of the consent must be in 2000 or later.")
    if len(consent.note) > 200:
        errors["note"] = _("Keep the note under 200 characters.")
    if errors:
        raise ValidationError(errors)


def _log_fields(
    actor: Any, resident: Resident, fields: list[str], action: int = LogEntry.Action.UPDATE
) -> None:
    """Name the changed sensitive fields in the audit log, never their values."""
    # Named by the model's fields (the audit page shows their labels): the masked copy stands for the number.
    fields = [{"id_number": "id_number_masked", "phone": "phone_masked"}.get(f, f) for f in fields]
    if fields:
        LogEntry.objects.log_create(
            resident,
            force_log=True,
            action=action,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            changes={field: ["***", "***"] for field in fields},
        )


def _save(resident: Resident) -> None:
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError:
        resident.validate_constraints()
        raise


# --------------------------------------------------------------------------------------------------- writes


@transaction.atomic
def resident_register(*, actor: Any, data: dict[str, Any], consent: ConsentInput | None) -> Resident:
    """Register a resident in a community the actor acts for, with the consent recorded at the same time.

    ``data`` holds plain values (the ID number and phone in clear: they are encrypted here). Sensitive values not
    covered by ``consent`` are refused with a message on their field; nothing is saved.
    """
    _check_placement(data)
    resident = Resident(
        **{name: data.get(name) for name in PLAIN_FIELDS},
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    resident.name = str(resident.name).strip()
    if not acts_for(actor, residence_party(resident)):
        raise PermissionDenied(_("You may register residents only in communities you work for."))
    covered: set[str] = set()
    if consent is not None:
        _check_consent(consent)
        covered = set(consent.scopes)
    changed = _apply_sensitive(resident, data, covered)
    resident.full_clean()
    _save(resident)
    if consent is not None:
        Consent.objects.create(
            resident=resident,
            scopes=[s for s in ConsentScope.values if s in covered],
            method=consent.method,
            given_on=consent.given_on,
            note=consent.note,
            recorded_by=actor,
        )
    _log_fields(actor, resident, changed)
    return resident


@transaction.atomic
def resident_update(*, actor: Any, resident: Resident, data: dict[str, Any]) -> Resident:
    """Change a resident the actor manages; the residence itself changes only through a handover."""
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    if resident_access(user=actor, resident=locked) != Access.MANAGE:
        raise PermissionDenied(_("Only the residence community's staff may change this record."))
    merged = {name: getattr(locked, name) for name in PLAIN_FIELDS}
    merged.update({k: v for k, v in data.items() if k in ("name", "origin_region", "moved_in_on")})
    _check_placement(merged)
    locked.name = str(merged["name"]).strip()
    locked.origin_region = merged["origin_region"]
    locked.moved_in_on = merged["moved_in_on"]
    changed = _apply_sensitive(locked, data, _covered_scopes(locked))
    locked.full_clean()
    _save(locked)
    _log_fields(actor, locked, changed)
    return locked


@transaction.atomic
def consent_record(*, actor: Any, resident: Resident, consent: ConsentInput) -> Consent:
    """Record a (further) consent of the resident, given on paper, verbally or online."""
    if resident_access(user=actor, resident=resident) != Access.MANAGE:
        raise PermissionDenied(_("Only the residence community's staff may record consent."))
    _check_consent(consent)
    return Consent.objects.create(
        resident=resident,
        scopes=[s for s in ConsentScope.values if s in consent.scopes],
        method=consent.method,
        given_on=consent.given_on,
        note=consent.note,
        recorded_by=actor,
    )


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: Consent, withdrawn_on: dt.date, method: str) -> Consent:
    """Withdraw a consent and erase at once what only it covered; keep what the law requires (see
    :func:`kept_on_withdrawal`). The consent row records what was erased."""
    locked = Consent.objects.select_for_update().select_related("resident").get(pk=consent.pk)
    resident = Resident.objects.select_for_update().get(pk=locked.resident_id)
    if resident_access(user=actor, resident=resident) != Access.MANAGE:
        raise PermissionDenied(_("Only the residence community's staff may record a withdrawal."))
    errors: dict[str, str] = {}
    if not locked.in_force:
        errors["__all__"] = _("This consent was already withdrawn.")
    if method not in ConsentMethod.values:
        errors["method"] = _("Say how the consent was withdrawn.")
    if withdrawn_on is None or withdrawn_on > clock.today():
        errors["withdrawn_on"] = _("The date of the withdrawal cannot lie in the future.")
    elif withdrawn_on < locked.given_on:
        errors["withdrawn_on"] = _("The withdrawal cannot come before the consent.")
    if errors:
        raise ValidationError(errors)
    still_covered: set[str] = set()
    for other in resident.consents.filter(withdrawn_at__isnull=True).exclude(pk=locked.pk):
        still_covered.update(other.scopes)
    erased = [s for s in locked.scopes if s not in still_covered]
    blank: dict[str, Any] = {"ethnic_group": None, "household_members": []}
    changed: list[str] = []
    for scope in erased:
        for field in SCOPE_FIELDS[scope]:
            setattr(resident, field, blank.get(field, ""))
            changed.append(field)
    resident.save()
    locked.withdrawn_on = withdrawn_on
    locked.withdrawal_method = method
    locked.withdrawn_by = actor
    locked.withdrawn_at = clock.now()
    locked.erased = erased
    locked.save()
    _log_fields(actor, resident, [f for f in changed if not f.endswith(("_hash", "_encrypted"))])
    return locked


def resident_viewed(*, actor: Any, resident: Resident, access: Access) -> None:
    """Log that someone opened a resident's record (every view of a full record is logged)."""
    log_access(actor=actor, record=resident, purpose=f"view ({access.value})")


REVEALABLE = {"id_number": ("id_number_encrypted", ID_CONTEXT), "phone": ("phone_encrypted", PHONE_CONTEXT)}


def resident_reveal(*, actor: Any, resident: Resident, field: str, reason: str) -> str:
    """One protected number in full, for the residence side, with the reason logged."""
    if resident_access(user=actor, resident=resident) != Access.MANAGE:
        raise PermissionDenied(_("Only the residence community's staff may see this number in full."))
    reason = (reason or "").strip()
    if len(reason) < 2 or len(reason) > 200:
        raise ValidationError({"reason": _("Say why you need the full number (2 to 200 characters).")})
    column, context = REVEALABLE[field]
    token = getattr(resident, column)
    if not token:
        raise ValidationError({"reason": _("No such number is recorded.")})
    log_access(actor=actor, record=resident, purpose=reason, fields=(field,))
    return decrypt(token, context=context)


# ------------------------------------------------------------------------------------------------- handovers


@transaction.atomic
def handover_start(
    *, actor: Any, resident: Resident, to_region: Region | None, to_unit: Organization | None, reason: str
) -> Handover:
    """The resident moves on: propose the handover to the next community, which accepts or declines."""
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    if resident_access(user=actor, resident=locked) != Access.MANAGE:
        raise PermissionDenied(_("Only the residence community's staff may hand a resident over."))
    errors: dict[str, str] = {}
    if locked.status == ResidentStatus.MOVING:
        errors["__all__"] = _("A handover of this resident is already waiting for an answer.")
    if to_region is None or to_region.level != Level.VILLAGE:
        errors["to_region"] = _("Choose the receiving community or village (a 12-digit division).")
    elif to_region.code == locked.residence_region_id:
        errors["to_region"] = _("The resident already lives in this community.")
    elif to_region.code.startswith(locked.origin_region_id):
        errors["to_region"] = _(
            "The receiving community lies in the resident's origin region: a return home ends the registration."
        )
    if to_unit is not None and (to_region is None or to_unit.region_id != to_region.code):
        errors["to_region"] = _("The receiving unit must be the community of the chosen division.")
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        errors["reason"] = _("Say why the resident moves on (at most 200 characters).")
    if errors or to_region is None:
        raise ValidationError(errors)
    handover = Handover.objects.create(
        resident=locked,
        from_region_id=locked.residence_region_id,
        from_unit_id=locked.residence_unit_id,
        to_region=to_region,
        to_unit=to_unit,
        reason=reason,
        created_by=actor,
    )
    locked.status = ResidentStatus.MOVING
    locked.save(update_fields=["status", "updated_at"])
    return handover


def _decide(actor: Any, handover: Handover, *, receiving: bool) -> Handover:
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    party = (
        Party(region=locked.to_region_id, unit=locked.to_unit_id)
        if receiving
        else Party(region=locked.from_region_id, unit=locked.from_unit_id)
    )
    if not acts_for(actor, party):
        raise PermissionDenied(_("You do not act for this side of the handover."))
    if locked.status != HandoverStatus.PENDING:
        raise ValidationError(_("This handover was already decided."))
    return locked


@transaction.atomic
def handover_accept(*, actor: Any, handover: Handover) -> Handover:
    """The receiving community takes the resident over; the record moves, its history stays."""
    locked = _decide(actor, handover, receiving=True)
    resident = Resident.objects.select_for_update().get(pk=locked.resident_id)
    resident.residence_region_id = locked.to_region_id
    resident.residence_unit_id = locked.to_unit_id
    resident.status = ResidentStatus.ACTIVE
    resident.save()
    locked.status = HandoverStatus.ACCEPTED
    locked.decided_by, locked.decided_at = actor, clock.now()
    locked.save()
    return locked


@transaction.atomic
def handover_decline(*, actor: Any, handover: Handover, reason: str) -> Handover:
    locked = _decide(actor, handover, receiving=True)
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise ValidationError(
            {"decline_reason": _("Say why the handover is declined (at most 200 characters).")}
        )
    return _close(actor, locked, HandoverStatus.DECLINED, reason)


@transaction.atomic
def handover_cancel(*, actor: Any, handover: Handover) -> Handover:
    locked = _decide(actor, handover, receiving=False)
    return _close(actor, locked, HandoverStatus.CANCELLED, "")


def _close(actor: Any, handover: Handover, status: str, reason: str) -> Handover:
    Resident.objects.filter(pk=handover.resident_id).update(status=ResidentStatus.ACTIVE)
    handover.status = status
    handover.decline_reason = reason
    handover.decided_by, handover.decided_at = actor, clock.now()
    handover.save()
    return handover
