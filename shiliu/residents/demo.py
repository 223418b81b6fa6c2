"""Demo residents: people from 新源县 (and a few other places) living in 扬州's communities, and people from southern
Xinjiang and Gansu living in 新源县's, each registered with consent; one consent withdrawn, one handover waiting."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.exceptions import ValidationError

from shiliu.accounts.models import User
from shiliu.jurisdiction.roles import Role
from shiliu.lib import clock
from shiliu.lib.idnumbers import check_char
from shiliu.orgs.models import Organization, UnitKind
from shiliu.regions.models import Region

from . import services
from .models import Consent, Need, Resident

KAZAKH = ["阿依古丽", "努尔兰", "古丽娜尔", "叶尔兰", "阿斯哈尔", "哈娜提", "别克", "加娜尔"]
UYGHUR = ["买买提", "热依拉", "艾力", "阿不都", "古丽米拉", "帕丽达"]
HUI = ["马明", "马秀兰", "马志强", "马燕"]
HAN_SURNAMES = "王李张刘陈杨黄赵吴周徐孙"
HAN_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰"
SKILLS = ["电焊", "家政服务", "餐饮烹饪", "网约车驾驶", "建筑装修", "电商直播", "缝纫", "养殖"]
RELATIONS = [("配偶", 0), ("子", -28), ("女", -26), ("父", 25), ("母", 23)]

# (origin county code, ethnic group codes with names): where the residents of each side come from.
Origins = list[tuple[str, list[tuple[str, Any]]]]
INTO_YANGZHOU: Origins = [("654025", [("17", KAZAKH), ("05", UYGHUR), ("03", HUI), ("01", None)])]
INTO_XINYUAN: Origins = [
    ("653121", [("05", UYGHUR)]),  # 疏附县
    ("622921", [("03", HUI)]),  # 临夏县
    ("621126", [("01", None)]),  # 岷县
]


def clear() -> None:
    from .livelihood import demo as livelihood_demo
    from .requests import demo as requests_demo

    requests_demo.clear()
    livelihood_demo.clear()
    Resident.objects.filter(is_demo=True).delete()


def _id_number(rng: random.Random, county: str, born: dt.date) -> str:
    first17 = f"{county}{born:%Y%m%d}{rng.randint(10, 999):03d}"
    return first17 + check_char(first17)


def _communities(prefix: str) -> list[Organization]:
    return list(
        Organization.objects.filter(
            region__code__startswith=prefix, kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE), is_demo=True
        )
        .select_related("region")
        .order_by("region_id")
    )


def _name(rng: random.Random, names: list[str] | None) -> str:
    if names is None:
        return rng.choice(HAN_SURNAMES) + "".join(rng.choice(HAN_GIVEN) for _ in range(rng.choice((1, 2))))
    return rng.choice(names)


def _register(
    rng: random.Random, actor: Any, unit: Organization, origins: list[tuple[str, list[tuple[str, Any]]]]
) -> Resident | None:
    county, groups = rng.choice(origins)
    origin = Region.objects.filter(code=county).first()
    if origin is None:
        return None
    townships = list(
        Region.objects.filter(parent=origin, level="township").values_list("code", flat=True)[:8]
    )
    if townships and rng.random() < 0.6:
        origin = Region.objects.get(code=rng.choice(townships))
    group, names = rng.choice(groups)
    today = clock.today()
    born = dt.date(rng.randint(1968, 2003), rng.randint(1, 12), rng.randint(1, 28))
    moved = today - dt.timedelta(days=rng.randint(30, 2000))
    full = rng.random() < 0.8
    scopes = ["identity", "contact", "ethnicity", "household", "profile"] if full else ["contact", "profile"]
    members: list[dict[str, Any]] = [
        {"relation": rel, "name": _name(rng, names), "birth_year": born.year - offset}
        for rel, offset in rng.sample(RELATIONS[:3], k=rng.randint(0, 2))
    ]
    data: dict[str, Any] = {
        "name": _name(rng, names),
        "origin_region": origin,
        "residence_region": unit.region,
        "residence_unit": unit,
        "moved_in_on": moved,
        "phone": "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9)),
        "skills": "、".join(rng.sample(SKILLS, k=rng.randint(1, 2))),
        "language": "哈萨克语、国家通用语言"
        if group == "17"
        else ("维吾尔语、国家通用语言" if group == "05" else "国家通用语言"),
        "needs": rng.sample(Need.values[:5], k=rng.randint(1, 2)),
    }
    if full:
        data.update(
            id_number=_id_number(rng, county, born),
            ethnic_group=group,
            household_members=[m for m in members if m["birth_year"] <= today.year],
        )
    consent = services.ConsentInput(
        scopes=scopes,
        method=rng.choice(["paper", "paper", "verbal", "online"]),
        given_on=min(today, moved + dt.timedelta(days=rng.randint(0, 20))),
        note=f"同意书 {rng.randint(1000, 9999)}号",
    )
    try:
        resident = services.resident_register(actor=actor, data=data, consent=consent)
    except ValidationError:  # a clash of random ID numbers: skip that one demo person
        return None
    Resident.objects.filter(pk=resident.pk).update(is_demo=True)
    return resident


def build(builder: Any) -> None:
    from .livelihood import demo as livelihood_demo
    from .requests import demo as requests_demo

    _build_registry(builder)
    requests_demo.build(builder)
    livelihood_demo.build(builder)


def _build_registry(builder: Any) -> None:
    rng = random.Random(14)  # noqa: S311 - demo data
    yangzhou = User.objects.filter(username="yangzhou").first()
    xinyuan = User.objects.filter(username="xinyuan").first()
    if yangzhou is None or xinyuan is None:
        return
    yz_communities = _communities("3210")
    xy_communities = _communities("654025")
    if yz_communities:
        # A community worker of the first 扬州 community (the login that registers and hands over).
        builder.user(
            "yangzhou-community",
            Role.UNIT_COORDINATOR,
            yz_communities[0].region,
            yz_communities[0],
            name=f"{yz_communities[0].name}社区工作者",
        )
    made: list[Resident] = []
    for unit in yz_communities:
        for _ in range(rng.randint(4, 7)):
            if (r := _register(rng, yangzhou, unit, INTO_YANGZHOU)) is not None:
                made.append(r)
    for unit in xy_communities:
        for _ in range(rng.randint(2, 4)):
            _register(rng, xinyuan, unit, INTO_XINYUAN)
    if not made:
        return
    # One resident withdrew part of their consent; one is moving to another 扬州 community.
    withdrawn = made[0]
    consent = Consent.objects.filter(resident=withdrawn).first()
    if consent is not None:
        services.consent_withdraw(actor=yangzhou, consent=consent, withdrawn_on=clock.today(), method="paper")
        services.consent_record(
            actor=yangzhou,
            resident=withdrawn,
            consent=services.ConsentInput(scopes=["contact"], method="verbal", given_on=clock.today()),
        )
    if len(yz_communities) > 1:
        mover = next((r for r in made[1:] if r.residence_unit_id == yz_communities[0].pk), None)
        if mover is not None:
            services.handover_start(
                actor=yangzhou,
                resident=mover,
                to_region=yz_communities[1].region,
                to_unit=yz_communities[1],
                reason="租住房屋到期，搬至新社区",
            )
