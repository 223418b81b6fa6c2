import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from shiliu.residents import imports
from shiliu.residents.models import ImportStatus, Resident, ResidentImport

from .conftest import OTHER_ID

pytestmark = pytest.mark.django_db


def _workbook(rows, headers=imports.HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.title = imports.SHEET_TITLE
    ws.append(list(headers))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("residents.xlsx", buffer.getvalue())


def _row(**change):
    values = {c.key: c.example for c in imports.COLUMNS}
    values.update(change)
    return [values[c.key] for c in imports.COLUMNS]


def test_the_template_has_the_columns_and_an_example_row(login, yangzhou):
    content = login(yangzhou).get("/residents/import/template.xlsx").content
    rows = list(load_workbook(io.BytesIO(content)).active.values)
    assert rows[0] == imports.HEADERS and rows[1][0] == "马阿依古丽"


def test_a_good_file_registers_every_row(login, yangzhou, community, other_community):
    upload = _workbook(
        [
            _row(),
            _row(
                name="王芳",
                id_number=OTHER_ID,
                residence_region="321002001002",
                ethnic_group="汉族",
                consent_scopes="身份证号码、民族",
                phone="",
                skills="",
                language="",
                needs="",
            ),
        ]
    )
    response = login(yangzhou).post("/residents/import/", {"file": upload})
    assert response.status_code == 302
    job = ResidentImport.objects.get()
    assert job.status == ImportStatus.DONE and job.created_count == 2, job.problems
    wang = Resident.objects.get(name="王芳")
    assert wang.residence_unit == other_community and wang.id_number_masked == "3210**********001X"
    assert wang.ethnic_group_id == "01" and wang.phone_masked == ""
    assert Resident.objects.get(name="马阿依古丽").needs == ",employment,schooling,"


def test_a_bad_row_writes_nothing_and_names_row_and_column(login, yangzhou, community):
    upload = _workbook(
        [
            _row(),
            _row(name="李四", id_number="654025199002301230"),
            _row(name="张三", id_number="", moved_in_on="2025-13-01"),
            _row(
                name="赵五",
                id_number="",
                phone="",
                ethnic_group="",
                consent_scopes="技能、语言和需求",
                residence_region="510104001001",
            ),
        ]
    )
    client = login(yangzhou)
    client.post("/residents/import/", {"file": upload})
    job = ResidentImport.objects.get()
    assert job.status == ImportStatus.CHECKED and not Resident.objects.exists()
    found = {(p["row"], p["column"]) for p in job.problems}
    assert (3, "身份证号码") in found
    assert (4, "迁入日期") in found
    assert (5, "居住社区区划代码") in found
    page = client.get(f"/residents/import/{job.pk}/").content.decode()
    assert "身份证号码中的出生日期（1990-02-30）不存在" in page


def test_a_file_that_is_not_the_template_is_refused_at_once(login, yangzhou):
    client = login(yangzhou)
    response = client.post("/residents/import/", {"file": _workbook([["x"]], headers=("名字", "地址"))})
    assert response.status_code == 400 and "缺少列" in response.content.decode()
    response = client.post("/residents/import/", {"file": SimpleUploadedFile("a.xlsx", b"not a zip")})
    assert response.status_code == 400
    assert not ResidentImport.objects.exists()


def test_another_persons_import_is_not_shown(login, yangzhou, xinyuan, community):
    login(yangzhou).post("/residents/import/", {"file": _workbook([_row()])})
    job = ResidentImport.objects.get()
    assert login(xinyuan).get(f"/residents/import/{job.pk}/").status_code == 404


def test_formula_cells_in_the_template_stay_text():
    rows = list(load_workbook(io.BytesIO(imports.template_bytes())).active.iter_rows())
    assert all(cell.data_type != "f" for row in rows for cell in row)
