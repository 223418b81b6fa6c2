"""Embedding measurement from composition data (residents by ethnic group per community: the ``population``
element entered by ethnic group): each community's diversity and the 互嵌式社区 rule's verdict, the mixing indices
of each township and county, the Theil decomposition (between townships / within them), and the change between
two periods."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from shiliu.analytics import classify, mixing
from shiliu.regions.models import EthnicGroup, Region

from .compute import POPULATION_ELEMENT
from .models import DataValue, EmbeddedRuleSetting

CONDITION_LABELS = {
    "population": "population",
    "groups_at_min_share": "groups_at_min_share",
    "evenness": "evenness",
    "largest_share": "largest_share",
}


def current_rule() -> tuple[EmbeddedRuleSetting, classify.EmbeddedRule]:
    setting = EmbeddedRuleSetting.objects.first() or EmbeddedRuleSetting()
    rule = classify.EmbeddedRule(
        min_groups=setting.min_groups,
        min_group_share=setting.min_group_share,
        min_evenness=setting.min_evenness,
        max_largest_share=setting.max_largest_share,
        min_population=setting.min_population,
    )
    return setting, rule


@dataclass
class Composition:
    units: list[str]
    names: list[str]
    groups: list[str]
    group_names: list[str]
    counts: np.ndarray


def composition(prefix: str, period: str) -> Composition:
    rows = DataValue.objects.filter(
        element__code=POPULATION_ELEMENT,
        region__code__startswith=prefix,
        period=period,
        ethnic_group__isnull=False,
    ).values_list("region_id", "ethnic_group_id", "value")
    cells: dict[tuple[str, str], float] = defaultdict(float)
    for region, group, value in rows:
        if len(region) == 12:
            cells[(region, group)] += value
    units = sorted({r for r, _g in cells})
    groups = sorted({g for _r, g in cells})
    counts = np.zeros((len(units), len(groups)))
    ui = {u: i for i, u in enumerate(units)}
    gi = {g: j for j, g in enumerate(groups)}
    for (r, g), v in cells.items():
        counts[ui[r], gi[g]] = v
    names = dict(Region.objects.filter(code__in=units).values_list("code", "name"))
    gnames = dict(EthnicGroup.objects.filter(code__in=groups).values_list("code", "name"))
    return Composition(
        units, [names.get(u, u) for u in units], groups, [gnames.get(g, g) for g in groups], counts
    )


def _f(v: Any) -> float | None:
    v = float(v)
    return None if np.isnan(v) else v


def measure(prefix: str, period: str) -> dict[str, Any]:
    comp = composition(prefix, period)
    if not comp.units:
        return {"communities": [], "areas": [], "decomposition": None, "groups": []}
    setting, rule = current_rule()
    diversity = mixing.unit_diversity(comp.counts)
    verdicts = classify.classify(comp.counts, rule)
    communities = []
    for i, code in enumerate(comp.units):
        v = verdicts[i]
        communities.append(
            {
                "code": code,
                "name": comp.names[i],
                "population": int(comp.counts[i].sum()),
                "simpson": _f(diversity["simpson"][i]),
                "evenness": _f(diversity["evenness"][i]),
                "largest_share": _f(diversity["largest_share"][i]),
                "groups": int(diversity["groups_present"][i]),
                "embedded": v.embedded,
                "conditions": [
                    {"key": k, "passed": ok, "value": v.values[k]} for k, ok in v.conditions.items()
                ],
            }
        )
    townships = np.array([c[:9] for c in comp.units])
    counties = np.array([c[:6] for c in comp.units])
    levels = mixing.hierarchy(comp.counts, {"township": townships, "county": counties})
    area_codes = [str(a) for lvl in levels.values() for a in lvl["area"]]
    area_names = dict(Region.objects.filter(code__in=area_codes).values_list("code", "name"))
    areas = []
    for level, result in levels.items():
        for k, area in enumerate(result["area"]):
            areas.append(
                {
                    "level": level,
                    "code": str(area),
                    "name": area_names.get(str(area), str(area)),
                    "population": int(result["population"][k]),
                    "groups": int(result["groups_present"][k]),
                    "dissimilarity": _f(result["dissimilarity"][k]),
                    "information_theory": _f(result["information_theory"][k]),
                    "diversity": _f(result["diversity"][k]),
                    "normalized_exposure": _f(result["normalized_exposure"][k]),
                }
            )
    decomposition = None
    if len(set(townships)) > 1:
        d = mixing.theil_decomposition(comp.counts, townships)
        decomposition = {k: _f(v) for k, v in d.items()}
        total = decomposition["M_total"] or 0.0
        decomposition["between_share"] = (decomposition["M_between"] or 0.0) / total if total > 0 else None
    return {
        "communities": communities,
        "areas": areas,
        "decomposition": decomposition,
        "groups": comp.group_names,
        "rule": setting,
    }


def change(prefix: str, before: str, after: str) -> list[dict[str, Any]]:
    """Per community: diversity (Simpson) and verdict in both periods, and the change."""
    a, b = measure(prefix, before), measure(prefix, after)
    old = {c["code"]: c for c in a["communities"]}
    rows = []
    for c in b["communities"]:
        o = old.get(c["code"])
        if o is None:
            continue
        delta = None if c["simpson"] is None or o["simpson"] is None else c["simpson"] - o["simpson"]
        rows.append(
            {
                "code": c["code"],
                "name": c["name"],
                "before": o["simpson"],
                "after": c["simpson"],
                "delta": delta,
                "was_embedded": o["embedded"],
                "embedded": c["embedded"],
            }
        )
    rows.sort(key=lambda r: -(r["delta"] or 0))
    return rows
