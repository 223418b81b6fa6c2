"""Traps of the historical import found by users: the standard forms of a code, obvious spelling variants, every
excluded row listed with its reason, a sheet whose dimension lies about 25,000 rows, entity declarations outside the
sheet, a retry that could never succeed, formulas without values and the column an unpaired party is reported on."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from shiliu.exchanges.imports import reader as imports_reader
from shiliu.exchanges.ledger import workbook as ledger_workbook
from shiliu.exchanges.models import Activity, ImportJob, ImportStatus
from shiliu.exchanges.tests.test_import import GOOD, upload, workbook
from shiliu.exchanges.tests.test_import_safety import dimension, rewrite


def row(ref, title, **changes):
    """One good one-row activity from 新源县 to 扬州市, with the named columns changed."""
    values = dict(zip((key for key, _h in ledger_workbook.COLUMNS), GOOD[0], strict=True))
    values.update(ref=ref, title=title, **changes)
    return [values[key] for key, _h in ledger_workbook.COLUMNS]


@pytest.mark.django_db
def test_it_accepts_the_six_digit_code_of_a_city_and_of_a_province(client, login, xinyuan, paired):
    login(xinyuan)
    upload(
        client,
        workbook(
            [row("1", "六位代码", receiving_region="321000"), row("2", "数字", receiving_region=321000)]
        ),
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE, job.problems
    assert set(Activity.objects.values_list("receiving_region_id", flat=True)) == {"3210"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18-35岁", "18_35"),
        ("18－35岁", "18_35"),
        ("18 – 35 岁", "18_35"),
        ("１８岁以下", "u18"),
        (" 35岁以上 ", "o35"),
    ],
)
def test_it_reads_obvious_variants_of_an_age_band(text, expected):
    lookup = ledger_workbook._labels(ledger_workbook.AgeBand.choices, ledger_workbook.AGE_ALIASES)
    assert imports_reader._choice(lookup, text, ledger_workbook.AgeBand.choices) == expected


@pytest.mark.django_db
def test_the_template_offers_a_drop_down_list_for_every_coded_column(client, login, xinyuan):
    import io

    login(xinyuan)
    response = client.get("/exchanges/import/template.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb[ledger_workbook.SHEET_TITLE]
    columns = {
        ledger_workbook.HEADERS.index(header) + 1
        for header in ("活动类型", "三项计划", "人员类别", "民族", "年龄段", "性别")
    }
    validated = set()
    for validation in ws.data_validations.dataValidation:
        assert validation.type == "list"
        for cell_range in validation.sqref.ranges:
            validated.add(cell_range.min_col)
    assert columns <= validated


@pytest.mark.django_db
def test_a_re_upload_lists_every_excluded_row_with_its_reason(client, login, xinyuan, paired):
    login(xinyuan)
    upload(client, workbook([row("1", "第一次"), row("2", "第二次")]))
    first = {a.title: a.pk for a in Activity.objects.all()}
    bad = row("3", "第三次", count=-1)
    upload(client, workbook([row("1", "第一次"), row("2", "第二次"), bad]))
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportStatus.CHECKED and job.activities_good == 0
    rows = {p["row"]: p["message"] for p in job.problems}
    assert set(rows) == {2, 3, 4}
    assert f"#{first['第一次']}" in rows[2] and f"#{first['第二次']}" in rows[3]
    page = client.get(f"/exchanges/import/{job.pk}/").content.decode()
    assert f"活动 #{first['第一次']}" in page


@pytest.mark.django_db
def test_a_sheet_with_more_rows_than_the_limit_behind_a_small_dimension_is_refused_at_upload(
    client, login, xinyuan, monkeypatch
):
    monkeypatch.setattr(imports_reader, "MAX_IMPORT_ROWS", 40)
    # 50 real rows of few values each (so their values fit 40 full rows), the dimension claiming two
    sparse = [["", f"活动{i}", "", "", "", "", "", "", "", "", "", "", "", "", "", "", 1] for i in range(50)]
    login(xinyuan)
    response = upload(client, rewrite(workbook(sparse), dimension("A1:Q2")))
    assert response.status_code == 400 and "40" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_entities_declared_in_the_content_types_part_are_refused_at_upload(client, login, xinyuan):
    doctype = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    content = rewrite(workbook(GOOD), lambda xml: doctype + xml, part="[Content_Types].xml")
    login(xinyuan)
    response = upload(client, content)
    assert response.status_code == 400 and "实体" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_a_job_that_failed_on_its_file_offers_no_retry(client, login, xinyuan, paired, monkeypatch):
    def refuse(*args, **kwargs):
        raise imports_reader.FormatError("bad file")

    monkeypatch.setattr(imports_reader, "read_ledger", refuse)
    login(xinyuan)
    upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and not job.can_retry
    page = client.get(f"/exchanges/import/{job.pk}/").content.decode()
    assert 'data-testid="import-retry"' not in page
    response = client.post(f"/exchanges/import/{job.pk}/retry/")
    job.refresh_from_db()
    assert response.status_code == 302 and job.status == ImportStatus.FAILED


@pytest.mark.django_db
def test_a_formula_without_a_value_is_reported_as_a_formula(client, login, xinyuan, paired):
    login(xinyuan)
    upload(client, workbook([row("1", '=CONCATENATE("新源","交流")')]))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED
    messages = [p["message"] for p in job.problems if p["column"] == "活动名称"]
    assert len(messages) == 1 and "公式" in messages[0] and "CONCATENATE" in messages[0]


@pytest.mark.django_db
def test_an_unpaired_sending_region_is_reported_on_the_sending_column(client, login, xinyuan, paired):
    login(xinyuan)
    # 成都市锦江区 sends a delegation to 新源县, the uploader's side: the sending region is the one not paired
    upload(client, workbook([row("1", "成都来访", sending_region="510104", receiving_region="654025")]))
    job = ImportJob.objects.get()
    assert [p["column"] for p in job.problems] == ["派出方地区代码"]


def test_dates_still_read_after_the_variant_reading():
    assert imports_reader._date("2025－07－01") == dt.date(2025, 7, 1)
