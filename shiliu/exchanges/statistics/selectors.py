"""The exchange statistics of a region and period.

The figures come from the analytics tables (:mod:`shiliu.exchanges.statistics.facts`), refreshed after each
change. Counting rules: only confirmed activities; each activity counts once in a region's totals even when both parties
lie in the region; by role, it counts once as sending for the sending side and once as receiving for the receiving
side. Counts of people are exact for a viewer inside the owning party of every activity behind them; anyone else
gets them through the jurisdiction layer's small-cell suppression ("<5", and "×" for the complementary cells that
keep a "<5" from being worked out of a total): the statistics page, its export and the API all read the figures
built here. Pen-pals and tour groups of the region are added beside the ledger's figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum

from shiliu.exchanges.statistics import facts
from shiliu.jurisdiction.scope import require_region_in_scope, under
from shiliu.jurisdiction.suppression import Mark, Shown, shown_list
from shiliu.lib.names import localized
from shiliu.regions.models import EthnicGroup, Region


@dataclass
class Stats:
    """A region's ledger figures as the viewer may see them: counts of people are :class:`Shown` cells."""

    batches: int = 0
    person_times: Shown = field(default_factory=lambda: Shown(0))
    by_role: dict[str, tuple[int, Shown]] = field(default_factory=dict)  # role → (batches, person-times)
    by_plan: list[tuple[str, str, int, Shown]] = field(default_factory=list)  # (key, label, batches, people)
    by_type: list[tuple[int, str, int, Shown]] = field(default_factory=list)
    by_category: list[tuple[str, str, Shown]] = field(default_factory=list)
    by_ethnic_group: list[tuple[str, str, Shown]] = field(default_factory=list)  # (code, name, people)
    top_partners: list[tuple[str, str, int]] = field(default_factory=list)
    exact: bool = True  # the viewer owns every activity behind the figures

    @property
    def suppressed(self) -> bool:
        people = [self.person_times, *(r[3] for r in self.by_plan), *(r[3] for r in self.by_type)]
        people += [r[2] for r in self.by_category] + [r[2] for r in self.by_ethnic_group]
        people += [n for _b, n in self.by_role.values()]
        return any(cell.hidden for cell in people)


def activity_stats(
    *,
    user: Any,
    region: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    partner_level: int = 6,
    partner_within: str = "",
) -> Stats:
    from shiliu.exchanges.ledger.models import ActivityType, Category, Plan

    require_region_in_scope(user, region)
    figures = facts.region_figures(region=region, date_from=date_from, date_to=date_to)
    total = figures.person_times
    exact = facts.viewer_owns(user=user, region=region, date_from=date_from, date_to=date_to)
    stats = Stats(batches=figures.batches, exact=exact)
    roles = [(role, *figures.by_role[role]) for role in ("sending", "receiving")]
    plans = [(value, str(label), *figures.by_plan[value]) for value, label in Plan.choices]
    type_names = {
        pk: localized(name, name_en)
        for pk, name, name_en in ActivityType.objects.values_list("pk", "name", "name_en")
    }
    types = [
        (pk, type_names.get(pk, str(pk)), n, people)
        for pk, (n, people) in sorted(figures.by_type.items(), key=lambda item: (-item[1][0], item[0]))
    ]
    labels = dict(Category.choices)
    categories = [
        (c, str(labels.get(c, c)), n)
        for c, n in sorted(figures.by_category.items(), key=lambda item: (-item[1], item[0]))
    ]
    names = {
        code: localized(name, romanized)
        for code, name, romanized in EthnicGroup.objects.values_list("code", "name", "romanized")
    }
    groups = [
        (code, names.get(code, code), n)
        for code, n in sorted(figures.by_ethnic_group.items(), key=lambda item: (-item[1], item[0]))
    ]
    # One suppression for every breakdown of the region's person-times. The lists that add up to the total share
    # it: when one of them must hide it, all of them (and the headline figure) are built again with it hidden.
    role_cells, _none = shown_list(
        [r[2] for r in roles], exact=exact
    )  # overlapping: no published sum ties them
    stats.by_role = {role: (n, cell) for (role, n, _p), cell in zip(roles, role_cells, strict=True)}
    plan_people = [p[3] for p in plans]
    plan_total = total if sum(plan_people) == total else None  # plans overlap when an activity has several
    hide_total = False
    while True:
        type_cells, type_total = shown_list(
            [t[3] for t in types], total=total, exact=exact, hide_total=hide_total
        )
        cat_cells, cat_total = shown_list(
            [c[2] for c in categories], total=total, exact=exact, hide_total=hide_total
        )
        group_cells, group_total = shown_list(
            [g[2] for g in groups], total=total, exact=exact, hide_total=hide_total
        )
        plan_cells, plan_sum = shown_list(plan_people, total=plan_total, exact=exact, hide_total=hide_total)
        totals = [type_total, cat_total, group_total] + ([plan_sum] if plan_total is not None else [])
        if hide_total or not any(t.hidden for t in totals):
            break
        hide_total = True
    stats.person_times = next((t for t in totals if t.hidden), type_total)
    stats.by_plan = [(k, label, n, cell) for (k, label, n, _p), cell in zip(plans, plan_cells, strict=True)]
    stats.by_type = [(k, name, n, cell) for (k, name, n, _p), cell in zip(types, type_cells, strict=True)]
    # A withheld breakdown is left out: even its rows would say which groups took part.
    stats.by_category = [
        (k, label, cell)
        for (k, label, _n), cell in zip(categories, cat_cells, strict=True)
        if cell.mark != Mark.WITHHELD
    ]
    stats.by_ethnic_group = [
        (k, name, cell)
        for (k, name, _n), cell in zip(groups, group_cells, strict=True)
        if cell.mark != Mark.WITHHELD
    ]
    stats.top_partners = partner_regions(figures.partners, level=partner_level, within=partner_within)
    return stats


