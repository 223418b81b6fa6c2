"""The demo data set: units and logins modelled on the pairings in the reference reports.

Regions come from the loaded reference data (real codes and names); communities and villages use the real
village/community names when villages were loaded for the demo counties. Every record is flagged
``is_demo``. The apps above add their own records through ``_demo_apps``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction

from shiliu.accounts.models import User
from shiliu.accounts.services import user_create
from shiliu.jurisdiction.roles import Role
from shiliu.orgs.models import Locality, Organization, UnitKind
from shiliu.regions.models import Level, Region
from shiliu.regions.pinyin import place_pinyin

# (login, division code): one commission staff login per side of the demo pairings.
STAFF_LOGINS: list[tuple[str, str]] = [
    ("yangzhou", "3210"),
    ("xinyuan", "654025"),
    ("fuzhou", "3501"),
    ("quanzhou", "3505"),
    ("pingtan", "350128"),
    ("changdu", "5403"),
    ("xiamen", "3502"),
    ("changji", "6523"),
    ("dingxi", "6211"),
    ("nanning", "4501"),
    ("chongzuo", "4514"),
    ("hunan", "43"),
    ("turpan", "6504"),
    ("chengdu", "5101"),
    ("aba", "5132"),
    ("ganzi", "5133"),
    ("liangshan", "5134"),
]

# Units named in the reports, placed in their real divisions: (division code, name, kind).
NAMED_UNITS: list[tuple[str, str, UnitKind]] = [
    ("3210", "苏北人民医院", UnitKind.HOSPITAL),
    ("3210", "扬州市中医院", UnitKind.HOSPITAL),
    ("3210", "扬州市妇幼保健院", UnitKind.HOSPITAL),
    ("3210", "扬州市教育科学研究院", UnitKind.AGENCY),
    ("654025", "新源县妇幼保健院", UnitKind.HOSPITAL),
    ("654025", "扬州市援疆前方指挥组", UnitKind.AID_COMMAND),
    ("654025104", "那拉提旅游风景区", UnitKind.TOURISM),
    ("350128", "平潭城东小学", UnitKind.SCHOOL),
    ("6504", "湖南援疆前方指挥部", UnitKind.AID_COMMAND),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红梅海燕文博思远佳怡子涵雨欣"


@dataclass
class DemoReport:
    units: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (login, role, jurisdiction)


def _short(name: str) -> str:
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "盟", "旗"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _counties(region: Region) -> list[Region]:
    """Up to two real counties to put schools, hospitals and the like in."""
    if region.level in (Level.COUNTY, Level.TOWNSHIP):
        return [region]
    qs = Region.objects.filter(
        code__startswith=region.code, level=Level.COUNTY, is_dev_zone=False, valid_to__isnull=True
    )
    return list(qs.order_by("code")[:2])


class _Builder:
    def __init__(self, seed: int = 2026) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not security
        self.report = DemoReport()

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2)))
        )

    def phone(self) -> str:
        return "1" + self.rng.choice("3589") + "".join(self.rng.choice("0123456789") for _ in range(9))

    def unit(
        self, region: Region, name: str, kind: str, parent: Organization | None = None, locality: str = ""
    ) -> Organization:
        full, initials = place_pinyin(name)
        unit, created = Organization.objects.update_or_create(
            region=region,
            name=name,
            defaults={
                "kind": kind,
                "parent": parent,
                "locality": locality,
                "pinyin": full,
                "initials": initials,
                "is_demo": True,
                "address": f"{region.name}{self.rng.randint(1, 300)}号",
                "contact_name": self.person(),
                "contact_phone": self.phone(),
            },
        )
        self.report.units += created
        return unit

    def region_units(self, region: Region) -> Organization:
        short = _short(region.name)
        province = region.level == Level.PROVINCE
        commission = self.unit(region, f"{region.name}民族宗教事务委员会", UnitKind.COMMISSION)
        self.unit(region, f"{region.name}教育{'厅' if province else '局'}", UnitKind.AGENCY, commission)
        self.unit(
            region,
            f"{region.name}文化{'和' if province else '广电和'}旅游{'厅' if province else '局'}",
            UnitKind.AGENCY,
        )
        if province:
            return commission
        for county in _counties(region):
            cshort = _short(county.name)
            # Schools of the county town are urban, the townships' central schools rural (街道 urban): so that
            # 智能配对's default groups (urban A, rural B) find units in the demo.
            self.unit(county, f"{cshort}第一中学", UnitKind.SCHOOL, locality=Locality.URBAN)
            self.unit(county, f"{cshort}实验小学", UnitKind.SCHOOL, locality=Locality.URBAN)
            self.unit(county, f"{county.name}人民医院", UnitKind.HOSPITAL)
            self.unit(county, f"{county.name}中医医院", UnitKind.HOSPITAL)
            self.unit(county, f"{cshort}文化旅游发展有限公司", UnitKind.TOURISM)
            self.unit(county, f"{cshort}现代农业发展有限公司", UnitKind.ENTERPRISE)
            self.unit(county, f"{cshort}志愿者协会", UnitKind.SOCIAL_ORG)
            townships = list(Region.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code")[:3])
            for township in townships:
                rural = not township.name.endswith("街道")
                self.unit(
                    township,
                    f"{township.name}中心小学",
                    UnitKind.SCHOOL,
                    locality=Locality.RURAL if rural else Locality.URBAN,
                )
            for village in self._villages(county, "社区", 3):
                self.unit(
                    village,
                    village.name.removesuffix("居民委员会").removesuffix("居委会"),
                    UnitKind.COMMUNITY,
                )
            for village in self._villages(county, "村", 3):
                self.unit(
                    village, village.name.removesuffix("民委员会").removesuffix("委会"), UnitKind.VILLAGE
                )
        del short
        return commission

    def _villages(self, county: Region, marker: str, n: int) -> Iterator[Region]:
        qs = Region.objects.filter(code__startswith=county.code, level=Level.VILLAGE, name__contains=marker)
        yield from qs.order_by("code")[:n]

    def user(
        self,
        username: str,
        role: str,
        region: Region | None,
        unit: Organization | None = None,
        name: str = "",
    ) -> None:
        existing = User.objects.filter(username=username).first()
        if existing is None:
            user_create(
                username=username,
                password=settings.SHILIU_DEMO_PASSWORD,
                role=role,
                region=region,
                organization=unit,
                display_name=name or username,
                is_demo=True,
            )
        else:
            # Refresh in place: records the demo user made (pairings, meetings) keep pointing at them.
            existing.role, existing.region, existing.organization = role, region, unit
            existing.display_name, existing.is_demo, existing.is_active = name or username, True, True
            existing.set_password(settings.SHILIU_DEMO_PASSWORD)
            existing.full_clean()
            existing.save()
        self.report.users.append((username, role, region.name if region else "全国"))


def _demo_apps() -> list[Any]:
    """The apps that add to the demo, bottom to top. Each has ``clear()`` and ``build(builder)``; records of a
    higher app point at a lower one's, so clearing runs top-down and building bottom-up."""
    from shiliu.culture import demo as culture_demo
    from shiliu.exchanges import demo as exchanges_demo
    from shiliu.indicators import demo as indicators_demo
    from shiliu.pairings import demo as pairings_demo
    from shiliu.reports import demo as reports_demo
    from shiliu.residents import demo as residents_demo

    # The reports' analytics tables are rebuilt last, once every module has written its records.
    return [pairings_demo, exchanges_demo, residents_demo, culture_demo, indicators_demo, reports_demo]


