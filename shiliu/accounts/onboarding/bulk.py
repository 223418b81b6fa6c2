"""Coordinators invited from a list: pasted lines or an Excel sheet of unit, name and phone or e-mail.

All or nothing: every line is checked first (the unit inside the inviter's jurisdiction, the address new and not
invited yet, no address twice); one bad line and nobody is invited, and each problem is named with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shiliu.jurisdiction.roles import Role
from shiliu.jurisdiction.scope import scope_for
from shiliu.lib import spreadsheets
from shiliu.orgs.models import Organization

from ..models import Invitation
from . import services

HEADERS = ("单位", "姓名", "手机号或邮箱")
MAX_LINES = 500
_SPLIT = re.compile(r"\s*[,，\t;；]\s*")


@dataclass
class Line:
    number: int
    unit: str
    name: str
    address: str


@dataclass
class LineProblem:
    number: int
    message: str


def lines_from_text(text: str) -> list[Line]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [*_SPLIT.split(raw.strip()), "", ""]
        lines.append(Line(number, parts[0], parts[1], parts[2]))
    return lines


def lines_from_workbook(upload: Any) -> list[Line]:
    """The rows of the first sheet below its header row (单位, 姓名, 手机号或邮箱)."""
    from openpyxl import load_workbook

    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        raise ValidationError(
            {"file": _("Upload the Excel template as an .xlsx file; this file is not one.")}
        )
    try:
        spreadsheets.check_archive(upload)
        wb = load_workbook(upload, read_only=True, data_only=True)
    except spreadsheets.UnsafeWorkbook as exc:
        raise ValidationError({"file": str(exc)}) from exc
    except Exception as exc:  # openpyxl raises many kinds on foreign files
        raise ValidationError(
            {"file": _("The file could not be read as an Excel workbook (.xlsx).")}
        ) from exc
    ws = wb.worksheets[0]
    ws.reset_dimensions()
    lines = []
    for number, values in enumerate(ws.iter_rows(max_col=3, values_only=True), start=1):
        if number == 1:
            continue
        if number > MAX_LINES + 1:
            raise ValidationError(
                {"file": _("Invite at most %(max)d people at a time.") % {"max": MAX_LINES}}
            )
        cells = ["" if v is None else str(v).strip() for v in (*values, None, None, None)[:3]]
        if any(cells):
            lines.append(Line(number, *cells))
    return lines


def check_lines(
    *, actor: Any, lines: list[Line]
) -> tuple[list[tuple[Line, Organization, str]], list[LineProblem]]:
    """The lines ready to invite (with their unit and normalised address) and every problem, by line."""
    problems: list[LineProblem] = []
    ready: list[tuple[Line, Organization, str]] = []
    if not lines:
        problems.append(LineProblem(0, _("The list is empty.")))
    if len(lines) > MAX_LINES:
        problems.append(LineProblem(0, _("Invite at most %(max)d people at a time.") % {"max": MAX_LINES}))
        return ready, problems
    units = Organization.objects.visible_to(actor).filter(
        name__in={line.unit for line in lines}, is_active=True
    )
    by_name: dict[str, list[Organization]] = {}
    for unit in units.select_related("region"):
        by_name.setdefault(unit.name, []).append(unit)
    seen: dict[str, int] = {}
    pending = set(
        Invitation.objects.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).values_list("address", flat=True)
    )
    for line in lines:
        found = by_name.get(line.unit, [])
        if not line.unit:
            problems.append(LineProblem(line.number, _("The unit is missing.")))
            continue
        if not found:
            problems.append(
                LineProblem(
                    line.number,
                    _("No unit named “%(name)s” is registered in your jurisdiction.") % {"name": line.unit},
                )
            )
            continue
        if len(found) > 1:
            problems.append(
                LineProblem(
                    line.number,
                    _("Several units are named “%(name)s”; invite this person from the form.")
                    % {"name": line.unit},
                )
            )
            continue
        try:
            address, _channel = services.normalise_address(line.address)
        except ValidationError as exc:
            problems.append(LineProblem(line.number, " ".join(exc.messages)))
            continue
        if address in seen:
            problems.append(
                LineProblem(line.number, _("The same address as line %(line)d.") % {"line": seen[address]})
            )
            continue
        seen[address] = line.number
        if services.address_registered(address):
            problems.append(
                LineProblem(line.number, _("%(address)s already has an account.") % {"address": address})
            )
            continue
        if address in pending:
            problems.append(
                LineProblem(
                    line.number,
                    _("%(address)s already has a pending invitation; send it again instead.")
                    % {"address": address},
                )
            )
            continue
        ready.append((line, found[0], address))
    return ready, problems


@transaction.atomic
def coordinators_invite(*, actor: Any, lines: list[Line], link_base: str) -> list[Invitation]:
    """Invite every line's person as coordinator of its unit, or nobody (ValidationError naming each bad line)."""
    if not scope_for(actor).is_staff:
        raise PermissionDenied(_("Only commission staff invite coordinators."))
    ready, problems = check_lines(actor=actor, lines=lines)
    if problems:
        raise ValidationError(
            [
                (_("Line %(line)d: %(message)s") % {"line": p.number, "message": p.message})
                if p.number
                else p.message
                for p in problems
            ]
        )
    return [
        services.invitation_create(
            actor=actor,
            address=address,
            role=Role.UNIT_COORDINATOR,
            organization=unit,
            display_name=line.name,
            link_base=link_base,
        )
        for line, unit, address in ready
    ]
