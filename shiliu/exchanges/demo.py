"""A year of demo exchanges across the demo pairings, confirmed by the other side, so statistics mean something."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from shiliu.accounts.models import User
from shiliu.lib import clock
from shiliu.pairings.models import Pairing, PairingStatus
from shiliu.regions.models import EthnicGroup

from .ledger import services
from .models import Activity, ActivityType

# Groups present on each side of the demo pairings (Han 01 everywhere).
LOCAL_GROUPS = {"6540": ["17", "05", "03", "38"], "5403": ["04"], "6523": ["03", "17"], "6504": ["05", "03"], "4514": ["08"],
                "5132": ["04", "33"], "5133": ["04"], "5134": ["07"], "6211": ["03"]}  # fmt: skip
TITLES = {
    "互访考察": ("{a}干部群众赴{b}交流考察", ["embedding"], ["cadre", "public"]),
    "夏令营/冬令营": ("{a}{b}各族青少年夏令营", ["youth"], ["student", "teacher"]),
    "研学": ("{a}学生赴{b}研学", ["youth", "tourism"], ["student", "teacher"]),
    "网上共上一堂课": ("{a}{b}网上共上一堂课", ["youth"], ["student", "teacher"]),
    "旅游团": ("{a}游客团赴{b}旅游交流", ["tourism"], ["public"]),
    "培训班": ("{b}专业技术人员赴{a}培训", ["embedding"], ["medical", "teacher", "worker"]),
    "文化展演": ("{a}{b}民族团结文化展演", ["embedding", "tourism"], ["public"]),
    "座谈交流": ("{a}{b}民族工作座谈交流", ["embedding"], ["cadre"]),
}


def _groups(code: str) -> list[str]:
    for prefix, groups in LOCAL_GROUPS.items():
        if code.startswith(prefix):
            return ["01", *groups]
    return ["01"]


MENU = [
    # (host unit, offers [(title, type, plans, capacity, days, seasons)], package title)
    ("广陵第一中学", [("走进扬州课堂：同上一堂课", "研学", ["youth"], 60, 1, "3–6月、9–12月"),
                    ("运河文化研学：中国大运河博物馆", "研学", ["youth", "tourism"], 45, 1, "全年"),
                    ("扬州家庭寄宿体验", "研学", ["youth", "embedding"], 40, 1, "暑假")], "扬州三日研学套餐"),
    ("那拉提旅游风景区", [("那拉提草原民族团结研学营", "夏令营/冬令营", ["youth", "tourism"], 80, 3, "6–8月"),
                      ("哈萨克族毡房民俗体验", "旅游团", ["tourism"], 120, 1, "5–10月")], "那拉提草原研学套餐"),
]  # fmt: skip


def _menu() -> None:
    from shiliu.orgs.models import Organization

    from .models import Booking, Offer, Package

    Booking.objects.filter(offer__host__is_demo=True).delete()
    Booking.objects.filter(package__host__is_demo=True).delete()
    Package.objects.filter(host__is_demo=True).delete()
    Offer.objects.filter(host__is_demo=True).delete()
    for host_name, offers, package_title in MENU:
        host = Organization.objects.filter(name=host_name).first()
        if host is None:
            continue
        made = [
            Offer.objects.create(
                host=host, title=title, activity_type=ActivityType.objects.get(name=kind), capacity=cap, duration_days=days,
                seasons=seasons, cost_borne_by="shared", **{f"plan_{p}": True for p in plans},
            )
            for title, kind, plans, cap, days, seasons in offers
        ]  # fmt: skip
        package = Package.objects.create(host=host, title=package_title, description="演示套餐")
        package.offers.set(made)


def clear() -> None:
    """Remove the demo's exchanges (they hold on to the demo pairings, so the shell clears them first)."""
    from .models import PenPalProgramme, StudyRoute, TourGroup

    PenPalProgramme.objects.filter(is_demo=True).delete()
    TourGroup.objects.filter(is_demo=True).delete()
    StudyRoute.objects.filter(created_by__is_demo=True).delete()
    Activity.objects.filter(is_demo=True).delete()


def build(builder: Any) -> None:
    from .ledger.changes import suspended
    from .statistics.refresh import rebuild_all

    # The statistics are counted once at the end instead of after each of the demo's activities.
    with suspended():
        _build(builder)
    rebuild_all()


