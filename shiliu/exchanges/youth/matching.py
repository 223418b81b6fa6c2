"""Pen-pal matching: minimise a cost over grade, age and shared interests with the assignment solver used for
pairing proposals — 1:1 when the classes are the same size, otherwise each pupil of the smaller class may take two
partners (1:2). Pupils who lost their partner are matched first, being the only unmatched pupils of their class."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from shiliu.analytics.assignment import assign
from shiliu.exchanges.youth.models import (
    PenPalMatch,
    PenPalProgramme,
    PenPalStudent,
    StudentStatus,
)
from shiliu.exchanges.youth.selectors import programme_sides
from shiliu.lib import clock

UNMATCHED_COST = 1_000.0  # the "no partner this time" column: taken only when no real partner is possible
MAX_AGE_GAP = 3


# --- matching --------------------------------------------------------------------------------------------------


def pair_cost(a: PenPalStudent, b: PenPalStudent) -> float:
    """Lower is better: grade gap counts most, then age gap, then how few interests they share."""
    if abs(a.age - b.age) > MAX_AGE_GAP:
        return float("inf")
    ia, ib = a.interest_set, b.interest_set
    shared = len(ia & ib) / len(ia | ib) if ia | ib else 0.0
    return 2.0 * abs(a.grade - b.grade) + 1.0 * abs(a.age - b.age) + 3.0 * (1.0 - shared)


@dataclass
class MatchResult:
    created: list[PenPalMatch] = field(default_factory=list)
    unmatched: list[PenPalStudent] = field(default_factory=list)
    without_consent: list[PenPalStudent] = field(default_factory=list)
    ratio: str = "1:1"
    reasons: list[str] = field(default_factory=list)  # why no pair (or no more pairs) could be made


def _load(student: PenPalStudent, current: dict[int, int]) -> int:
    return current.get(student.pk, 0)


@transaction.atomic
def match_run(*, actor: Any, programme: PenPalProgramme) -> MatchResult:
    """Match every consenting, unmatched pupil; existing matches stay as they are."""
    if not programme_sides(actor, programme):
        raise PermissionDenied(_("Only the two schools, or the commission over them, may match pen-pals."))
    programme = PenPalProgramme.objects.select_for_update().get(pk=programme.pk)
    students = list(programme.students.filter(status=StudentStatus.ACTIVE))
    result = MatchResult(without_consent=[s for s in students if not s.has_consent])
    ready = [s for s in students if s.has_consent]
    by_side = {side: [s for s in ready if s.side == side] for side in "ab"}
    current: dict[int, int] = {}
    for match in PenPalMatch.objects.filter(programme=programme, ended_on__isnull=True):
        current[match.student_a_id] = current.get(match.student_a_id, 0) + 1
        current[match.student_b_id] = current.get(match.student_b_id, 0) + 1
    big, small = ("a", "b") if len(by_side["a"]) >= len(by_side["b"]) else ("b", "a")
    per_small = 1 if len(by_side[big]) <= len(by_side[small]) else 2
    result.ratio = "1:1" if per_small == 1 else "1:2"
    rows = [s for s in by_side[big] if _load(s, current) == 0]
    columns = [s for s in by_side[small] if _load(s, current) < per_small]
    if rows and columns:
        cost = np.full((len(rows), len(columns) + 1), np.inf)
        for i, r in enumerate(rows):
            for j, c in enumerate(columns):
                cost[i, j] = pair_cost(r, c)
            cost[i, -1] = UNMATCHED_COST
        capacity = [per_small - _load(c, current) for c in columns] + [len(rows)]
        solution = assign(cost, capacity=capacity)
        now = clock.now()
        for i, j in solution.pairs:
            if j == len(columns):
                continue
            a, b = (rows[i], columns[j]) if big == "a" else (columns[j], rows[i])
            result.created.append(
                PenPalMatch.objects.create(programme=programme, student_a=a, student_b=b, created_at=now)
            )
            current[rows[i].pk] = current.get(rows[i].pk, 0) + 1
            current[columns[j].pk] = current.get(columns[j].pk, 0) + 1
    result.unmatched = [s for s in ready if _load(s, current) == 0]
    if not result.created:
        result.reasons = _reasons(programme, by_side, rows, columns, per_small, result)
    return result


def _codes(students: list[PenPalStudent], limit: int = 12) -> str:
    codes = [s.code for s in students]
    return "、".join(codes[:limit]) + ("…" if len(codes) > limit else "")


def _reasons(
    programme: PenPalProgramme,
    by_side: dict[str, list[PenPalStudent]],
    rows: list[PenPalStudent],
    columns: list[PenPalStudent],
    per_small: int,
    result: MatchResult,
) -> list[str]:
    """Why a run made no pair, in the words a teacher acts on: whose consent is missing, which class is full."""

    def name(side: str) -> str:
        return f"{programme.school(side).name} · {getattr(programme, f'class_{side}')}"

    reasons = []
    for side in "ab":
        if not by_side[side]:
            reasons.append(_("%(class)s has no pupil with a guardian's consent yet.") % {"class": name(side)})
    if by_side["a"] and by_side["b"]:
        if not rows and not columns:
            reasons.append(_("Every pupil with consent already has a partner."))
        elif not columns:
            side = "b" if len(by_side["a"]) >= len(by_side["b"]) else "a"  # the smaller class takes partners
            reasons.append(
                _("The partner class %(class)s is full: each of its pupils already has %(n)d partner(s).")
                % {"class": name(side), "n": per_small}
            )
        elif not rows:
            reasons.append(_("Every pupil with consent already has a partner."))
        else:
            reasons.append(
                _("The pupils still without a partner (%(codes)s) differ in age by more than %(gap)d years.")
                % {"codes": _codes(rows + columns), "gap": MAX_AGE_GAP}
            )
    if result.without_consent:
        reasons.append(
            _("Pupils %(codes)s lack a guardian's consent: record it on the class list, then match again.")
            % {"codes": _codes(result.without_consent)}
        )
    return reasons