PARTNER_LEVELS = (2, 4, 6)  # province, prefecture, county: the levels partner regions roll up to


def partner_regions(
    partners: dict[str, tuple[int, int]], *, level: int = 6, within: str = "", limit: int = 10
) -> list[tuple[str, str, int]]:
    """(code, name, batches) of the regions the region exchanged with (``partners``: county-level code →
    (batches, person-times), as the analytics tables keep them), rolled up to one level (a township's activities
    count for its county, so 新源县 is not listed beside 那拉提镇), most batches first.

    ``within`` expands one partner: its divisions one level down (a province into its prefectures …)."""
    if within:
        level = next((n for n in PARTNER_LEVELS if n > len(within)), len(within))
    counts: dict[str, int] = {}
    for other, (batches, _people) in partners.items():
        if within and not other.startswith(within):
            continue
        key = other[:level] if len(other) > level else other
        counts[key] = counts.get(key, 0) + batches
    names = dict(Region.objects.filter(code__in=counts).values_list("code", "name"))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(code, names.get(code, code), n) for code, n in ranked]


def youth_and_tourism_stats(
    *, user: Any, region: str, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict[str, int]:
    """Pen-pals and tour groups of a region in a period, beside the ledger's figures.

    Pen-pal figures count programmes with a school in the region, their pairs active now, and letters sent in the
    period; tour groups count those leaving from and arriving in the region (started in the period).
    """
    from shiliu.exchanges.tourism.models import TourGroup
    from shiliu.exchanges.youth.models import LetterLog, PenPalMatch
    from shiliu.exchanges.youth.selectors import programmes_visible

    require_region_in_scope(user, region)
    programmes = programmes_visible(user).in_region(region)
    letters = LetterLog.objects.filter(match__programme__in=programmes)
    groups = TourGroup.objects.visible_to(user)
    if date_from:
        letters = letters.filter(sent_on__gte=date_from)
        groups = groups.filter(start_date__gte=date_from)
    if date_to:
        letters = letters.filter(sent_on__lte=date_to)
        groups = groups.filter(start_date__lte=date_to)
    outbound = groups.filter(under("origin_region", region)).aggregate(n=Count("pk"), people=Sum("size"))
    inbound = groups.filter(under("destination_region", region)).aggregate(n=Count("pk"), people=Sum("size"))
    return {
        "programmes": programmes.count(),
        "pairs": PenPalMatch.objects.filter(programme__in=programmes, ended_on__isnull=True).count(),
        "letters": letters.aggregate(n=Sum("count"))["n"] or 0,
        "groups_out": outbound["n"],
        "visitors_out": outbound["people"] or 0,
        "groups_in": inbound["n"],
        "visitors_in": inbound["people"] or 0,
    }