def _build(builder: Any) -> None:
    rng = random.Random(7)  # noqa: S311 - demo data
    _menu()
    types = {t.name: t for t in ActivityType.objects.all()}
    groups = {g.code: g for g in EthnicGroup.objects.all()}
    today = clock.today()
    region_pairings = Pairing.objects.filter(
        status=PairingStatus.ACTIVE, a_unit__isnull=True, parent__isnull=True, is_demo=True
    )
    for pairing in region_pairings.select_related("a_region", "b_region"):
        staff_a = User.objects.filter(role="commission_staff", region=pairing.a_region).first()
        staff_b = User.objects.filter(role="commission_staff", region=pairing.b_region).first()
        if staff_a is None or staff_b is None:
            continue
        for _ in range(rng.randint(5, 9)):
            type_name = rng.choice(list(TITLES))
            template, plans, categories = TITLES[type_name]
            outbound = rng.random() < 0.5
            send, recv = (
                (pairing.a_region, pairing.b_region) if outbound else (pairing.b_region, pairing.a_region)
            )
            recorder, confirmer = (staff_a, staff_b) if outbound else (staff_b, staff_a)
            start = today - dt.timedelta(days=rng.randint(5, 360))
            rows = []
            for category in categories:
                for code in rng.sample(_groups(send.code), k=min(2, len(_groups(send.code)))):
                    age = "u18" if category == "student" else rng.choice(["18_35", "o35"])
                    rows.append(
                        {
                            "category": category,
                            "ethnic_group": groups[code],
                            "age_band": age,
                            "gender": rng.choice("fm"),
                            "count": rng.randint(2, 40),
                        }
                    )
            data = {
                "title": template.format(a=send.name, b=recv.name),
                "activity_type": types[type_name],
                **{f"plan_{p}": True for p in plans},
                "start_date": start,
                "end_date": start + dt.timedelta(days=rng.randint(0, 6)),
                "place": recv.name,
                "sending_region": send,
                "receiving_region": recv,
                "pairing": pairing,
                "summary": "演示数据",
            }
            activity = services.activity_record(actor=recorder, data=data, participations=rows)
            if rng.random() < 0.85:
                services.activity_confirm(actor=confirmer, activity=activity)
            Activity.objects.filter(pk=activity.pk).update(is_demo=True)
    _youth(rng)
    _tourism(rng)


def _youth(rng: random.Random) -> None:
    """A pen-pal programme between 广陵 and 新源 schools with consent gaps, letters and one pupil who left;
    one online class held and one coming."""
    from shiliu.orgs.models import Organization

    from .models import PenPalProgramme
    from .youth import matching
    from .youth import services as youth

    school_a = Organization.objects.filter(name="广陵第一中学", kind="school").first()
    school_b = Organization.objects.filter(name="新源第一中学", kind="school").first()
    staff_a = User.objects.filter(username="yangzhou").first()
    staff_b = User.objects.filter(username="xinyuan").first()
    if not (school_a and school_b and staff_a and staff_b):
        return
    programme = youth.programme_create(
        actor=staff_a, title="扬州新源“书信手拉手”", school_a=school_a, class_a="初一（2）班", school_b=school_b,
        class_b="初一（3）班",
    )  # fmt: skip
    PenPalProgramme.objects.filter(pk=programme.pk).update(is_demo=True)
    interests = ["绘画", "足球", "阅读", "舞蹈", "音乐", "篮球", "书法", "摄影", "天文", "围棋"]
    today = clock.today()
    for side, actor, size, gaps in (("a", staff_a, 26, 3), ("b", staff_b, 14, 2)):
        for i in range(1, size + 1):
            age = rng.choice([12, 12, 13, 13, 14])
            youth.student_add(
                actor=actor, programme=programme, side=side, code=f"{side.upper()}{i:02d}", grade=7, age=age,
                interests="、".join(rng.sample(interests, 2)),
                consent_on=None if i > size - gaps else today - dt.timedelta(days=rng.randint(40, 80)),
            )  # fmt: skip
    result = matching.match_run(actor=staff_a, programme=programme)
    for match in result.created:
        for _ in range(rng.randint(0, 4)):
            direction = rng.choice(["ab", "ba"])
            youth.letter_log(
                actor=staff_a if direction == "ab" else staff_b, match=match, direction=direction,
                sent_on=today - dt.timedelta(days=rng.randint(1, 60)), count=1,
            )  # fmt: skip
    leaver = programme.students.filter(side="b", consent_on__isnull=False).order_by("code").first()
    if leaver is not None:
        youth.student_leave(actor=staff_b, student=leaver, reason="随家长迁往外地")

    from zoneinfo import ZoneInfo

    beijing = ZoneInfo("Asia/Shanghai")
    for days, title in ((-20, "扬州新源网上共上一堂民族团结课"), (9, "扬州新源网上共上一次主题班会")):
        day = today + dt.timedelta(days=days)
        online = youth.online_class_schedule(
            actor=staff_a, host=school_a, partner=school_b,
            kind="网上共上一堂课" if days < 0 else "网上共上一次班会", title=title,
            starts_at=dt.datetime(day.year, day.month, day.day, 10, 30, tzinfo=beijing), duration_minutes=45,
            meeting_url="https://meeting.example.cn/shiliu-demo", classes_host="初一（2）班",
            classes_partner="初一（3）班",
        )  # fmt: skip
        Activity.objects.filter(pk=online.activity_id).update(is_demo=True)
        if days < 0:
            groups = {g.code: g for g in EthnicGroup.objects.filter(code__in=["01", "17"])}
            youth.online_class_report(
                actor=staff_a, online=online, attendance_sending=45, attendance_receiving=41,
                replay_url="https://meeting.example.cn/shiliu-demo/replay",
                participations=[
                    {"category": "student", "ethnic_group": groups[code], "age_band": "u18", "gender": gender,
                     "count": n}
                    for code, gender, n in (("01", "f", 24), ("01", "m", 25), ("17", "f", 19), ("17", "m", 18))
                ],
            )  # fmt: skip
            services.activity_confirm(actor=staff_b, activity=online.activity)


