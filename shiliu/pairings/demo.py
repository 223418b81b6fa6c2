"""Demo pairings modelled on the reference reports (扬州↔新源, 南宁↔崇左 and the rest)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from shiliu.accounts.models import User
from shiliu.lib import clock
from shiliu.notifications.services import notifications_settle
from shiliu.orgs.models import Organization
from shiliu.regions.models import Level, Region

from . import services
from .models import ActionItem, Mechanism, Pairing, PairingStatus

# (side A, side B, kind, started): region pairings named in the reports.
REGION_PAIRINGS = [
    ("3210", "654025", "counterpart_support", dt.date(2017, 3, 1)),
    ("3501", "5403", "counterpart_support", dt.date(2016, 5, 1)),
    ("3505", "5403", "counterpart_support", dt.date(2016, 5, 1)),
    ("350128", "5403", "co_building", dt.date(2019, 9, 1)),
    ("3502", "6523", "counterpart_support", dt.date(2017, 6, 1)),
    ("3501", "6211", "east_west", dt.date(2017, 4, 1)),
    ("4501", "4514", "co_building", dt.date(2023, 8, 16)),
    ("43", "6504", "counterpart_support", dt.date(2017, 2, 1)),
    ("5101", "5132", "co_building", dt.date(2018, 3, 1)),
    ("5101", "5133", "co_building", dt.date(2018, 3, 1)),
    ("5101", "5134", "co_building", dt.date(2018, 3, 1)),
]
# Unit pairs under 扬州市↔新源县 (hospitals named in the report, schools and towns).
YANGZHOU_XINYUAN_UNITS = [
    ("苏北人民医院", "新源县人民医院"),
    ("扬州市中医院", "新源县中医医院"),
    ("扬州市妇幼保健院", "新源县妇幼保健院"),
    ("广陵第一中学", "新源第一中学"),
    ("广陵实验小学", "新源实验小学"),
    ("邗江第一中学", "新源镇中心小学"),
]


def _staff(code: str) -> User:
    return User.objects.filter(role="commission_staff", region_id=code).first() or User.objects.get(
        username="admin"
    )


def _unit(name: str) -> Organization:
    return Organization.objects.filter(name=name).first()  # type: ignore[return-value]


def _backdate(pairing: Pairing, started: dt.date) -> None:
    # Demo history: the real pairings began years ago; the services stamp today's date.
    Pairing.objects.filter(pk=pairing.pk).update(started_on=started, is_demo=True)
    pairing.events.update(at=dt.datetime.combine(started, dt.time(9), tzinfo=dt.UTC))


def _turpan_schools(rng: random.Random) -> None:
    """44 urban and 83 rural schools in 吐鲁番市, for the optimal-pairing demo (report 004's figures)."""
    towns = list(Region.objects.filter(code__startswith="6504", level=Level.TOWNSHIP).order_by("code"))
    streets = [t for t in towns if t.name.endswith("街道")] or towns[:4]
    rural = [t for t in towns if not t.name.endswith("街道")]
    stages = ["primary", "primary", "junior"]
    for i in range(44):
        street = streets[i % len(streets)]
        Organization.objects.update_or_create(
            region=street, name=f"{street.name.removesuffix('街道')}第{i // len(streets) + 1}{'小学' if stages[i % 3] == 'primary' else '中学'}",
            defaults={"kind": "school", "locality": "urban", "stage": stages[i % 3], "headcount": rng.randint(600, 2200), "is_demo": True,
                      "pinyin": "", "initials": ""},
        )  # fmt: skip
    for i in range(83):
        town = rural[i % len(rural)]
        Organization.objects.update_or_create(
            region=town, name=f"{town.name}第{i // len(rural) + 1}{'小学' if stages[i % 3] == 'primary' else '中学'}",
            defaults={"kind": "school", "locality": "rural", "stage": stages[i % 3], "headcount": rng.randint(80, 700), "is_demo": True,
                      "pinyin": "", "initials": ""},
        )  # fmt: skip


def clear() -> None:
    """Remove the demo's pairings: unit pairings first, they point at the region pairings. The shell clears the
    apps above first (their records point at these pairings)."""
    Pairing.objects.filter(is_demo=True, parent__isnull=False).delete()
    Pairing.objects.filter(is_demo=True).delete()


def build(builder: Any) -> None:
    rng = random.Random(2026)  # noqa: S311 - demo data
    parents: dict[tuple[str, str], Pairing] = {}
    for a, b, kind, started in REGION_PAIRINGS:
        p = services.pairing_propose(
            actor=_staff(a),
            kind=kind,
            a_region=Region.objects.get(code=a),
            b_region=Region.objects.get(code=b),
        )
        p = services.pairing_respond(actor=_staff(b), pairing=p, accept=True)
        _backdate(p, started)
        parents[(a, b)] = p
    seven = list(Mechanism.objects.filter(is_standard=True))
    services.agreement_record(
        actor=_staff("4501"), pairing=parents[("4501", "4514")], title="跨区域实施“三项计划”协作协议",
        signed_on=dt.date(2023, 8, 16), term_start=dt.date(2023, 8, 16), term_end=dt.date(2026, 8, 15), mechanisms=seven,
        a_contact="南宁市民宗委 李老师", b_contact="崇左市民宗委 黄老师",
    )  # fmt: skip
    yx = parents[("3210", "654025")]
    services.agreement_record(
        actor=_staff("3210"), pairing=yx, title="扬州新源对口支援结对共建协议", signed_on=dt.date(2017, 3, 1),
        term_start=dt.date(2017, 3, 1), mechanisms=[m for m in seven if m.name in ("组织协调", "联席会议", "友好互访")],
        custom_mechanisms=["镇村结对", "部门牵手"], a_contact="扬州援疆指挥组", b_contact="新源县民宗委",
    )  # fmt: skip
    for a_name, b_name in YANGZHOU_XINYUAN_UNITS:
        a_unit, b_unit = _unit(a_name), _unit(b_name)
        if a_unit and b_unit:
            child = services.pairing_propose(
                actor=_staff("3210"),
                kind="counterpart_support",
                a_region=a_unit.region,
                a_unit=a_unit,
                b_region=b_unit.region,
                b_unit=b_unit,
                parent=yx,
            )
            child = services.pairing_respond(actor=_staff("654025"), pairing=child, accept=True)
            _backdate(child, dt.date(2018, 9, 1))
    # Township pairings under 扬州市↔新源县 ("乡镇结对已经实现了全覆盖": every 镇 and 乡 of 新源县; 农场 and 兵团团场 not).
    xinyuan_towns = [
        t for t in Region.objects.filter(parent_id="654025").order_by("code") if t.name.endswith(("镇", "乡"))
    ]
    yangzhou_towns = list(
        Region.objects.filter(code__startswith="3210", level=Level.TOWNSHIP, name__endswith="镇").order_by(
            "code"
        )
    )
    for town, partner in zip(
        xinyuan_towns,
        yangzhou_towns[:: max(1, len(yangzhou_towns) // max(1, len(xinyuan_towns)))],
        strict=False,
    ):
        p = services.pairing_propose(
            actor=_staff("3210"), kind="co_building", a_region=partner, b_region=town
        )
        p = services.pairing_respond(actor=_staff("654025"), pairing=p, accept=True)
        _backdate(p, dt.date(2017, 9, 1))
    # A proposal still waiting for 新源县's answer.
    waiting_a, waiting_b = _unit("邗江实验小学"), _unit("则克台镇中心小学")
    if waiting_a and waiting_b:
        p = services.pairing_propose(
            actor=_staff("3210"),
            kind="co_building",
            a_region=waiting_a.region,
            a_unit=waiting_a,
            b_region=waiting_b.region,
            b_unit=waiting_b,
            parent=yx,
        )
        Pairing.objects.filter(pk=p.pk).update(is_demo=True)
    meeting = services.meeting_schedule(
        actor=_staff("3210"), pairing=yx, title="扬州新源结对工作联席会议", held_at=clock.now() - dt.timedelta(days=20),
        place="新源县人民会堂", attendees=[u for u in (_unit("扬州市援疆前方指挥组"), _unit("新源县民族宗教事务委员会"), _unit("苏北人民医院"), _unit("新源县人民医院")) if u],
        agenda="一、通报年度互访交流情况\n二、研究医疗、教育结对任务", minutes="会议确定医疗专家驻点、教师互派和暑期夏令营三项任务。",
    )  # fmt: skip
    today = clock.today()
    for title, owner, due in [
        ("苏北人民医院派出专家驻点新源县人民医院三个月", "苏北人民医院", today + dt.timedelta(days=40)),
        ("两地学校互派教师各5名", "新源第一中学", today + dt.timedelta(days=3)),
        ("筹备扬州新源青少年暑期夏令营", "新源县民族宗教事务委员会", today + dt.timedelta(days=1)),
    ]:
        unit = _unit(owner)
        if unit:
            services.action_item_add(
                actor=_staff("3210"), meeting=meeting, title=title, owner=unit, deadline=due
            )
    # One decision left overdue, so the red marking shows on both sides (demo only: the service refuses past deadlines).
    ActionItem.objects.filter(meeting=meeting, title__startswith="筹备").update(
        deadline=today - dt.timedelta(days=5)
    )
    _turpan_schools(rng)
    Pairing.objects.filter(
        status=PairingStatus.ACTIVE, proposed_at__gte=clock.now() - dt.timedelta(days=1)
    ).update(is_demo=True)
    # The answers to the demo's historic proposals (accepted years ago) are not news: the bell shows what waits.
    for pk in Pairing.objects.filter(is_demo=True, status=PairingStatus.ACTIVE).values_list("pk", flat=True):
        notifications_settle(kind="pairing_answer", target_id=pk)
