"""Demo of the livelihood services: 扬州's enterprises posting jobs for 新源 workers, a special job fair, applications
and placements with retention; training classes at two sites (one finished, with certificates; one running today,
with a session the demo resident can sign in to); volunteer teams with a year of hours; cadre–family pairs in 新源县
with visits and aid (a few without a visit for a quarter).

Logins added: ``yangzhou-employer`` (an enterprise's coordinator), ``yangzhou-trainer`` (a training site's teacher),
``volunteer-leader`` (a resident leading a team). The job-seekers, learners and volunteers behind the figures are
accounts without a demo login (``demo-person-*``)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from shiliu.accounts.models import User
from shiliu.accounts.services import user_create
from shiliu.jurisdiction.roles import Role
from shiliu.lib import clock
from shiliu.orgs.models import Organization, UnitKind
from shiliu.regions.models import Region

from . import derived, services
from .models import (
    Application,
    Attendance,
    AttendanceMethod,
    Enrolment,
    HoursStatus,
    Job,
    JobFair,
    KinshipAid,
    KinshipPairing,
    KinshipVisit,
    SeekerNeed,
    TrainingClass,
    TrainingSession,
    VolunteerHours,
    VolunteerTeam,
)

PEOPLE_PREFIX = "demo-person-"
KAZAKH = [
    "阿依古丽",
    "努尔兰",
    "古丽娜尔",
    "叶尔兰",
    "阿斯哈尔",
    "哈娜提",
    "别克",
    "加娜尔",
    "买买提",
    "热依拉",
    "艾力",
    "帕丽达",
]
ENTERPRISES = ["扬州宝胜电缆有限公司", "扬州五亭龙玩具有限公司", "扬州江都家纺有限公司"]
# (employer index, title, occupation, wage range, housing, meals, languages)
JOBS = [
    (0, "电缆装配工", "6", (5500, 7500), True, True, "国家通用语言"),
    (0, "质检员", "6", (5000, 6500), True, True, "国家通用语言"),
    (0, "叉车司机", "6", (6000, 8000), True, False, ""),
    (1, "缝纫工", "6", (4500, 6500), True, True, "国家通用语言、哈萨克语"),
    (1, "门店导购", "4", (3800, 5000), False, True, "国家通用语言"),
    (1, "电商客服", "3", (4000, 5200), True, True, "国家通用语言"),
    (2, "家纺缝制工", "6", (4800, 6800), True, True, ""),
    (2, "仓储物流员", "4", (4500, 6000), True, True, ""),
    (2, "行政文员", "3", (3500, 4500), False, False, "国家通用语言"),
]


def clear() -> None:
    VolunteerTeam.objects.filter(is_demo=True).delete()
    KinshipPairing.objects.filter(is_demo=True).delete()
    TrainingClass.objects.filter(is_demo=True).delete()
    JobFair.objects.filter(is_demo=True).delete()
    Job.objects.filter(is_demo=True).delete()
    SeekerNeed.objects.filter(is_demo=True).delete()
    User.objects.filter(username__startswith=PEOPLE_PREFIX).delete()


def _person(n: int, name: str, region: Region, role: str = Role.RESIDENT) -> User:
    """An account behind the figures, with no password (not a demo login)."""
    user = User.objects.filter(username=f"{PEOPLE_PREFIX}{n}").first()
    if user is None:
        user = user_create(
            username=f"{PEOPLE_PREFIX}{n}",
            password=None,  # type: ignore[arg-type]
            role=role,
            region=region,
            display_name=name,
            validate=False,
        )
    return user


def _mark_demo(*objs: Any) -> None:
    for obj in objs:
        type(obj).objects.filter(pk=obj.pk).update(is_demo=True)


def build(builder: Any) -> None:
    rng = random.Random(15)  # noqa: S311 - demo data
    yangzhou = User.objects.filter(username="yangzhou").first()
    xinyuan = User.objects.filter(username="xinyuan").first()
    resident = User.objects.filter(username="resident").first()
    xy = Region.objects.filter(code="654025").first()
    if not (yangzhou and xinyuan and resident and xy):
        return
    county = (
        Region.objects.filter(code__startswith="3210", level="county", is_dev_zone=False)
        .order_by("code")
        .first()
    )
    if county is None:
        return
    today = clock.today()
    township = Region.objects.filter(code="654025100").first() or xy
    people = [_person(i, rng.choice(KAZAKH), township) for i in range(14)]
    employers = [builder.unit(county, name, UnitKind.ENTERPRISE) for name in ENTERPRISES]
    builder.user(
        "yangzhou-employer", Role.UNIT_COORDINATOR, county, employers[0], name=f"{employers[0].name}人事专员"
    )
    employer_user = User.objects.get(username="yangzhou-employer")

    # --- jobs and a fair -------------------------------------------------------------------------------------
    jobs = []
    for index, title, occupation, (low, high), housing, meals, languages in JOBS:
        job = services.job_create(
            actor=yangzhou,
            data={
                "employer": employers[index], "title": title, "occupation": occupation,
                "place": f"{county.name}{rng.randint(1, 200)}号", "wage_min": low, "wage_max": high,
                "hours": "每天8小时，每周休息1天", "housing": housing, "meals": meals, "languages": languages,
                "requirements": "18—45周岁，身体健康，能适应倒班" if occupation == "6" else "",
                "openings": rng.choice([5, 10, 20]), "closes_on": today + dt.timedelta(days=rng.randint(20, 90)),
            },
            recruit_from=[xy],
        )  # fmt: skip
        jobs.append(job)
    Job.objects.filter(pk__in=[j.pk for j in jobs]).update(is_demo=True)
    fair = services.fair_create(
        actor=yangzhou,
        data={"title": "扬州—新源务工人员专场招聘会", "region": county, "origin_region": xy, "organiser": None,
              "held_on": today - dt.timedelta(days=240), "place": f"{county.name}人力资源市场"},
        employers=employers,
        jobs=jobs[:6],
    )  # fmt: skip
    _mark_demo(fair)

    # --- applications, placements, retention (backdated so the 3- and 6-month checks have come) ---------------
    for n, person in enumerate(people[:12]):
        job = jobs[n % 7]
        application = services.application_submit(actor=person, job=job, note="希望尽快上岗")
        applied = today - dt.timedelta(days=250 - n * 12)
        Application.objects.filter(pk=application.pk).update(
            created_at=dt.datetime.combine(applied, dt.time(10), tzinfo=dt.UTC)
        )
        application.refresh_from_db()
        if n % 4 == 3:
            services.application_answer(
                actor=employer_user if job.employer_id == employers[0].pk else yangzhou,
                application=application,
                accept=False,
                answer="岗位已招满，推荐您关注其他岗位",
            )
            continue
        if n >= 10:
            continue  # still waiting for an answer
        services.application_answer(
            actor=yangzhou, application=application, accept=True, answer="欢迎加入，请按约定时间报到"
        )
        placement = services.placement_record(
            actor=yangzhou,
            application=application,
            started_on=applied + dt.timedelta(days=7),
            wage=job.wage_min + 500,
        )
        if placement.due_3m <= today:
            services.placement_retention(actor=yangzhou, placement=placement, months=3, retained=n % 5 != 4)
            placement.refresh_from_db()
            if placement.retained_3m and placement.due_6m <= today and n % 3:
                services.placement_retention(actor=yangzhou, placement=placement, months=6, retained=n != 6)
    services.application_submit(actor=resident, job=jobs[3], note="会缝纫，有三年经验")

    # --- the seekers' list from 新源 ----------------------------------------------------------------------------
    yz = Region.objects.get(code="3210")
    for occupation, wanted, wage, langs, seekers in [
        ("6", "电子装配、缝纫等工厂岗位", 5000, "国家通用语言", 40),
        ("4", "餐饮服务", 4500, "", 15),
        ("5", "设施农业", 4000, "哈萨克语", 10),
        ("4", "网约车驾驶", 7000, "", 6),
    ]:
        need = services.seeker_need_create(
            actor=xinyuan,
            data={"origin_region": xy, "occupation": occupation, "wanted": wanted, "place_region": yz,
                  "wage_min": wage, "languages": langs, "seekers": seekers},
        )  # fmt: skip
        _mark_demo(need)

    # --- training at two sites ----------------------------------------------------------------------------------
    yz_site = builder.unit(county, "扬州市职业技能公共实训基地", UnitKind.SCHOOL)
    xy_site = builder.unit(xy, "新源县国家通用语言培训点", UnitKind.SCHOOL)
    builder.user("yangzhou-trainer", Role.UNIT_COORDINATOR, county, yz_site, name="实训基地教师")
    trainer = User.objects.get(username="yangzhou-trainer")
    past = TrainingClass.objects.create(
        title="国家通用语言+缝纫技能培训班（第一期）", site=xy_site, region=xy, kind="both",
        starts_on=today - dt.timedelta(days=150), ends_on=today - dt.timedelta(days=120), capacity=30,
        teacher=xinyuan, created_by=xinyuan, is_demo=True, description="白天学技能，晚上学国家通用语言。",
    )  # fmt: skip
    running = services.class_create(
        actor=trainer,
        data={"title": "电工技能培训班", "site": yz_site, "kind": "skills", "origin_region": xy,
              "starts_on": today - dt.timedelta(days=7), "ends_on": today + dt.timedelta(days=21), "capacity": 25,
              "teacher": trainer, "description": "面向新源籍务工人员的低压电工实操培训。"},
    )  # fmt: skip
    _mark_demo(running)
    for k in range(6):
        day = past.starts_on + dt.timedelta(days=k * 5)
        session = TrainingSession.objects.create(
            training_class=past, held_on=day, starts_at=dt.time(19), ends_at=dt.time(21), topic=f"第{k + 1}课"
        )
        for person in people[:10]:
            enrolment, _made = Enrolment.objects.get_or_create(training_class=past, learner=person)
            if rng.random() < 0.85:
                Attendance.objects.create(
                    session=session, enrolment=enrolment, method=AttendanceMethod.TEACHER, recorded_by=xinyuan
                )
    derived.sync_class(klass=past, actor=xinyuan)
    for enrolment in past.enrolments.all()[:8]:
        services.enrolment_complete(actor=xinyuan, enrolment=enrolment, completed_on=past.ends_on)
    for k, day in enumerate(
        [today - dt.timedelta(days=6), today - dt.timedelta(days=3), today, today + dt.timedelta(days=4)]
    ):
        services.session_add(
            actor=trainer,
            klass=running,
            data={
                "held_on": day,
                "starts_at": dt.time(9),
                "ends_at": dt.time(11, 30),
                "topic": ["安全用电", "电工工具", "照明线路", "配电箱"][k],
            },
        )
    for person in people[6:12]:
        enrolment = services.enrol(actor=person, klass=running)
        for session in running.sessions.filter(held_on__lt=today):
            Attendance.objects.create(
                session=session, enrolment=enrolment, method=AttendanceMethod.QR, recorded_by=person
            )

    # --- volunteer teams with a year of hours ---------------------------------------------------------------------
    builder.user("volunteer-leader", Role.RESIDENT, township, name="石榴红服务队队长")
    leader = User.objects.get(username="volunteer-leader")
    xy_team = services.team_create(
        actor=xinyuan,
        data={"name": "新源镇石榴红志愿服务队", "region": township, "leader": leader},
        members=[resident, *people[:6]],
    )
    yz_community = (
        Organization.objects.filter(region__code__startswith=county.code, kind=UnitKind.COMMUNITY)
        .order_by("pk")
        .first()
    )
    yz_region = yz_community.region if yz_community else county
    yz_team = services.team_create(
        actor=yangzhou,
        data={"name": "琼花石榴红志愿服务队", "region": yz_region, "unit": yz_community, "leader": yangzhou},
        members=people[6:12],
    )
    tasks = ["为老人理发", "国家通用语言辅导", "政策宣讲", "义诊", "社区环境整治", "法律咨询", "陪伴留守儿童"]
    rows = []
    for team, members in ((xy_team, [resident, *people[:6]]), (yz_team, people[6:12])):
        for _ in range(80 if team is xy_team else 60):
            day = today - dt.timedelta(days=rng.randint(1, 365))
            status = (
                HoursStatus.APPROVED
                if day < today - dt.timedelta(days=10) or rng.random() < 0.4
                else HoursStatus.PENDING
            )
            rows.append(VolunteerHours(
                team=team, volunteer=rng.choice(members), served_on=day, hours=Decimal(rng.choice(["1.5", "2", "3", "4"])),
                beneficiaries=rng.randint(3, 40), description=rng.choice(tasks), status=status,
                decided_by=team.leader if status == HoursStatus.APPROVED else None,
                decided_at=clock.now() if status == HoursStatus.APPROVED else None,
            ))  # fmt: skip
    VolunteerHours.objects.bulk_create(rows)
    days = {(r.team.pk, r.served_on): r.team for r in rows if r.status == HoursStatus.APPROVED}
    for (_team_id, day), team in sorted(days.items(), key=lambda item: (item[0][0], item[0][1])):
        derived.sync_volunteer_day(team=team, served_on=day, actor=team.leader)
    VolunteerTeam.objects.filter(pk__in=[xy_team.pk, yz_team.pk]).update(is_demo=True)

    # --- cadre–family pairs in 新源县 ----------------------------------------------------------------------------
    villages = list(
        Region.objects.filter(code__startswith="654025", level="village").order_by("code")[:6]
    ) or [township]
    households = [
        "买买提·艾力家",
        "努尔兰·别克家",
        "马秀兰家",
        "阿依古丽家",
        "叶尔兰家",
        "热依拉家",
        "哈娜提家",
        "王建国家",
        "帕丽达家",
        "古丽娜尔家",
    ]
    cadres = [xinyuan] + [
        _person(100 + k, name, township, Role.COMMISSION_STAFF)
        for k, name in enumerate(["王建华", "李秀英", "张志强"])
    ]
    for n, household in enumerate(households):
        pairing = services.kinship_pair(
            actor=xinyuan,
            data={"cadre": cadres[n % len(cadres)], "household": household, "region": villages[n % len(villages)],
                  "members": rng.randint(2, 6), "paired_on": today - dt.timedelta(days=400), "cadre_unit": None},
        )  # fmt: skip
        _mark_demo(pairing)
        last = 120 if n in (2, 7) else 20  # two pairs without a visit for a quarter
        for k in range(5):
            day = today - dt.timedelta(days=last + k * 75)
            visit = KinshipVisit.objects.create(pairing=pairing, visited_on=day, activities=rng.choice(["同吃同住同劳动", "宣讲惠民政策", "了解就业意愿"]),
                                        help_given=rng.choice(["", "联系就业岗位", "协助办理医保"]), created_by=pairing.cadre)  # fmt: skip
            derived.sync_visit(visit=visit, actor=xinyuan)
        if n % 3 == 0:
            KinshipAid.objects.create(pairing=pairing, given_on=today - dt.timedelta(days=60), kind="money", description="助学金",
                                      amount=Decimal(rng.choice([300, 500, 800])), giver=pairing.cadre.display_name or "结对干部",
                                      created_by=pairing.cadre)  # fmt: skip
