"""The historical import: template, row/column problems in Chinese, all-or-nothing, good rows on request."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from conftest import exported
from shiliu.exchanges.imports import reader as imports_reader
from shiliu.exchanges.imports import services as imports_services
from shiliu.exchanges.ledger import workbook as ledger_workbook
from shiliu.exchanges.models import Activity, ActivityStatus, ImportJob, ImportStatus

GOOD = [
    # ref, title, type, plans, start, end, place, s_region, s_unit, r_region, r_unit, summary, cat, eth, age, gender, n
    ["1", "新源县干部赴扬州考察", "互访考察", "各族群众互嵌式发展计划", dt.date(2025, 4, 8), dt.date(2025, 4, 12),
     "扬州", "654025", "", "3210", "", "考察社区治理", "干部", "哈萨克族", "35岁以上", "男", 12],
    ["1", None, None, None, None, None, None, None, None, None, None, None, "干部", "汉族", "35岁以上", "女", 6],
    ["2", "扬州学生新源研学", "研学", "青少年交流、旅游促进", "2025/7/15", "2025-07-20", "那拉提",
     "3210", "", "654025", "", "", "学生", "01", "18岁以下", "", 30],
]  # fmt: skip


def workbook(rows, headers=ledger_workbook.HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.title = ledger_workbook.SHEET_TITLE
    ws.append(list(headers))
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, content, name="ledger.xlsx"):
    return client.post("/exchanges/import/", {"file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
def test_a_good_file_is_checked_and_written_in_the_background(client, login, xinyuan, paired):
    login(xinyuan)
    response = upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exchanges/import/{job.pk}/"
    assert (job.status, job.total_rows, job.processed_rows, job.checked_rows, job.created_count) == (
        ImportStatus.DONE,
        3,
        3,
        3,
        2,
    )
    visit = Activity.objects.get(title="新源县干部赴扬州考察")
    assert visit.plan_embedding and not visit.plan_youth and visit.status == ActivityStatus.SUBMITTED
    assert sorted(p.count for p in visit.participations.all()) == [6, 12]
    study = Activity.objects.get(title="扬州学生新源研学")
    assert study.plan_youth and study.plan_tourism and study.start_date == dt.date(2025, 7, 15)
    assert study.participations.get().gender == "u"
    page = client.get(f"/exchanges/import/{job.pk}/").content.decode()
    assert 'data-testid="import-done"' in page and "2 项活动已导入" in page


@pytest.mark.django_db
def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(client, login, xinyuan, paired):
    rows = [list(r) for r in GOOD]
    rows[0][16] = -3  # row 2: 人次
    rows[2][5] = "2025-07-01"  # row 4: ends before it starts
    rows.append(["3", "赴成都交流", "座谈交流", "互嵌", "2025-05-01", "2025-05-02", "", "654025", "", "510104", "",
                 "", "群众", "火星族", "18-35", "女", 5])  # fmt: skip
    login(xinyuan)
    upload(client, workbook(rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED and Activity.objects.count() == 0
    found = {(p["row"], p["column"]) for p in job.problems}
    assert {(2, "人次"), (4, "结束日期"), (5, "民族")} <= found
    page = client.get(f"/exchanges/import/{job.pk}/").content.decode()
    assert "数值必须在 1 至 100000 之间" in page or "1 至 100000" in page
    assert "结束日期早于开始日期" in page and "“火星族”不是 GB 3304 中的民族" in page
    assert "没有写入任何数据" in page
    # only 活动 1's second row is fine, so no activity is wholly good: nothing to import on request
    assert job.activities_good == 0 and 'data-testid="import-good"' not in page


@pytest.mark.django_db
def test_the_uploader_can_choose_to_import_the_good_activities(client, login, xinyuan, paired):
    rows = [list(r) for r in GOOD]
    rows.append(["3", "赴成都交流", "座谈交流", "互嵌", "2025-05-01", "2025-05-02", "", "654025", "", "510104", "",
                 "", "群众", "汉族", "18-35", "女", 5])  # fmt: skip
    login(xinyuan)
    upload(client, workbook(rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.CHECKED and job.activities_good == 2
    assert [(p["row"], p["column"]) for p in job.problems] == [(5, "接收方地区代码")]
    assert "结对" in job.problems[0]["message"]
    client.post(f"/exchanges/import/{job.pk}/good/")
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 2
    assert set(Activity.objects.values_list("title", flat=True)) == {
        "新源县干部赴扬州考察",
        "扬州学生新源研学",
    }


@pytest.mark.django_db
def test_someone_elses_import_is_not_found(client, login, xinyuan, yangzhou, paired):
    login(xinyuan)
    upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    login(yangzhou)
    assert client.get(f"/exchanges/import/{job.pk}/").status_code == 404
    assert client.post(f"/exchanges/import/{job.pk}/good/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 not a sheet", "ledger.xlsx", "不是 .xlsx 文件"),
        (b"title,start\n", "ledger.csv", "不是 .xlsx 文件"),
        (
            workbook(GOOD, headers=[*ledger_workbook.HEADERS[:-1], "人数"]),
            "renamed.xlsx",
            "缺少列：人次",
        ),
        (workbook([]), "empty.xlsx", "没有数据行"),
    ],
)
def test_files_that_are_not_the_template_are_refused_at_once(client, login, xinyuan, content, name, message):
    login(xinyuan)
    response = upload(client, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_too_large_files_are_refused(client, login, xinyuan, monkeypatch):
    monkeypatch.setattr(imports_reader, "MAX_IMPORT_BYTES", 1000)
    login(xinyuan)
    response = upload(client, workbook(GOOD * 20))
    assert response.status_code == 400 and "上限为" in response.content.decode()


@pytest.mark.django_db
def test_the_export_re_imports_cleanly(client, login, xinyuan, paired):
    login(xinyuan)
    upload(client, workbook(GOOD))
    content = exported(client, "/exchanges/export.xlsx").content
    sheet = load_workbook(io.BytesIO(content))[ledger_workbook.SHEET_TITLE]
    assert tuple(c.value for c in sheet[1]) == ledger_workbook.HEADERS
    before = {
        a.title: sorted(
            (p.category, p.ethnic_group_id, p.age_band, p.gender, p.count) for p in a.participations.all()
        )
        for a in Activity.objects.all()
    }
    # the same file again: every activity is already there, skipped, nothing doubled
    upload(client, content, "again.xlsx")
    again = ImportJob.objects.latest("pk")
    assert (again.status, again.created_count, again.skipped_count, again.problem_count) == ("done", 0, 2, 0)
    # into an empty ledger: the same activities and counts come back
    Activity.objects.all().delete()
    upload(client, content, "restore.xlsx")
    after = {
        a.title: sorted(
            (p.category, p.ethnic_group_id, p.age_band, p.gender, p.count) for p in a.participations.all()
        )
        for a in Activity.objects.all()
    }
    assert after == before


@pytest.mark.django_db
def test_the_template_downloads_with_the_columns_and_the_vocabulary(client, login, xinyuan):
    login(xinyuan)
    book = load_workbook(io.BytesIO(client.get("/exchanges/import/template.xlsx").content))
    assert tuple(c.value for c in book[ledger_workbook.SHEET_TITLE][1]) == ledger_workbook.HEADERS
    notes = {row[0]: row[1] for row in book["填写说明"].iter_rows(min_row=2, values_only=True)}
    assert "书信手拉手" in notes["活动类型"] and "学生" in notes["人员类别"]


@pytest.mark.django_db
def test_progress_is_reported_while_rows_are_checked(xinyuan, paired):
    seen = []
    rows = [["", f"活动{i}", "座谈交流", "互嵌", "2025-05-01", "2025-05-01", "", "654025", "", "3210", "", "",
             "群众", "汉族", "18-35", "女", 1] for i in range(250)]  # fmt: skip
    activities, problems = imports_reader.read_ledger(io.BytesIO(workbook(rows)), progress=seen.append)
    assert problems == [] and len(activities) == 250
    assert seen == [100, 200, 250]


@pytest.mark.django_db
def test_an_import_tells_the_other_side_once_and_is_audited(client, login, xinyuan, yangzhou, paired):
    from auditlog.models import LogEntry

    from shiliu.notifications.models import Notification

    login(xinyuan)
    upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    notes = Notification.objects.filter(recipient=yangzhou).exclude(key__startswith="pairing-")
    assert [(n.key, n.text) for n in notes] == [(f"import-{job.pk}-3210", "有 2 项导入的活动待您确认")]
    entry = LogEntry.objects.get(
        object_pk=str(job.pk), actor=xinyuan, additional_data__imported_activities__isnull=False
    )
    assert sorted(entry.additional_data["imported_activities"]) == sorted(
        Activity.objects.values_list("pk", flat=True)
    )


def styled_blank_rows(rows, last_row):
    """A workbook whose recorded dimension runs to ``last_row`` although the rows below the data are empty."""
    from openpyxl.styles import Font

    wb = load_workbook(io.BytesIO(workbook(rows)))
    wb[ledger_workbook.SHEET_TITLE].cell(row=last_row, column=1).font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_blank_formatted_rows_are_not_counted_against_the_limit(client, login, xinyuan, paired, monkeypatch):
    monkeypatch.setattr(imports_reader, "MAX_IMPORT_ROWS", 5)
    login(xinyuan)
    upload(client, styled_blank_rows(GOOD, last_row=50))  # dimension says 49 rows; 3 are filled in
    job = ImportJob.objects.get()
    assert (job.status, job.total_rows, job.created_count) == (ImportStatus.DONE, 3, 2)


@pytest.mark.django_db
def test_a_sheet_of_formatting_only_is_refused_at_once_with_a_clear_message(client, login, xinyuan):
    login(xinyuan)
    response = upload(
        client, styled_blank_rows([], last_row=8)
    )  # the dimension promises 7 rows; none has a value
    assert response.status_code == 400 and "表头下面没有数据行" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_every_audit_entry_the_import_task_writes_names_the_uploader(
    client, login, xinyuan, paired, settings
):
    """The worker has no request: the task itself says whose work it does."""
    from auditlog.models import LogEntry

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    login(xinyuan)
    upload(client, workbook(GOOD))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED
    client.logout()
    before = set(LogEntry.objects.values_list("pk", flat=True))
    imports_services.import_run(
        job.pk, task_id=job.task_id
    )  # as the worker runs the job's task: outside any request
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    entries = LogEntry.objects.exclude(pk__in=before)
    assert entries.exists()
    assert {e.actor for e in entries} == {xinyuan}
