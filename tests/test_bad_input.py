"""Bad input gets a clear 4xx, never a 500: huge numbers in paging, ids and filters, nulls, broken bodies."""

import pytest

from shiliu.exchanges.youth import services as youth_services
from shiliu.web.api import api

HUGE = "9223372036854775808"  # 2**63: one past the largest 64-bit integer


def _list_operations() -> list[str]:
    schema = api.get_openapi_schema(path_prefix="/api/")
    return sorted(
        path
        for path, item in schema["paths"].items()
        if "get" in item and any(p["name"] == "offset" for p in item["get"].get("parameters", []))
    )


LISTS = _list_operations()


def test_every_list_of_the_api_pages():
    assert {"/api/units", "/api/regions", "/api/pairings", "/api/activities", "/api/offers"} <= set(LISTS)


@pytest.mark.django_db
@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("param", ["offset", "limit"])
def test_a_huge_offset_or_limit_is_refused_with_422(client, login, yangzhou, path, param):
    login(yangzhou)
    response = client.get(path, {param: HUGE})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "请求数据不合法。" and body["errors"][0]["loc"][-1] == param


@pytest.mark.django_db
def test_a_reasonable_page_still_works_and_keeps_its_default_size(client, login, yangzhou, yz_school):
    login(yangzhou)
    response = client.get("/api/units", {"offset": 0, "limit": 200})
    assert response.status_code == 200 and response.json()["count"] == 1
    assert client.get("/api/units", {"limit": 201}).status_code == 422


@pytest.mark.django_db
def test_a_meeting_attendee_id_past_64_bits_is_refused(client, login, yangzhou, xinyuan, yz_school):
    from shiliu.pairings import services
    from shiliu.regions.models import Region

    p = services.pairing_propose(
        actor=yangzhou, kind="co_building", a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )  # fmt: skip
    services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
    login(yangzhou)
    response = client.post(
        f"/api/pairings/{p.pk}/meetings",
        {"title": "联席会议", "held_at": "2026-05-01T10:00", "place": "扬州", "attendee_ids": [2**63]},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["loc"][-2:] == ["attendee_ids", 0]
    assert client.get(f"/api/pairings/{HUGE}").status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["address", "name", "contact_phone", "description"])
def test_null_for_a_text_field_is_refused_and_changes_nothing(client, login, yangzhou, yz_school, field):
    login(yangzhou)
    response = client.patch(f"/api/units/{yz_school.pk}", {field: None}, content_type="application/json")
    assert response.status_code == 422, response.content
    yz_school.refresh_from_db()
    assert yz_school.name == "扬州市育才小学" and yz_school.contact_phone == "13812345678"


@pytest.mark.django_db
def test_a_body_that_is_not_a_json_object_is_refused(client, login, yangzhou, yz_school):
    login(yangzhou)
    response = client.patch(f"/api/units/{yz_school.pk}", "[null, null]", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求正文须为 JSON 对象。"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "application/x-www-form-urlencoded"],
)
def test_a_token_request_that_is_not_json_gets_400(client, yangzhou, content_type):
    response = client.post("/api/token", b"username=yangzhou&password=x", content_type=content_type)
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == "请求正文须为 JSON 对象。"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"/exchanges/?pairing={HUGE}",
        f"/exchanges/?type={HUGE}",
        f"/exchanges/export.xlsx?pairing={HUGE}",
        f"/exchanges/export.xlsx?type={HUGE}",
        "/exchanges/?pairing=99999999999999999999999",
    ],
)
def test_a_huge_id_in_a_page_filter_gets_a_clear_400(client, login, yangzhou, url):
    login(yangzhou)
    response = client.get(url)
    assert response.status_code == 400
    assert "参数" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [f"/units/{HUGE}/", f"/pairings/{HUGE}/", f"/exchanges/{HUGE}/", f"/exchanges/menu/offers/{HUGE}/"],
)
def test_a_huge_id_in_a_page_path_is_not_found(client, login, yangzhou, url):
    login(yangzhou)
    assert client.get(url).status_code == 404


@pytest.fixture
def programme(yangzhou, xinyuan, yz_school, xy_school):
    from shiliu.pairings import services
    from shiliu.regions.models import Region

    p = services.pairing_propose(
        actor=yangzhou, kind="counterpart_support", a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )  # fmt: skip
    services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
    return youth_services.programme_create(
        actor=yangzhou, title="书信", school_a=yz_school, class_a="1", school_b=xy_school, class_b="2"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"action": "consent", "student": "abc"}, 404),
        ({"action": "consent", "student": HUGE}, 400),
        ({"action": "letter", "match": "1e5"}, 404),
        ({"action": "letter", "match": HUGE}, 400),
    ],
)
def test_a_pen_pal_action_naming_no_valid_pupil_or_pair_is_a_4xx(
    client, login, yangzhou, programme, data, status
):
    login(yangzhou)
    assert client.post(f"/exchanges/penpals/{programme.pk}/action/", data).status_code == status


@pytest.mark.django_db
def test_an_impossible_consent_date_is_a_message_not_a_500(client, login, yangzhou, programme):

    student = youth_services.student_add(
        actor=yangzhou, programme=programme, side="a", code="A1", grade=5, age=11
    )
    login(yangzhou)
    response = client.post(
        f"/exchanges/penpals/{programme.pk}/action/",
        {"action": "consent", "student": student.pk, "on": "2026-13-45"},
        follow=True,
    )
    assert response.status_code == 200 and "日期 2026-13-45 无效" in response.content.decode()
    student.refresh_from_db()
    assert student.consent_on is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/exchanges/?q=%00", "/exchanges/export.xlsx?region=a%00b", "/units/?region=%00", "/pairings/?q=x%00"],
)
def test_a_nul_character_in_a_query_is_a_clear_400_on_every_database(client, login, yangzhou, url):
    login(yangzhou)
    response = client.get(url)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_character_in_an_api_query_or_body_is_a_clear_400(client, login, yangzhou, yz_school):
    login(yangzhou)
    assert client.get("/api/units", {"q": "育才\x00"}).json() == {
        "detail": "请求中含有不允许的空字符（NUL）。"
    }
    response = client.patch(
        f"/api/units/{yz_school.pk}", '{"address": "a\\u0000b"}', content_type="application/json"
    )
    assert response.status_code == 400 and "空字符" in response.json()["detail"]
    yz_school.refresh_from_db()
    assert yz_school.address == ""


@pytest.mark.django_db
def test_a_nul_character_in_a_posted_form_is_a_clear_400(client, login, yangzhou, yz_school):
    login(yangzhou)
    response = client.post(
        f"/units/{yz_school.pk}/edit/",
        {"name": yz_school.name, "kind": yz_school.kind, "region": yz_school.region_id, "address": "a\x00b"},
    )
    assert response.status_code == 400 and "空字符" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "date_from=2000-01-01&region=3210&date_to=0001-01-01",  # found by schemathesis: a 500 (date overflow)
        "date_from=9999-12-31&region=3210",
        "date_to=9999-12-31&region=3210",
    ],
)
def test_extreme_dates_in_the_statistics_api_give_figures_not_a_500(client, login, yangzhou, query):
    login(yangzhou)
    response = client.get(f"/api/activities/statistics?{query}")
    assert response.status_code == 200 and response.json()["batches"] == 0
