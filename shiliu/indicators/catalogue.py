"""The shipped definitions: data elements, formula indicators, and two systems — 八共八有 (Guangxi's eight
dimensions 共居、共富、共学、共建、共享、共事、共乐、共维) and the four-dimension embedding frame (空间/关系/文化/心理互嵌).

The dimension names are the published ones; the indicators under them are a starting set built from what a
community can report or Shiliu can derive (the published systems' full indicator lists — 53 second-level
indicators for 八共八有 — are not in the sources available here). Experts edit indicators and weights on the pages.
Loaded by a data migration through :func:`load` with the migration's historical models.
"""

from __future__ import annotations

from typing import Any

# code, name, value type, unit, by ethnic group, required, min, max, jump limit, derivation source
ELEMENTS: list[tuple[str, str, str, str, bool, bool, float | None, float | None, float | None, str]] = [
    ("population", "常住人口（分民族）", "integer", "人", True, True, 0, 200000, 0.3, ""),
    ("households", "总户数", "integer", "户", False, True, 0, 80000, 0.3, ""),
    ("households_mixed", "多民族混合居住户数", "integer", "户", False, False, 0, 80000, 0.5, ""),
    ("shared_facilities", "共享公共服务设施数", "integer", "处", False, False, 0, 500, None, ""),
    ("service_stations", "民族工作服务站（点）数", "integer", "个", False, False, 0, 50, None, ""),
    ("publicity_sessions", "宣讲教育活动场次", "integer", "场", False, False, 0, 1000, 1.0, ""),
    ("mandarin_trainees", "国家通用语言文字培训人次", "integer", "人次", False, False, 0, 100000, 1.0, ""),
    ("joint_festivals", "各族群众共庆节日活动次数", "integer", "次", False, False, 0, 500, 1.0, ""),
    ("employment_assisted", "帮扶就业人数", "integer", "人", False, False, 0, 100000, 1.0, ""),
    ("income_growth", "居民人均可支配收入增长率", "percent", "%", False, False, -50, 100, None, ""),
    ("volunteers", "各族志愿者人数", "integer", "人", False, False, 0, 100000, 1.0, ""),
    ("disputes", "受理矛盾纠纷件数", "integer", "件", False, False, 0, 10000, None, ""),
    ("disputes_resolved", "调解成功件数", "integer", "件", False, False, 0, 10000, None, ""),
    ("satisfaction", "群众满意度测评得分", "score", "分", False, False, 0, 100, 0.2, ""),
    (
        "activities",
        "交往交流交融活动批次（由记录生成）",
        "integer",
        "批次",
        False,
        False,
        None,
        None,
        None,
        "activities",
    ),
    (
        "person_times",
        "活动参与人次（由记录生成）",
        "integer",
        "人次",
        False,
        False,
        None,
        None,
        None,
        "person_times",
    ),
    ("pairings", "在结对子数（由记录生成）", "integer", "个", False, False, None, None, None, "pairings"),
    (
        "residents",
        "登记流动人口数（由记录生成）",
        "integer",
        "人",
        False,
        False,
        None,
        None,
        None,
        "residents",
    ),
]

# code, name, kind, numerator, denominator, factor, expression, unit, aggregation
INDICATORS: list[tuple[str, str, str, str, str, float, str, str, str]] = [
    (
        "mixed_household_rate",
        "混合居住户比例",
        "ratio",
        "households_mixed",
        "households",
        100,
        "",
        "%",
        "sum",
    ),
    (
        "facilities_per_1000",
        "每千人共享设施数",
        "ratio",
        "shared_facilities",
        "population",
        1000,
        "",
        "处/千人",
        "sum",
    ),
    (
        "residents_per_1000",
        "每千人登记流动人口",
        "ratio",
        "residents",
        "population",
        1000,
        "",
        "人/千人",
        "sum",
    ),
    (
        "income_growth_rate",
        "人均可支配收入增长率",
        "expression",
        "",
        "",
        1,
        "income_growth",
        "%",
        "population",
    ),
    (
        "employment_per_1000",
        "每千人帮扶就业人数",
        "ratio",
        "employment_assisted",
        "population",
        1000,
        "",
        "人/千人",
        "sum",
    ),
    (
        "mandarin_per_100",
        "每百人通用语言培训人次",
        "ratio",
        "mandarin_trainees",
        "population",
        100,
        "",
        "人次/百人",
        "sum",
    ),
    (
        "publicity_per_1000",
        "每千人宣讲场次",
        "ratio",
        "publicity_sessions",
        "population",
        1000,
        "",
        "场/千人",
        "sum",
    ),
    ("pairings_in_force", "在结对子数", "expression", "", "", 1, "pairings", "个", "sum"),
    ("stations", "民族工作服务站（点）数", "expression", "", "", 1, "service_stations", "个", "sum"),
    (
        "activities_per_1000",
        "每千人交流活动批次",
        "ratio",
        "activities",
        "population",
        1000,
        "",
        "批次/千人",
        "sum",
    ),
    ("volunteer_rate", "志愿者占常住人口比例", "ratio", "volunteers", "population", 100, "", "%", "sum"),
    (
        "joint_work",
        "共事指数（帮扶就业与志愿者）",
        "expression",
        "",
        "",
        1,
        "employment_per_1000 + volunteer_rate",
        "",
        "population",
    ),
    ("festivals", "共庆节日活动次数", "expression", "", "", 1, "joint_festivals", "次", "sum"),
    (
        "participation_per_100",
        "每百人活动参与人次",
        "ratio",
        "person_times",
        "population",
        100,
        "",
        "人次/百人",
        "sum",
    ),
    (
        "dispute_resolution_rate",
        "矛盾纠纷调解成功率",
        "ratio",
        "disputes_resolved",
        "disputes",
        100,
        "",
        "%",
        "sum",
    ),
    (
        "disputes_per_1000",
        "每千人矛盾纠纷件数",
        "ratio",
        "disputes",
        "population",
        1000,
        "",
        "件/千人",
        "sum",
    ),
    ("satisfaction_score", "群众满意度", "expression", "", "", 1, "satisfaction", "分", "population"),
]

