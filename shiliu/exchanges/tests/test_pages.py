import io

import pytest
from openpyxl import load_workbook

from conftest import exported
from shiliu.exchanges.models import Activity, ActivityType


def form(**extra):
    data = {
        "title": "扬州新源青少年夏令营",
        "activity_type": ActivityType.objects.get(name="夏令营/冬令营").pk,
        "plan_youth": "on",
        "start_date": "2026-07-10",
        "end_date": "2026-07-16",
        "sending_region": "654025",
        "receiving_region": "3210",
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "1",
        "rows-MAX_NUM_FORMS": "1000",
        "rows-0-category": "student",
        "rows-0-ethnic_group": "17",
        "rows-0-age_band": "u18",
        "rows-0-gender": "f",
        "rows-0-count": "12",
        "rows-1-category": "teacher",
        "rows-1-ethnic_group": "01",
        "rows-1-age_band": "o35",
        "rows-1-gender": "m",
        "rows-1-count": "3",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_record_confirm_and_see_the_statistics_with_drill_down(client, login, yangzhou, xinyuan, paired):
    login(xinyuan)
    response = client.post("/exchanges/new/", form())
    assert response.status_code == 302, response.content.decode()[:2000]
    a = Activity.objects.get()
    login(yangzhou)
    page = client.get(f"/exchanges/{a.pk}/").content.decode()
    assert 'data-testid="confirm-form"' in page
    client.post(f"/exchanges/{a.pk}/action/", {"action": "confirm"})
    stats = client.get("/exchanges/statistics/").content.decode()
    assert 'data-testid="stat-batches">1<' in stats and 'data-testid="stat-people">15<' in stats
    assert 'data-testid="stat-receiving">1 / 15<' in stats
    drill = client.get(
        "/exchanges/", {"region": "3210", "status": "confirmed", "role": "receiving", "ethnic_group": "17"}
    ).content.decode()
    assert "扬州新源青少年夏令营" in drill
    book = load_workbook(io.BytesIO(client.get("/exchanges/statistics.xlsx", {"region": "3210"}).content))
    assert book.sheetnames == ["概况", "三项计划", "类型", "人员类别", "民族", "主要交流地区"]
    overview = {row[0]: row[1:] for row in book["概况"].iter_rows(values_only=True)}
    assert overview["批次（活动数）"][0] == 1 and overview["人次"][0] == 15
    assert overview["作为接待方"][:2] == (1, 15)
    # the same figures as the page (扬州 is a party here, so its cell of 3 is not suppressed for it)
    assert [tuple(r) for r in book["民族"].iter_rows(min_row=2, values_only=True)] == [
        ("哈萨克族", 12),
        ("汉族", 3),
    ]
    sheet = load_workbook(
        io.BytesIO(exported(client, "/exchanges/export.xlsx", {"status": "confirmed"}).content)
    ).active
    assert [(r[1], r[16]) for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("扬州新源青少年夏令营", 12),
        ("扬州新源青少年夏令营", 3),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rows-1-count": "-4"}, "大于或等于1"),
        ({"rows-1-count": "1000000"}, "小于或等于100000"),
        ({"end_date": "2026-07-01"}, "结束日期早于开始日期"),
        ({"plan_youth": ""}, "三项计划"),
        ({"receiving_region": "510104"}, "结对"),
    ],
)
def test_bad_activity_forms_get_chinese_messages_and_save_nothing(
    client, login, xinyuan, paired, change, message
):
    login(xinyuan)
    response = client.post("/exchanges/new/", form(**change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_an_outsider_sees_neither_the_activity_nor_its_numbers(client, login, xinyuan, outsider, paired):
    login(xinyuan)
    client.post("/exchanges/new/", form())
    a = Activity.objects.get()
    login(outsider)
    assert client.get(f"/exchanges/{a.pk}/").status_code == 404
    assert "扬州新源" not in client.get("/exchanges/").content.decode()
    assert client.post(f"/exchanges/{a.pk}/action/", {"action": "confirm"}).status_code == 404


@pytest.mark.django_db
def test_untouched_extra_rows_are_ignored(client, login, xinyuan, paired):
    login(xinyuan)
    data = form(**{"rows-TOTAL_FORMS": "4", "rows-2-gender": "u", "rows-3-gender": "u"})
    assert client.post("/exchanges/new/", data).status_code == 302
    assert sum(p.count for p in Activity.objects.get().participations.all()) == 15


@pytest.mark.django_db
def test_the_ledger_and_statistics_exports_write_formula_like_text_as_text(
    client, login, yangzhou, xinyuan, paired
):
    from shiliu.lib.tests.test_downloads import EVIL, assert_no_formula

    ActivityType.objects.create(name="+研学")  # an administrator's taxonomy entry
    login(xinyuan)
    data = form(title=EVIL, place="-扬州", activity_type=ActivityType.objects.get(name="+研学").pk)
    assert client.post("/exchanges/new/", data).status_code == 302
    login(yangzhou)
    a = Activity.objects.get()
    client.post(f"/exchanges/{a.pk}/action/", {"action": "confirm"})
    assert_no_formula(exported(client, "/exchanges/export.xlsx").content, EVIL, "-扬州", "+研学")
    assert_no_formula(client.get("/exchanges/statistics.xlsx", {"region": "3210"}).content, "+研学")