ROUTES = [
    # (region, title, theme, days, stops [(name, region, description)])
    ("654025", "那拉提草原民族团结研学路线", "草原生态与哈萨克族民俗", 3, [
        ("新源县民族团结进步教育基地", "654025", "了解各民族共同开发建设新源的历史"),
        ("那拉提旅游风景区", "654025104", "草原生态研学，毡房民俗体验"),
        ("扬州援疆展馆", "654025", "江苏扬州对口援建新源的成果展示")]),
    ("3210", "运河扬州·石榴籽研学路线", "大运河文化与民族交融", 2, [
        ("中国大运河博物馆", "3210", "大运河沿线各民族交往交流交融的历史"),
        ("广陵第一中学", "3210", "与扬州学生同上一堂课"),
        ("扬州东关街", "3210", "古城街区与非遗体验")]),
]  # fmt: skip

TOURS = [("6540", "654025"), ("3210", "654025"), ("3502", "64"), ("3501", "5403"), ("4301", "6504")]
AGENCIES = ["新疆国旅", "扬州旅游集团", "厦门建发国旅", "福建中旅", "湖南华天国旅"]


def _tourism(rng: random.Random) -> None:
    from shiliu.regions.models import Region

    from .models import Offer, TourGroup
    from .tourism import services as tourism

    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    routes = {}
    for code, title, theme, days, stops in ROUTES:
        region = Region.objects.filter(code=code).first()
        if region is None:
            continue
        routes[code] = tourism.route_create(
            actor=admin,
            data={"title": title, "region": region, "theme": theme, "days": days, "is_public": True},
            stops=[
                {"name": n, "region": Region.objects.get(code=c), "description": d}
                for n, c, d in stops
                if Region.objects.filter(code=c).exists()
            ],
        )
    Offer.objects.filter(title__startswith="那拉提草原民族团结研学营").update(route=routes.get("654025"))
    Offer.objects.filter(title__startswith="运河文化研学").update(route=routes.get("3210"))
    today = clock.today()
    existing = {r.code for r in Region.objects.filter(code__in={c for pair in TOURS for c in pair})}
    for origin, destination in TOURS:
        if origin not in existing or destination not in existing:
            continue
        o, d = Region.objects.get(code=origin), Region.objects.get(code=destination)
        for n in range(rng.randint(3, 8)):
            start = today - dt.timedelta(days=rng.randint(3, 330))
            size = rng.randint(18, 60)
            group = tourism.tour_group_record(
                actor=admin,
                data={
                    "name": f"{o.name}赴{d.name}交流团（第{n + 1}批）", "origin_region": o, "destination_region": d,
                    "start_date": start, "end_date": start + dt.timedelta(days=rng.randint(3, 7)),
                    "agency": rng.choice(AGENCIES), "size": size, "minors": rng.randint(0, size // 3),
                    "minority_members": rng.randint(0, size // 2), "route": routes.get(destination),
                },
            )  # fmt: skip
            TourGroup.objects.filter(pk=group.pk).update(is_demo=True)
