"""Small cells: one rule for the statistics page, its export, the API, an activity's page and the ledger export.

A viewer inside an activity's owning party (by jurisdiction prefix) sees exact counts; a reader outside it (here
the coordinator of a 新源 school that took no part) sees "<5" and the complementary "×", so no hidden count comes
back by subtraction, and a hidden cell links nowhere.
"""

import io
import re

import pytest
from openpyxl import load_workbook

from conftest import exported
from shiliu.exchanges.ledger import selectors as ledger_selectors
from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.statistics import selectors as statistics_selectors
from shiliu.exchanges.tests.test_ledger import region, rows, visit

# cadre/哈萨克族 17: 6, public/汉族 01: 9, public/维吾尔族 05: 3 — total 18
HIDDEN_FOR_OUTSIDERS = {"01": "9", "17": "×", "05": "<5"}


@pytest.fixture
def confirmed(yangzhou, xinyuan, paired):
    """新源县 sends a delegation to 扬州's 广陵区 (a district: ownership must go by prefix, not by exact code)."""
    activity = ledger_services.activity_record(
        actor=xinyuan, data=visit(receiving_region=region("321002")), participations=rows()
    )
    return ledger_services.activity_confirm(actor=yangzhou, activity=activity)


def ethnic(stats):
    return {code: shown for code, _name, shown in stats.by_ethnic_group}


@pytest.mark.django_db
def test_a_commission_sees_exact_counts_of_its_own_districts_activities(confirmed, yangzhou):
    from conftest import make_user

    assert ethnic(statistics_selectors.activity_stats(user=yangzhou, region="3210")) == {
        "01": "9",
        "17": "6",
        "05": "3",
    }
    province = make_user("jiangsu", "commission_staff", "32")  # the level above owns it too
    assert ethnic(statistics_selectors.activity_stats(user=province, region="32"))["05"] == "3"


@pytest.mark.django_db
def test_an_outside_reader_cannot_work_out_a_small_cell_from_the_total(confirmed, xinyuan_coordinator):
    stats = statistics_selectors.activity_stats(user=xinyuan_coordinator, region="654025")
    assert ethnic(stats) == HIDDEN_FOR_OUTSIDERS
    assert stats.person_times == 18 and not stats.exact and stats.suppressed
    hidden = [cell for cell in ethnic(stats).values() if cell.hidden]
    assert len(hidden) >= 2  # 18 − 9 gives 9 for two cells, not 3 for one
    assert [cell.text for _k, _l, cell in stats.by_category] == ["12", "6"]  # no small cell there


@pytest.mark.django_db
def test_the_page_its_export_and_the_api_agree_on_every_suppressed_cell(
    client, login, confirmed, xinyuan_coordinator
):
    login(xinyuan_coordinator)
    stats = statistics_selectors.activity_stats(user=xinyuan_coordinator, region="654025")
    page = client.get("/exchanges/statistics/", {"region": "654025"}).content.decode()
    on_page = {
        code: re.sub(r"<[^>]+>", "", html).strip()
        for code, html in re.findall(r'data-testid="ethnic-(\d+)">(.*?)</td>', page, re.S)
    }
    assert on_page == {"01": "9", "17": "×", "05": "&lt;5"}
    book = load_workbook(io.BytesIO(client.get("/exchanges/statistics.xlsx", {"region": "654025"}).content))
    sheets = dict(zip(("plans", "types", "categories", "groups"), book.sheetnames[1:5], strict=True))
    cells = dict(book[sheets["groups"]].iter_rows(min_row=2, values_only=True))
    assert cells == {"汉族": 9, "哈萨克族": "×", "维吾尔族": "<5"}
    api = client.get("/api/activities/statistics", {"region": "654025"}).json()
    assert {c["key"]: c["shown"] for c in api["by_ethnic_group"]} == HIDDEN_FOR_OUTSIDERS
    assert {c["key"]: c["person_times"] for c in api["by_ethnic_group"]} == {"01": 9, "17": None, "05": None}
    assert api["suppressed"] is True
    # every breakdown, not only ethnic groups: category, type and plan cells agree too
    for key, table, column in (
        ("by_category", "categories", 1),
        ("by_type", "types", 2),
        ("by_plan", "plans", 2),
    ):
        cells = [row[column] for row in book[sheets[table]].iter_rows(min_row=2, values_only=True)]
        assert [c["shown"] for c in api[key]] == [str(c) for c in cells]
        assert [row[-1].text for row in getattr(stats, key)] == [str(c) for c in cells]


