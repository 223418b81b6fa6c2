import io

import pytest
from auditlog.models import LogEntry
from openpyxl import load_workbook

from conftest import make_unit
from shiliu.orgs.models import Organization, mask_phone


@pytest.mark.django_db
def test_staff_see_only_units_of_their_jurisdiction(client, login, yangzhou, yz_school, xy_school, cd_school):
    login(yangzhou)
    page = client.get("/units/").content.decode()
    assert "扬州市育才小学" in page
    assert "新源县第一中学" not in page and "成都市锦江区实验小学" not in page


@pytest.mark.django_db
def test_a_county_coordinator_sees_only_the_county(
    client, login, xinyuan_coordinator, yz_school, xy_hospital
):
    login(xinyuan_coordinator)
    page = client.get("/units/").content.decode()
    assert "新源县第一中学" in page and "新源县人民医院" in page
    assert "扬州市育才小学" not in page


@pytest.mark.django_db
def test_residents_have_no_unit_pages(client, login, resident):
    login(resident)
    assert client.get("/units/").status_code == 403


@pytest.mark.django_db
def test_units_outside_the_jurisdiction_are_404_and_tampered_ids_too(client, login, yangzhou, xy_school):
    login(yangzhou)
    assert client.get(f"/units/{xy_school.pk}/").status_code == 404
    assert client.get(f"/units/{xy_school.pk}/edit/").status_code == 404
    assert client.get("/units/99999999/").status_code == 404
    assert client.get("/units/abc/").status_code == 404
    response = client.post(
        f"/units/{xy_school.pk}/edit/", {"name": "改名", "kind": "school", "region": "654025"}
    )
    assert response.status_code == 404
    xy_school.refresh_from_db()
    assert xy_school.name == "新源县第一中学"


@pytest.mark.django_db
def test_search_finds_units_by_pinyin_initials_or_name(client, login, xinyuan, xy_school, xy_hospital):
    login(xinyuan)
    for query in ("renmin", "xyxrmyy", "人民医院"):
        page = client.get("/units/", {"q": query}).content.decode()
        assert "新源县人民医院" in page and "新源县第一中学" not in page, query


@pytest.mark.django_db
def test_filters_by_type_and_region_and_paginates(client, login, xinyuan):
    for i in range(30):
        make_unit("654025104", f"那拉提镇第{i + 1}村", kind="village")
    make_unit("654025", "新源县中医医院", kind="hospital")
    login(xinyuan)
    page = client.get("/units/", {"kind": "village", "region": "654025104"}).content.decode()
    assert "共 30 个单位" in page and "新源县中医医院" not in page and "第 1 页，共 2 页" in page
    second = client.get("/units/", {"kind": "village", "region": "654025104", "page": 2}).content.decode()
    assert second.count("那拉提镇第") == 5


@pytest.mark.django_db
def test_an_unknown_region_code_in_the_filter_is_a_clear_message(client, login, xinyuan):
    login(xinyuan)
    response = client.get("/units/", {"region": "999999"})
    assert response.status_code == 200
    assert "未知的行政区划代码 999999" in response.content.decode()


