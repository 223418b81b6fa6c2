"""Uploads that would hold a request or a worker, or smuggle XML tricks, are refused at once with the reason; a
sheet whose recorded dimension lies is read as it is."""

import io
import re
import zipfile

import pytest

from shiliu.exchanges.imports import reader as imports_reader
from shiliu.exchanges.ledger import workbook as ledger_workbook
from shiliu.exchanges.models import Activity, ImportJob, ImportStatus
from shiliu.exchanges.tests.test_import import GOOD, upload, workbook
from shiliu.lib import spreadsheets

SHEET = "xl/worksheets/sheet1.xml"


def rewrite(content, change, part=SHEET):
    """The workbook with one part's XML changed by ``change`` (a function of the text)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                data = change(data.decode()).encode()
            dst.writestr(info.filename, data)
    return out.getvalue()


def dimension(ref):
    return lambda xml: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml)


def formatted_rows(first, last, ref="A1:XFD1048576"):
    """Blank rows that carry only a style, as a spreadsheet program stretched by formatting writes them."""
    blank = "".join(f'<row r="{n}" spans="1:16384" s="1" customFormat="1"/>' for n in range(first, last + 1))
    return lambda xml: dimension(ref)(xml).replace("</sheetData>", blank + "</sheetData>")


def many(n):
    """``n`` rows, one activity each, all good."""
    return [[f"R{i}", f"历史交流 {i}", *GOOD[0][2:]] for i in range(n)]


@pytest.mark.django_db
def test_a_sheet_stretched_by_formatting_rows_is_refused_at_once_with_the_reason(
    client, login, xinyuan, monkeypatch
):
    monkeypatch.setattr(
        imports_reader, "MAX_IMPORT_ROWS", 50
    )  # 200 rows a sheet may hold; the file has 5,000
    login(xinyuan)
    content = rewrite(workbook(GOOD), formatted_rows(5, 5000))
    response = upload(client, content)
    assert response.status_code == 400
    assert "工作表共有 5000 行，大多是只有格式的空行" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_a_dimension_that_claims_two_rows_does_not_hide_the_rest(client, login, xinyuan, paired):
    login(xinyuan)
    response = upload(client, rewrite(workbook(many(30)), dimension("A1:Q2")))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.total_rows, job.created_count) == (ImportStatus.DONE, 30, 30)
    assert Activity.objects.count() == 30


@pytest.mark.django_db
def test_a_dimension_that_hides_rows_over_the_limit_is_refused_with_the_reason(
    client, login, xinyuan, paired, monkeypatch
):
    monkeypatch.setattr(imports_reader, "MAX_IMPORT_ROWS", 5)
    login(xinyuan)
    response = upload(client, rewrite(workbook(many(8)), dimension("A1:Q2")))
    assert response.status_code == 400 and "文件超过 5 行，每次最多导入 5 行。" in response.content.decode()
    assert not ImportJob.objects.exists() and not Activity.objects.exists()


@pytest.mark.django_db
def test_the_reader_stops_past_the_row_limit_whatever_the_dimension_says(monkeypatch):
    # The request's estimate can only bound the rows by their values; the reader counts them and stops.
    monkeypatch.setattr(imports_reader, "MAX_IMPORT_ROWS", 5)
    sparse = [
        [f"R{i}", None, None, None, None, None, None, None, None, None, None, None, None] for i in range(8)
    ]
    with pytest.raises(imports_reader.FormatError, match="文件超过 5 行"):
        imports_reader.read_ledger(io.BytesIO(rewrite(workbook(sparse), dimension("A1:Q2"))))


@pytest.mark.django_db
def test_a_workbook_whose_xml_declares_entities_is_refused(client, login, xinyuan, paired):
    def entity(xml):
        # Before defusedxml, openpyxl expanded &t; and imported the title it stood for.
        declared = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [<!ENTITY t "新源县干部赴扬州考察">]>'
        body = re.sub(r"^<\?xml[^>]*\?>\s*", "", xml)
        return declared + body.replace("新源县干部赴扬州考察", "&t;", 1)

    login(xinyuan)
    response = upload(client, rewrite(workbook(GOOD), entity))
    assert response.status_code == 400 and "声明了实体" in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_openpyxl_parses_with_defused_xml():
    """The task reads with openpyxl; defusedxml must be what parses, even if the request's check were skipped."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML
    content = rewrite(
        workbook(GOOD),
        lambda xml: (
            '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "x">]>' + re.sub(r"^<\?xml[^>]*\?>", "", xml)
        ),
        part="xl/workbook.xml",
    )
    with pytest.raises(imports_reader.FormatError, match="声明了实体"):
        imports_reader.read_ledger(io.BytesIO(content))


@pytest.mark.django_db
def test_a_part_that_expands_absurdly_is_refused_before_it_is_opened(client, login, xinyuan):
    def padded(content):
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(content)) as src,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            for info in src.infolist():
                dst.writestr(info.filename, src.read(info.filename))
            dst.writestr("xl/media/padding.bin", b"\0" * (8 * 1024 * 1024))  # 8 MB that compress to 8 KB
        return out.getvalue()

    login(xinyuan)
    response = upload(client, padded(workbook(GOOD)))
    assert response.status_code == 400 and "展开后是原来的" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_a_workbook_that_expands_past_the_limit_is_refused(client, login, xinyuan, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_MEMBER_BYTES", 10_000)
    login(xinyuan)
    response = upload(client, workbook(many(200)))
    assert response.status_code == 400 and "打开后超过" in response.content.decode()


@pytest.mark.django_db
def test_reading_stops_at_the_time_limit_with_a_clear_message(client, login, xinyuan, paired, monkeypatch):
    monkeypatch.setattr(imports_reader, "READ_SECONDS", 0)
    login(xinyuan)
    upload(client, workbook(many(600)))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and "读取文件超过 0 秒" in job.message


@pytest.mark.django_db
def test_the_survey_and_the_header_read_work_with_or_without_a_namespace_prefix():
    plain = workbook(GOOD)
    parts = spreadsheets.sheet_parts(io.BytesIO(plain), ledger_workbook.SHEET_TITLE)
    assert spreadsheets.survey_sheet(io.BytesIO(plain), parts.sheet) == spreadsheets.Survey(
        rows=4, values=17 + 15 + 6 + 13, value_rows=4
    )
    assert spreadsheets.first_row(io.BytesIO(plain), parts) == list(ledger_workbook.HEADERS)
    prefixed = rewrite(
        plain,
        lambda xml: re.sub(
            r"<(/?)(worksheet|sheetData|sheetPr|dimension|row|c|v|is|t)([ >/])", r"<\1x:\2\3", xml
        ).replace('xmlns="', 'xmlns:x="'),
    )
    assert spreadsheets.survey_sheet(io.BytesIO(prefixed), parts.sheet) == spreadsheets.Survey(
        rows=4, values=51, value_rows=4
    )
    assert spreadsheets.first_row(io.BytesIO(prefixed), parts) == list(ledger_workbook.HEADERS)
    parsed, _problems = imports_reader.read_ledger(
        io.BytesIO(prefixed)
    )  # openpyxl resolves names by namespace
    assert [p.data["title"] for p in parsed] == ["新源县干部赴扬州考察", "扬州学生新源研学"]