@pytest.mark.django_db
def test_a_hidden_cell_links_to_nothing(client, login, confirmed, xinyuan_coordinator, yangzhou):
    login(xinyuan_coordinator)
    page = client.get("/exchanges/statistics/", {"region": "654025"}).content.decode()
    assert "ethnic_group=01" in page  # a shown cell drills down
    assert "ethnic_group=05" not in page and "ethnic_group=17" not in page
    assert 'data-testid="suppression-note"' in page
    login(yangzhou)
    own = client.get("/exchanges/statistics/", {"region": "3210"}).content.decode()
    assert "ethnic_group=05" in own and 'data-testid="suppression-note"' not in own


@pytest.mark.django_db
def test_an_activitys_page_its_export_row_and_the_api_give_an_outside_reader_the_total_alone(
    client, login, confirmed, xinyuan_coordinator, xinyuan
):
    login(xinyuan_coordinator)
    page = client.get(f"/exchanges/{confirmed.pk}/").content.decode()
    assert re.findall(r"<td>([^<]*)</td>\s*</tr>", page) == []  # no row of the breakdown at all
    assert 'data-testid="breakdown-withheld"' in page and 'data-testid="activity-total">18<' in page
    book = load_workbook(io.BytesIO(exported(client, "/exchanges/export.xlsx").content))
    rows = [row[-5:] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert rows == [(None, None, None, None, 18)]
    assert client.get(f"/api/activities/{confirmed.pk}").json()["person_times"] == 18
    login(xinyuan)  # the sending side sees its own figures
    own = client.get(f"/exchanges/{confirmed.pk}/").content.decode()
    assert sorted(re.findall(r"<td>([^<]*)</td>\s*</tr>", own)) == ["3", "6", "9"]
    assert 'data-testid="breakdown-withheld"' not in own
    book = load_workbook(io.BytesIO(exported(client, "/exchanges/export.xlsx").content))
    assert sorted(row[-1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)) == [3, 6, 9]


@pytest.mark.django_db
def test_no_hidden_cell_comes_back_from_the_aggregate_minus_the_other_activities(
    client, login, confirmed, yangzhou, xinyuan, xinyuan_coordinator
):
    """Linked tables: the county's figure for 维吾尔族 is the sum over its activities. Were each activity's own
    (suppressed) rows published too, the aggregate minus the rows of the others would give back a hidden one."""
    from shiliu.exchanges.tests.test_ledger import group

    second = [
        {"category": "public", "ethnic_group": group("05"), "age_band": "o35", "gender": "f", "count": 6}
    ]
    ledger_services.activity_confirm(
        actor=yangzhou,
        activity=ledger_services.activity_record(actor=xinyuan, data=visit(), participations=second),
    )
    stats = statistics_selectors.activity_stats(user=xinyuan_coordinator, region="654025")
    assert ethnic(stats)["05"] == "9"  # 3 + 6: shown in the aggregate
    login(xinyuan_coordinator)
    for activity_id in ledger_selectors.activity_list(user=xinyuan_coordinator).values_list("pk", flat=True):
        page = client.get(f"/exchanges/{activity_id}/").content.decode()
        assert "维吾尔族" not in page  # 9 − 6 would give the first activity's 3 back
    book = load_workbook(io.BytesIO(exported(client, "/exchanges/export.xlsx").content))
    assert "维吾尔族" not in [row[-4] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]


@pytest.mark.django_db
def test_filtering_by_ethnic_group_or_category_finds_only_the_readers_own_activities(
    client, login, confirmed, xinyuan_coordinator, xinyuan
):
    """A URL such as ?ethnic_group=05 must not tell an outside reader which activity had a Uyghur participant."""
    login(xinyuan_coordinator)
    for query in ({"ethnic_group": "05"}, {"ethnic_group": "17"}, {"category": "cadre"}):
        page = client.get("/exchanges/", query).content.decode()
        assert f"/exchanges/{confirmed.pk}/" not in page, query
        book = load_workbook(io.BytesIO(exported(client, "/exchanges/export.xlsx", query).content))
        assert list(book.worksheets[0].iter_rows(min_row=2, values_only=True)) == [], query
    assert (
        f"/exchanges/{confirmed.pk}/" in client.get("/exchanges/").content.decode()
    )  # the activity itself shows
    login(xinyuan)  # its own side finds it by the group
    assert f"/exchanges/{confirmed.pk}/" in client.get("/exchanges/", {"ethnic_group": "05"}).content.decode()


@pytest.mark.django_db
def test_a_small_activity_total_is_hidden_from_outside_readers_in_the_api(
    client, login, yangzhou, xinyuan, paired, xinyuan_coordinator
):
    small = [{**rows()[2]}]  # 3 people in all
    activity = ledger_services.activity_confirm(
        actor=yangzhou,
        activity=ledger_services.activity_record(actor=xinyuan, data=visit(), participations=small),
    )
    login(xinyuan_coordinator)
    assert client.get(f"/api/activities/{activity.pk}").json()["person_times"] is None
    api = client.get("/api/activities/statistics", {"region": "654025"}).json()
    assert api["person_times"] is None and api["person_times_shown"] == "<5"
    login(xinyuan)
    assert client.get(f"/api/activities/{activity.pk}").json()["person_times"] == 3


@pytest.mark.django_db
def test_four_groups_of_one_person_are_not_listed_for_an_outside_reader(
    client, login, yangzhou, xinyuan, paired, xinyuan_coordinator
):
    from shiliu.exchanges.tests.test_ledger import group

    ones = [
        {"category": "public", "ethnic_group": group(code), "age_band": "o35", "gender": "f", "count": 1}
        for code in ("01", "05", "17", "03")
    ]
    activity = ledger_services.activity_confirm(
        actor=yangzhou,
        activity=ledger_services.activity_record(actor=xinyuan, data=visit(), participations=ones),
    )
    stats = statistics_selectors.activity_stats(user=xinyuan_coordinator, region="654025")
    assert stats.person_times.text == "<5" and stats.by_ethnic_group == []
    assert [cell.text for _k, _l, cell in stats.by_category] == ["<5"]  # one category: nothing to work out
    login(xinyuan_coordinator)
    page = client.get(f"/exchanges/{activity.pk}/").content.decode()
    assert re.findall(r"<td>([^<]*)</td>\s*</tr>", page) == []
    assert 'data-testid="activity-total">&lt;5<' in page
    api = client.get("/api/activities/statistics", {"region": "654025"}).json()
    assert api["by_ethnic_group"] == [] and api["person_times_shown"] == "<5"
    assert len(statistics_selectors.activity_stats(user=xinyuan, region="654025").by_ethnic_group) == 4


@pytest.mark.django_db
def test_the_statistics_name_groups_and_types_in_the_readers_language(confirmed, yangzhou):
    from django.utils import translation

    with translation.override("en"):
        stats = statistics_selectors.activity_stats(user=yangzhou, region="3210")
    assert {name for _c, name, _s in stats.by_ethnic_group} == {"Han", "Kazak", "Uygur"}
    assert all(name.isascii() for _k, name, _n, _c in stats.by_type)
    with translation.override("zh-hans"):
        stats = statistics_selectors.activity_stats(user=yangzhou, region="3210")
    assert {name for _c, name, _s in stats.by_ethnic_group} == {"汉族", "哈萨克族", "维吾尔族"}