# system code, name, source, [(dimension, weight, [(indicator, weight, direction, threshold, veto)])]
SYSTEMS: list[
    tuple[str, str, str, list[tuple[str, float, list[tuple[str, float, int, float | None, bool]]]]]
] = [
    (
        "bagong_bayou",
        "八共八有",
        "广西壮族自治区“八共八有”互嵌式社区建设指标体系（维度名称）",
        [
            (
                "共居",
                0.15,
                [("mixed_household_rate", 0.6, 1, None, False), ("residents_per_1000", 0.4, 1, None, False)],
            ),
            (
                "共富",
                0.125,
                [("income_growth_rate", 0.5, 1, None, False), ("employment_per_1000", 0.5, 1, None, False)],
            ),
            (
                "共学",
                0.125,
                [("mandarin_per_100", 0.5, 1, None, False), ("publicity_per_1000", 0.5, 1, None, False)],
            ),
            ("共建", 0.125, [("pairings_in_force", 0.5, 1, None, False), ("stations", 0.5, 1, None, False)]),
            (
                "共享",
                0.125,
                [("facilities_per_1000", 0.5, 1, None, False), ("activities_per_1000", 0.5, 1, None, False)],
            ),
            ("共事", 0.1, [("joint_work", 0.5, 1, None, False), ("volunteer_rate", 0.5, 1, None, False)]),
            (
                "共乐",
                0.1,
                [("festivals", 0.5, 1, None, False), ("participation_per_100", 0.5, 1, None, False)],
            ),
            (
                "共维",
                0.15,
                [
                    ("dispute_resolution_rate", 0.4, 1, 80.0, True),
                    ("disputes_per_1000", 0.3, -1, None, False),
                    ("satisfaction_score", 0.3, 1, None, False),
                ],
            ),
        ],
    ),
    (
        "four_dimensions",
        "互嵌式社区四维框架",
        "空间互嵌、关系互嵌、文化互嵌、心理互嵌（学术文献中的四维框架）",
        [
            (
                "空间互嵌",
                0.25,
                [("mixed_household_rate", 0.5, 1, None, False), ("facilities_per_1000", 0.5, 1, None, False)],
            ),
            (
                "关系互嵌",
                0.25,
                [
                    ("pairings_in_force", 0.3, 1, None, False),
                    ("participation_per_100", 0.4, 1, None, False),
                    ("volunteer_rate", 0.3, 1, None, False),
                ],
            ),
            (
                "文化互嵌",
                0.25,
                [
                    ("mandarin_per_100", 0.4, 1, None, False),
                    ("publicity_per_1000", 0.3, 1, None, False),
                    ("festivals", 0.3, 1, None, False),
                ],
            ),
            (
                "心理互嵌",
                0.25,
                [
                    ("satisfaction_score", 0.6, 1, None, False),
                    ("dispute_resolution_rate", 0.4, 1, None, False),
                ],
            ),
        ],
    ),
]


def load(apps: Any) -> None:
    element = apps.get_model("indicators", "DataElement")
    indicator = apps.get_model("indicators", "Indicator")
    system = apps.get_model("indicators", "IndicatorSystem")
    node = apps.get_model("indicators", "SystemNode")
    for order, (code, name, vtype, unit, by_group, required, lo, hi, jump, source) in enumerate(ELEMENTS):
        element.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "value_type": vtype,
                "unit": unit,
                "period_type": "quarter",
                "entry_level": "village",
                "by_ethnic_group": by_group,
                "required": required,
                "min_value": lo,
                "max_value": hi,
                "jump_limit": jump,
                "source": source,
                "order": order,
            },
        )
    for code, name, kind, num, den, factor, expr, unit, agg in INDICATORS:
        indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "numerator": num,
                "denominator": den,
                "factor": factor,
                "expression": expr,
                "unit": unit,
                "aggregation": agg,
                "period_aggregation": "mean",
            },
        )
    for code, name, source, dims in SYSTEMS:
        sys_obj, _created = system.objects.update_or_create(
            code=code, defaults={"name": name, "source": source}
        )
        node.objects.filter(system=sys_obj).delete()
        for d_order, (dim, weight, items) in enumerate(dims):
            parent = node.objects.create(system=sys_obj, name=dim, weight=weight, order=d_order)
            for i_order, (ind, w, direction, threshold, veto) in enumerate(items):
                target = indicator.objects.get(code=ind)
                node.objects.create(
                    system=sys_obj,
                    parent=parent,
                    name=target.name,
                    indicator=target,
                    weight=w,
                    direction=direction,
                    threshold=threshold,
                    is_veto=veto,
                    veto_cap=0.6,
                    order=i_order,
                )