@pytest.mark.django_db
def test_htmx_requests_get_only_the_results_fragment(client, login, xinyuan, xy_school):
    login(xinyuan)
    response = client.get("/units/", {"q": "xinyuan"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "新源县第一中学" in body and "<nav" not in body


@pytest.mark.django_db
def test_lists_mask_phone_numbers_and_revealing_one_is_logged(client, login, yangzhou, yz_school):
    login(yangzhou)
    page = client.get("/units/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    detail = client.get(f"/units/{yz_school.pk}/").content.decode()
    assert "13812345678" not in detail
    revealed = client.post(f"/units/{yz_school.pk}/phone/").content.decode()
    assert "13812345678" in revealed
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(yz_school.pk))
    assert entry.actor == yangzhou and entry.additional_data["field"] == "contact_phone"


def test_phone_masking_keeps_three_and_four_digits():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0514-87654321") == "051****4321"


@pytest.mark.django_db
def test_the_excel_export_has_the_filtered_scoped_list_with_masked_phones(
    client, login, yangzhou, yz_school, xy_school
):
    make_unit("3210", "扬州市人民医院", kind="hospital", contact_phone="13900001111")
    login(yangzhou)
    response = client.get("/units/export.xlsx", {"kind": "school"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("名称", "类型", "区划代码")
    assert [r[0] for r in rows[1:]] == ["扬州市育才小学"]
    assert rows[1][1] == "学校" and rows[1][7] == "138****5678"


@pytest.mark.django_db
def test_staff_add_a_unit_inside_their_jurisdiction(client, login, yangzhou):
    login(yangzhou)
    response = client.post(
        "/units/new/",
        {
            "name": "扬州市邗江区实验学校",
            "kind": "school",
            "region": "321003",
            "contact_phone": "0514-87654321",
        },
    )
    assert response.status_code == 302
    unit = Organization.objects.get(name="扬州市邗江区实验学校")
    assert unit.region_id == "321003" and unit.initials.startswith("yzs")
    entry = LogEntry.objects.get_for_object(unit).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor == yangzhou


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "新源县某学校", "kind": "school", "region": "654025"}, "该行政区划不在您的辖区内"),
        ({"name": "某学校", "kind": "school", "region": "321099"}, "未知的行政区划代码 321099"),
        ({"name": "某学校", "kind": "school", "region": "321002", "contact_phone": "12345"}, "11 位手机号码"),
        ({"name": "", "kind": "school", "region": "321002"}, "这个字段是必填项"),
        ({"name": "某学校", "kind": "spaceship", "region": "321002"}, "不在可用的选项中"),
    ],
)
def test_bad_unit_forms_get_chinese_messages_and_save_nothing(client, login, yangzhou, data, message):
    login(yangzhou)
    response = client.post("/units/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_name_in_the_same_region_is_refused(client, login, yangzhou, yz_school):
    login(yangzhou)
    response = client.post(
        "/units/new/", {"name": yz_school.name, "kind": "school", "region": yz_school.region_id}
    )
    assert response.status_code == 400
    assert Organization.objects.filter(name=yz_school.name).count() == 1


@pytest.mark.django_db
def test_a_parent_cycle_is_refused(client, login, yangzhou, yz_school):
    child = make_unit("321002", "育才小学分校", parent=yz_school)
    login(yangzhou)
    response = client.post(
        f"/units/{yz_school.pk}/edit/",
        {"name": yz_school.name, "kind": "school", "region": "321002", "parent": child.pk},
    )
    assert response.status_code == 400
    assert "循环" in response.content.decode()
    yz_school.refresh_from_db()
    assert yz_school.parent is None


@pytest.mark.django_db
def test_coordinators_edit_their_own_unit_but_cannot_move_it_or_add_units(
    client, login, xinyuan_coordinator, xy_school, xy_hospital
):
    login(xinyuan_coordinator)
    response = client.post(
        f"/units/{xy_school.pk}/edit/",
        {"name": "新源县第一中学", "kind": "hospital", "region": "654025104", "address": "新源镇解放路1号"},
    )
    assert response.status_code == 302
    xy_school.refresh_from_db()
    assert xy_school.address == "新源镇解放路1号"
    assert (xy_school.kind, xy_school.region_id) == ("school", "654025")
    assert client.get(f"/units/{xy_hospital.pk}/edit/").status_code == 403
    assert client.get("/units/new/").status_code == 403


@pytest.mark.django_db
def test_the_api_lists_scoped_units_and_refuses_foreign_regions(
    client, login, yangzhou, yz_school, xy_school
):
    login(yangzhou)
    assert client.get("/api/units", {"region": "654025"}).status_code == 403
    assert client.get("/api/units", {"region": "32"}).json()["count"] == 1  # wider than scope: clipped to it
    assert client.get(f"/api/units/{xy_school.pk}").status_code == 404
    body = client.get(f"/api/units/{yz_school.pk}").json()
    assert body["contact_phone"] == "138****5678" and body["region_code"] == "321002"


@pytest.mark.django_db
def test_the_api_creates_and_updates_units_with_the_same_rules(client, login, yangzhou, xy_school):
    login(yangzhou)
    created = client.post(
        "/api/units",
        {"name": "扬州市江都区实验小学", "kind": "school", "region": "321012"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    foreign = client.post(
        "/api/units",
        {"name": "新源县某校", "kind": "school", "region": "654025"},
        content_type="application/json",
    )
    assert foreign.status_code == 422 and "辖区" in str(foreign.json()["errors"])
    patched = client.patch(
        f"/api/units/{created.json()['id']}", {"address": "江都区1号"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["address"] == "江都区1号"
    assert (
        client.patch(
            f"/api/units/{xy_school.pk}", {"address": "x"}, content_type="application/json"
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_unit_named_like_a_formula_is_exported_as_text(client, login, yangzhou):
    from shiliu.lib.tests.test_downloads import EVIL, assert_no_formula

    make_unit("3210", EVIL, kind="school", address="@SUM(1+1)")
    login(yangzhou)
    assert_no_formula(client.get("/units/export.xlsx").content, EVIL, "@SUM(1+1)")


def _edit(unit, **extra):
    data = {"name": unit.name, "kind": unit.kind, "region": unit.region_id}
    data.update(extra)
    return data


@pytest.mark.django_db
def test_the_edit_form_shows_the_phone_masked_and_keeps_it_unless_a_new_one_is_typed(
    client, login, yangzhou, yz_school
):
    login(yangzhou)
    page = client.get(f"/units/{yz_school.pk}/edit/").content.decode()
    assert 'value="138****5678"' in page and "13812345678" not in page
    assert "保持不变即保留原号码" in page  # the field says how it works
    kept = client.post(f"/units/{yz_school.pk}/edit/", _edit(yz_school, contact_phone="138****5678"))
    assert kept.status_code == 302
    yz_school.refresh_from_db()
    assert yz_school.contact_phone == "13812345678"
    client.post(f"/units/{yz_school.pk}/edit/", _edit(yz_school, contact_phone="13900001111"))
    yz_school.refresh_from_db()
    assert yz_school.contact_phone == "13900001111"
    client.post(f"/units/{yz_school.pk}/edit/", _edit(yz_school, contact_phone=""))
    yz_school.refresh_from_db()
    assert yz_school.contact_phone == ""


@pytest.mark.django_db
def test_a_half_masked_phone_is_refused_not_saved(client, login, yangzhou, yz_school):
    login(yangzhou)
    response = client.post(f"/units/{yz_school.pk}/edit/", _edit(yz_school, contact_phone="139****0000"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "请输入完整的新号码" in body and "13812345678" not in body
    yz_school.refresh_from_db()
    assert yz_school.contact_phone == "13812345678"


@pytest.mark.django_db
def test_the_audit_log_and_the_admin_keep_phones_masked(client, login, yangzhou, admin_user, yz_school):
    login(yangzhou)
    client.post(f"/units/{yz_school.pk}/edit/", _edit(yz_school, contact_phone="13900001111"))
    change = LogEntry.objects.get_for_object(yz_school).filter(action=LogEntry.Action.UPDATE).get()
    assert change.actor == yangzhou
    logged = str(change.changes)
    assert "13812345678" not in logged and "13900001111" not in logged and "139****1111" in logged
    login(admin_user)
    admin_page = client.get(f"/admin/orgs/organization/{yz_school.pk}/change/").content.decode()
    assert "139****1111" in admin_page and "13900001111" not in admin_page