# What a demo reset keeps: the reference data loaded by ``load_regions`` and by the migrations (divisions, ethnic
# groups, the standard mechanisms, activity types), the content types and permissions Django derives from the code.
KEEP_ON_RESET = {
    "regions.region",
    "regions.succession",
    "regions.ethnicgroup",
    "pairings.mechanism",
    "exchanges.activitytype",
    "runtime.calendarday",  # the official calendar (seeded by a migration, extended by administrators)
    "runtime.calendaryear",
    "indicators.dataelement",
    "indicators.indicator",
    "indicators.indicatorsystem",
    "indicators.systemnode",
    "contenttypes.contenttype",
    "auth.permission",
}


def demo_reset() -> int:
    """Empty every working table of the demo database (units, logins, pairings, activities, notifications, tasks,
    sessions, audit log …), keeping the reference data in ``KEEP_ON_RESET``. Returns how many tables were emptied.

    ``make demo`` resets instead of refreshing around what the user added: a record added under a demo pairing
    (an activity, a booking, an import) holds on to the demo records, so refreshing them in place either fails
    (``ProtectedError``) or silently rewires the user's record to new demo data. Like ``manage.py flush`` but with
    the reference data kept, so the divisions need not be loaded again.
    """
    tables = set()
    for model in django_apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue
        label = model._meta.label_lower
        if label in KEEP_ON_RESET:
            continue
        if model._meta.auto_created:  # a many-to-many table: kept only when both of its ends are kept
            ends = {
                f.related_model._meta.label_lower
                for f in model._meta.fields
                if f.related_model and not isinstance(f.related_model, str)
            }
            if ends <= KEEP_ON_RESET:
                continue
        tables.add(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    # A kept table may point at a table being emptied (the official calendar names the administrator who entered a
    # year). PostgreSQL refuses to TRUNCATE a table another table references unless both go in one command, rows or
    # not: such kept tables are emptied with the rest and written back, their references to the emptied tables
    # cleared (the people they named are gone with the demo).
    refilled: dict[Any, list[dict[str, Any]]] = {}
    for kept in django_apps.get_models():
        if kept._meta.label_lower not in KEEP_ON_RESET:
            continue
        cleared = [
            reference.attname
            for reference in kept._meta.fields
            if reference.is_relation
            and not isinstance(reference.related_model, str)
            and reference.related_model is not None
            and reference.related_model._meta.db_table in tables
        ]
        if cleared:
            refilled[kept] = [{**row, **dict.fromkeys(cleared)} for row in kept._base_manager.values()]
            tables.add(kept._meta.db_table)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses a table with foreign-key checks still pending in this transaction: run them now.
        connection.check_constraints()
    statements = connection.ops.sql_flush(
        no_style(), sorted(tables & existing), reset_sequences=False, allow_cascade=False
    )
    connection.ops.execute_sql_flush(statements)
    for kept, rows in refilled.items():
        kept._base_manager.bulk_create([kept(**row) for row in rows])
        tables.discard(kept._meta.db_table)
    # Mechanisms an agreement added (not the standard seven) belonged to the agreements just removed.
    django_apps.get_model("pairings", "Mechanism").objects.filter(is_standard=False).delete()
    return len(tables & existing)


@transaction.atomic
def build_demo(seed: int = 2026) -> DemoReport:
    """Create (or refresh) the demo units and logins. Needs the divisions loaded first."""
    b = _Builder(seed)
    commissions: dict[str, Organization] = {}
    for _login, code in STAFF_LOGINS:
        commissions[code] = b.region_units(Region.objects.get(code=code))
    for code, name, kind in NAMED_UNITS:
        b.unit(Region.objects.get(code=code), name, kind)

    b.user("admin", Role.PLATFORM_ADMIN, None, name="平台管理员")
    for login, code in STAFF_LOGINS:
        region = Region.objects.get(code=code)
        b.user(login, Role.COMMISSION_STAFF, region, name=f"{region.name}民宗委工作人员")
    xinyuan = Region.objects.get(code="654025")
    school = Organization.objects.get(region=xinyuan, name="新源第一中学")
    b.user("xinyuan-school", Role.UNIT_COORDINATOR, xinyuan, school, name="新源第一中学协调员")
    yangzhou_county = _counties(Region.objects.get(code="3210"))[0]
    yz_school = Organization.objects.get(
        region=yangzhou_county, name=f"{_short(yangzhou_county.name)}第一中学"
    )
    b.user(
        "yangzhou-school", Role.UNIT_COORDINATOR, yangzhou_county, yz_school, name=f"{yz_school.name}协调员"
    )
    b.user("resident", Role.RESIDENT, Region.objects.get(code="654025100"), name="新源镇居民")
    apps = _demo_apps()
    for app in reversed(apps):
        app.clear()
    for app in apps:
        app.build(b)
    return b.report
