"""Demo indicators: three quarters (2026Q1–Q3) of values for the demo communities and villages of 新源县 and 扬州市,
population by ethnic group included; the derived values refreshed from the demo activities, pairings and residents;
Q1–Q2 of 新源县 approved by 伊犁州 (a login added here: the level above 新源) and locked, Q3 submitted and waiting; one
approved 八共八有 evaluation of 新源县; two demonstration communities and one model collective."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from shiliu.accounts.models import User
from shiliu.jurisdiction.roles import Role
from shiliu.lib import clock
from shiliu.orgs.models import Organization, UnitKind
from shiliu.regions.models import Region

from . import catalogue, services
from .models import (
    DataElement,
    DataValue,
    DemonstrationSite,
    EvaluationRun,
    IndicatorSystem,
    PeriodReturn,
    Recognition,
    ReturnEvent,
    ReturnStatus,
    SiteKind,
)

QUARTERS = ("2026Q1", "2026Q2", "2026Q3")
# (group code, mean share) of the communities' residents: 新源县 is mostly Kazakh with Han, Uyghur and Hui neighbours;
# 扬州's communities are mostly Han with a few residents from Xinjiang.
MIX = {
    "654025": [("17", 0.55), ("01", 0.30), ("05", 0.08), ("03", 0.07)],
    "3210": [("01", 0.95), ("03", 0.02), ("17", 0.015), ("05", 0.015)],
}


def clear() -> None:
    Recognition.objects.filter(is_demo=True).delete()
    DemonstrationSite.objects.filter(is_demo=True).delete()
    EvaluationRun.objects.filter(is_demo=True).delete()
    DataValue.objects.filter(is_demo=True).delete()
    for prefix in MIX:
        ReturnEvent.objects.filter(
            period_return__region__code__startswith=prefix, period_return__period__in=QUARTERS
        ).delete()
        PeriodReturn.objects.filter(region__code__startswith=prefix, period__in=QUARTERS).delete()


def _communities(prefix: str) -> list[Region]:
    codes = Organization.objects.filter(
        region__code__startswith=prefix, kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE), is_demo=True
    ).values_list("region_id", flat=True)
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def _values(
    rng: random.Random, prefix: str, community: Region, actor: Any, elements: dict[str, DataElement]
) -> list[DataValue]:
    out = []
    size = rng.randint(1500, 6000)
    # Some communities lean much more to the majority group than the mean mix (they will not be embedded).
    lean = rng.random() < 0.4
    mix = [(g, s * (0.03 if lean and i > 0 else 1.0)) for i, (g, s) in enumerate(MIX[prefix])]
    total = sum(s for _g, s in mix)
    base = {
        "households": size / 3.1,
        "households_mixed": size / 3.1 * rng.uniform(0.05, 0.45),
        "shared_facilities": rng.randint(2, 12),
        "service_stations": rng.randint(0, 3),
        "publicity_sessions": rng.randint(2, 20),
        "mandarin_trainees": rng.randint(0, 300),
        "joint_festivals": rng.randint(1, 8),
        "employment_assisted": rng.randint(0, 60),
        "income_growth": rng.uniform(3, 9),
        "volunteers": rng.randint(10, 200),
        "disputes": rng.randint(3, 30),
        "satisfaction": rng.uniform(78, 96),
    }
    resolution = rng.uniform(0.7, 0.98)
    for q, period in enumerate(QUARTERS):
        growth = 1 + 0.01 * q
        for g, s in mix:
            n = round(size * growth * s / total * rng.uniform(0.9, 1.1))
            if n > 0:
                out.append(
                    DataValue(
                        element=elements["population"],
                        region=community,
                        period=period,
                        ethnic_group_id=g,
                        value=n,
                        source="社区人口台账（演示）",
                        entered_by=actor,
                        is_demo=True,
                    )
                )
        for code, v in base.items():
            value = v * growth * rng.uniform(0.92, 1.08)
            if elements[code].value_type == "integer":
                value = round(value)
            out.append(
                DataValue(
                    element=elements[code],
                    region=community,
                    period=period,
                    value=value,
                    source="社区工作台账（演示）",
                    entered_by=actor,
                    is_demo=True,
                )
            )
        disputes = next(d for d in out[::-1] if d.element.code == "disputes" and d.period == period).value
        out.append(
            DataValue(
                element=elements["disputes_resolved"],
                region=community,
                period=period,
                value=min(disputes, round(disputes * resolution)),
                source="社区调解台账（演示）",
                entered_by=actor,
                is_demo=True,
            )
        )
    return out


def build(builder: Any) -> None:
    catalogue.load(django_apps)
    xinyuan = User.objects.filter(username="xinyuan").first()
    yangzhou = User.objects.filter(username="yangzhou").first()
    yili_region = Region.objects.filter(code="6540").first()
    if xinyuan is None or yangzhou is None or yili_region is None:
        return
    builder.user("yili", Role.COMMISSION_STAFF, yili_region, name="伊犁哈萨克自治州民宗委工作人员")
    yili = User.objects.get(username="yili")
    rng = random.Random(16)  # noqa: S311 - demo data
    elements = {e.code: e for e in DataElement.objects.all()}
    rows: list[DataValue] = []
    communities = {prefix: _communities(prefix) for prefix in MIX}
    for prefix, actor in (("654025", xinyuan), ("3210", yangzhou)):
        for community in communities[prefix]:
            rows.extend(_values(rng, prefix, community, actor, elements))
    DataValue.objects.bulk_create(rows, batch_size=500)
    for prefix in MIX:
        for period in QUARTERS:
            services.derive_values(region_code=prefix, period=period)
    DataValue.objects.filter(derived=True, region__code__startswith="654025").update(is_demo=True)
    DataValue.objects.filter(derived=True, region__code__startswith="3210").update(is_demo=True)
    now = clock.now()
    for prefix, submitter, approver in (("654025", xinyuan, yili), ("3210", yangzhou, None)):
        for period in QUARTERS:
            for community in communities[prefix]:
                ret = PeriodReturn.objects.create(region=community, period=period)
                if approver is None:
                    continue
                if period == QUARTERS[-1]:
                    ret.status, ret.submitted_by, ret.submitted_at = ReturnStatus.SUBMITTED, submitter, now
                else:
                    ret.status, ret.submitted_by, ret.submitted_at = ReturnStatus.ACCEPTED, submitter, now
                    ret.approved_by, ret.approved_at, ret.accepted_at = approver, now, now
                ret.save()
                ReturnEvent.objects.create(period_return=ret, action="submit", actor=submitter)
                if ret.status == ReturnStatus.ACCEPTED:
                    ReturnEvent.objects.create(period_return=ret, action="approve", actor=approver)
                    ReturnEvent.objects.create(period_return=ret, action="accept", actor=approver)
    system = IndicatorSystem.objects.get(code="bagong_bayou")
    county = Region.objects.get(code="654025")
    try:
        run: EvaluationRun | None = services.run_create(
            actor=xinyuan, system=system, region=county, period="2026Q2"
        )
    except ValidationError:  # fewer than two communities loaded (a partial division set, as in tests): no run
        run = None
    if run is not None:
        services.run_approve(actor=yili, run=run)
        EvaluationRun.objects.filter(pk=run.pk).update(is_demo=True)
    ranked = (
        sorted(range(len(run.snapshot["units"])), key=lambda i: run.results["ranks"][i] or 99) if run else []
    )
    for i in ranked[:2]:
        assert run is not None  # noqa: S101 - for the type checker: ranked is empty without a run
        unit = run.snapshot["units"][i]
        site = services.site_designate(
            actor=yili,
            data={
                "kind": SiteKind.COMMUNITY,
                "name": f"{unit['name']}民族团结进步示范社区",
                "region": Region.objects.get(code=unit["code"]),
                "designated_on": dt.date(2026, 7, 15),
                "run": run,
                "review_years": 3,
                "is_public": True,
            },
        )
        DemonstrationSite.objects.filter(pk=site.pk).update(is_demo=True)
    rec = services.recognition_create(
        actor=yili,
        data={
            "kind": "collective",
            "name": "新源县那拉提镇各族群众互助服务队",
            "region": Region.objects.get(code="654025"),
            "citation": "多年组织各族群众结对互助、共庆节日，调解邻里纠纷，促进各族群众交往交流交融。",
            "awarded_on": dt.date(2026, 9, 20),
            "is_public": True,
        },
    )
    Recognition.objects.filter(pk=rec.pk).update(is_demo=True)
