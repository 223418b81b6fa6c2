"""Units from Excel: the template, row and column problems in Chinese, duplicates, all or nothing, good rows."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import make_unit
from shiliu.orgs import imports, workbook
from shiliu.orgs.models import Organization, UnitImport


def template_file(rows: list[list[Any]], headers: tuple[str, ...] = workbook.HEADERS) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = workbook.SHEET_TITLE
    ws.append(list(headers))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("units.xlsx", buffer.getvalue())


def upload(client: Any, rows: list[list[Any]], **kw: Any) -> Any:
    return client.post(reverse("orgs:import"), {"file": template_file(rows, **kw)})


def test_two_hundred_units_are_imported_with_parents_and_region_names(login, xinyuan):
    client = login(xinyuan)
    rows = [["新源县教育局", "机关", "654025", "", "", "新源镇", "李", ""]]
    rows += [
        [f"新源县第{i}小学", "学校", "", "新源县", "新源县教育局", "", "", "13812345678"]
        for i in range(1, 200)
    ]
    response = upload(client, rows)
    assert response.status_code == 302
    job = UnitImport.objects.get()
    assert job.status == "done" and job.created_count == 200, job.problems
    school = Organization.objects.get(name="新源县第7小学")
    assert school.parent.name == "新源县教育局" and school.region_id == "654025" and school.kind == "school"
    page = client.get(reverse("orgs:import_job", args=[job.pk])).content.decode()
    assert "200 个单位已导入" in page


def test_unknown_codes_and_types_are_reported_in_chinese_and_nothing_is_saved(login, xinyuan):
    client = login(xinyuan)
    upload(
        client,
        [
            ["新源县好学校", "学校", "654025", "", "", "", "", ""],
            ["新源县坏学校", "宇宙飞船", "999999", "", "", "", "", ""],
            ["扬州的学校", "学校", "321002", "", "", "", "", ""],
        ],
    )
    job = UnitImport.objects.get()
    assert job.status == "checked" and job.created_count == 0 and job.good_count == 1
    problems = {(p["row"], p["column"]): p["message"] for p in job.problems}
    assert "不是单位类型" in problems[(3, "类型")]
    assert "999999" in problems[(3, "区划代码")]
    assert "管辖范围" in problems[(4, "区划代码")]
    assert not Organization.objects.filter(name="新源县好学校").exists()
    # The uploader then chooses the good rows.
    client.post(reverse("orgs:import_good", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.created_count == 1
    assert Organization.objects.filter(name="新源县好学校").exists()


def test_existing_units_are_skipped_and_sound_alikes_reported(login, xinyuan, xy_school):
    client = login(xinyuan)
    upload(
        client,
        [
            ["新源县第一中学", "学校", "654025", "", "", "", "", ""],  # registered already: skipped
            ["新原县第一中学", "学校", "654025", "", "", "", "", ""],  # same pinyin, other characters
            ["新源县第二中学", "学校", "654025", "", "", "", "", ""],
            ["新源县第二中学 ", "学校", "654025", "", "", "", "", ""],  # twice in the file
        ],
    )
    job = UnitImport.objects.get()
    assert job.skipped_count == 1
    messages = {p["row"]: p["message"] for p in job.problems}
    assert "新源县第一中学" in messages[3] and "拼音" in messages[3]
    assert "第 4 行" in messages[5]
    assert Organization.objects.filter(region_id="654025").count() == 1


def test_a_file_with_other_columns_is_refused_while_the_upload_waits(login, xinyuan):
    client = login(xinyuan)
    response = upload(client, [["x"]], headers=("名称", "类别"))
    assert response.status_code == 400 and "模板" in response.content.decode()
    assert not UnitImport.objects.exists()


def test_coordinators_cannot_import(login, xinyuan_coordinator):
    assert login(xinyuan_coordinator).get(reverse("orgs:import")).status_code == 403


def test_the_export_has_the_template_columns_and_reimports_as_skipped(login, xinyuan, xy_school):
    client = login(xinyuan)
    content = client.get(reverse("orgs:export")).content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0] == workbook.HEADERS
    file = SimpleUploadedFile("export.xlsx", content)
    client.post(reverse("orgs:import"), {"file": file})
    job = UnitImport.objects.get()
    assert job.status == "done" and job.skipped_count == 1 and job.created_count == 0


def test_another_persons_import_is_not_found(login, xinyuan, db):
    from conftest import make_user

    other = make_user("xy2", "commission_staff", "654025")
    upload(login(xinyuan), [["新源县某校", "学校", "654025", "", "", "", "", ""]])
    job = UnitImport.objects.get()
    assert login(other).get(reverse("orgs:import_job", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("value", ["学校", "school", "School"])
def test_a_type_is_read_by_its_chinese_or_english_name(value):
    assert workbook.kind_lookup()[value.lower()] == "school"


def test_names_compare_without_spaces_and_full_width():
    assert imports.normalise_name("新源县 第１中学") == imports.normalise_name("新源县第1中学")


def test_an_unused_unit_does_not_block(xy_hospital):
    make_unit("654025", "新源县人民医院分院", kind="hospital")


def test_a_running_import_polls_its_status_with_htmx(login, xinyuan):
    from django.core.files.base import ContentFile

    job = UnitImport.objects.create(
        created_by_id=xinyuan.pk, original_name="u.xlsx", total_rows=200, processed_rows=50
    )
    job.file.save("u.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    job.status = "checking"
    job.save()
    client = login(xinyuan)
    partial = client.get(reverse("orgs:import_job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and "<html" not in partial and 'value="12"' in partial
    UnitImport.objects.filter(pk=job.pk).update(status="done", created_count=200)
    done = client.get(reverse("orgs:import_job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "200 个单位已导入" in done


def test_an_import_whose_task_fails_says_so_and_keeps_nothing(login, xinyuan, monkeypatch):
    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("worker died")

    monkeypatch.setattr(imports, "write_rows", explode)
    client = login(xinyuan)
    upload(client, [["新源县某校", "学校", "654025", "", "", "", "", ""]])
    job = UnitImport.objects.get()
    assert job.status == "failed" and "未导入任何内容" in job.message
    assert not Organization.objects.filter(name="新源县某校").exists()
