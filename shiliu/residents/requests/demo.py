"""Demo requests: a year of 诉求 in 扬州's and 新源县's communities — routed by rules, some transferred from 扬州 to
the origin commission in 新源县, some returned, extended or escalated, some overdue and still open, most answered,
closed and rated (a few dissatisfied, reopened), a share drawn for follow-up calls. Built through the services with
the clock moved back, so every history is one the loop could really have produced."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from shiliu.accounts.models import User
from shiliu.lib import clock
from shiliu.orgs.models import Organization, UnitKind
from shiliu.regions.models import Region

from . import services
from .models import RequestEvent, RoutingRule, ServiceRequest

TEXTS = {
    "employment": [
        "工地拖欠工资两个月，老板联系不上",
        "想参加电焊技能培训，不知道去哪报名",
        "劳动合同到期单位不续签也不给补偿",
    ],
    "health": ["孩子发烧，异地就医医保怎么报销", "老人慢性病药在这边买不到", "想办理异地就医备案"],
    "schooling": [
        "孩子随迁入学需要哪些材料",
        "孩子在学校听不懂普通话，想请老师多帮助",
        "初中转学手续办不下来",
    ],
    "housing": ["出租屋漏水房东不修", "想申请公租房，不知道条件", "房东提前收回房子不退押金"],
    "legal_aid": ["被电动车撞伤，对方不赔偿", "想咨询离婚财产怎么分", "工伤认定需要什么材料"],
    "other": ["想找本民族的清真餐馆和礼拜场所", "社区活动能不能用哈萨克语通知", "户口迁移手续怎么办"],
}
KINDS = ["consultation", "consultation", "help", "help", "help", "complaint", "suggestion"]
COUNT = 300


def clear() -> None:
    RequestEvent.objects.filter(request__is_demo=True).delete()
    ServiceRequest.objects.filter(is_demo=True, merged_into__isnull=False).delete()
    ServiceRequest.objects.filter(is_demo=True).delete()
    RoutingRule.objects.filter(unit__is_demo=True).delete()


def _communities(prefix: str) -> list[Organization]:
    return list(
        Organization.objects.filter(
            region__code__startswith=prefix, kind__in=(UnitKind.COMMUNITY, UnitKind.VILLAGE), is_demo=True
        ).order_by("region_id")
    )


def _rules(communities: list[Organization]) -> None:
    for unit in communities:
        RoutingRule.objects.get_or_create(region_id=unit.region_id, category="", defaults={"unit": unit})
    for code in ("3210", "654025"):
        education = Organization.objects.filter(
            region__code__startswith=code, kind=UnitKind.AGENCY, name__contains="教育", is_demo=True
        ).first()
        if education is not None and Region.objects.filter(code=code).exists():
            RoutingRule.objects.get_or_create(
                region_id=code, category="schooling", defaults={"unit": education}
            )


def _handler_of(request: ServiceRequest, users: dict[str, User]) -> User | None:
    if request.handling_unit_id is None:
        return users.get(request.handling_region_id or "")
    coordinator = User.objects.filter(organization_id=request.handling_unit_id, is_active=True).first()
    return (
        coordinator
        or users.get((request.handling_region_id or "")[:4])
        or users.get((request.handling_region_id or "")[:6])
    )


def build(builder: Any) -> None:
    rng = random.Random(1414)  # noqa: S311 - demo data
    yangzhou = User.objects.filter(username="yangzhou").first()
    xinyuan = User.objects.filter(username="xinyuan").first()
    if yangzhou is None or xinyuan is None:
        return
    yz, xy = _communities("3210"), _communities("654025")
    if not yz:
        return
    _rules(yz + xy)
    # Requests come to four 扬州 communities and two 新源县 ones, each with a community worker's login (a unit's
    # orders are signed by its own worker, never by the commission above it).
    yz, xy = yz[:4], xy[:2]
    for unit in yz[1:] + xy:
        if not User.objects.filter(organization=unit, role="unit_coordinator").exists():
            login = f"community-{unit.region_id}"
            builder.user(login, "unit_coordinator", unit.region, unit, name=f"{unit.name}社区工作者")
    users = {"3210": yangzhou, "654025": xinyuan}
    origin = Region.objects.filter(code="654025").first()
    for index in range(COUNT):
        in_yz = rng.random() < 0.8 or not xy
        community = rng.choice(yz if in_yz else xy)
        category = rng.choice(list(TEXTS))
        days_ago = rng.randint(0, 364)
        data = services.RequestInput(
            kind=rng.choice(KINDS),
            category=category,
            urgency="urgent" if rng.random() < 0.1 else "normal",
            description=rng.choice(TEXTS[category]),
            community=community,
            phone="1" + rng.choice("3589") + f"{rng.randint(0, 999999999):09d}",
            contact_name=builder.person(),
            origin_region=origin if in_yz else None,
            channel=rng.choice(["web", "web", "staff", "hotline"]),
            hotline_order_number="",
        )
        if data.channel == "hotline":
            data.hotline_order_number = f"12345-{days_ago:03d}-{index:04d}"
        try:
            _one(rng, data, days_ago, users, yangzhou, in_yz)
        except (ValidationError, PermissionDenied):
            continue  # a demo path the loop refuses: leave that request where it stopped
        finally:
            clock.reset()
    services.clocks_run()


def _one(
    rng: random.Random,
    data: services.RequestInput,
    days_ago: int,
    users: dict[str, User],
    yangzhou: User,
    in_yz: bool,
) -> None:
    clock.travel(-days_ago)
    data.received_at = clock.now() - dt.timedelta(minutes=rng.randint(0, 600))
    request = services.request_file(actor=None, data=data)
    ServiceRequest.objects.filter(pk=request.pk).update(is_demo=True)
    if request.status != "dispatched":
        return
    still_open = days_ago < 3 or rng.random() < 0.06
    handler = _handler_of(request, users)
    if handler is None:
        return
    if rng.random() < 0.05:
        services.request_return(actor=handler, request=request, reason="诉求不属于本单位职责")
        services.request_return_review(
            actor=yangzhou if in_yz else users["654025"],
            request=request,
            uphold=False,
            note="属于本社区，请签收",
        )
    services.request_sign(actor=handler, request=request)
    if in_yz and rng.random() < 0.12:
        services.request_transfer(actor=handler, request=request, to_origin=True, note="需流出地协助核实")
        handler = users["654025"]
        step = min(days_ago, rng.randint(0, 1))
        clock.travel(-(days_ago - step))
        services.request_sign(actor=handler, request=request)
    if still_open:
        return
    if request.kind == "consultation":
        took = rng.choice([0, 0, 0, 0, 1, 2])
    else:
        took = rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 7, 9, 15])
    took = min(took, days_ago)
    clock.travel(-(days_ago - took))
    services.request_answer(actor=handler, request=request, reply="已联系相关部门处理，具体情况已电话告知")
    closer = yangzhou if in_yz else users["654025"]
    clock.travel(-max(0, days_ago - took - 1))
    services.request_close(actor=closer, request=request)
    if rng.random() < 0.75:
        rating = rng.choices(["satisfied", "fairly", "dissatisfied"], weights=[70, 22, 8])[0]
        services.request_rate(request=request, rating=rating, actor=None, phone=data.phone)
