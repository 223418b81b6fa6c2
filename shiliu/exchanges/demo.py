"""A year of demo exchanges across the demo pairings, confirmed by the other side, so statistics mean something."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from shiliu.accounts.models import User
from shiliu.core import clock
from shiliu.pairings.models import Pairing, PairingStatus
from shiliu.regions.models import EthnicGroup

from . import services
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


def build(builder: Any) -> None:
    rng = random.Random(7)  # noqa: S311 - demo data
    Activity.objects.filter(is_demo=True).delete()
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
