"""Pen-pals in the browser (consent gap, matching, re-match), and the import's live progress bar."""

import datetime as dt

from django.utils import translation
from playwright.sync_api import expect

from shiliu.exchanges.models import ImportJob, ImportStatus
from shiliu.exchanges.youth import services as youth_services
from shiliu.pairings import services as pairing_services
from shiliu.regions.models import Region
from tests.browser.conftest import log_in


def _pair(world):
    p = pairing_services.pairing_propose(
        actor=world["yangzhou"],
        kind="counterpart_support",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )
    pairing_services.pairing_respond(actor=world["xinyuan"], pairing=p, accept=True)


def test_pen_pals_consent_match_and_rematch(browser, world, shot):
    from shiliu.exchanges.models import PenPalProgramme
    from tests.browser.test_pairings import pick_region

    _pair(world)
    url = world["url"]
    starter = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    form = starter.new_page()
    log_in(form, url, "yangzhou")
    form.goto(f"{url}/exchanges/penpals/new/")
    form.fill("#id_title", "扬州新源书信手拉手")
    form.select_option("#id_school_a", str(world["yz_school"].pk))
    form.fill("#id_class_a", "五年级二班")
    pick_region(form, "school_b_region", "xinyuan", "654025")
    # only schools are offered: the hospital of 新源县 is not in the list
    expect(form.locator("#id_school_b option")).to_have_count(2)
    form.select_option("#id_school_b", str(world["xy_school"].pk))
    form.fill("#id_class_b", "初一（3）班")
    form.get_by_role("button", name="发起").click()
    expect(form.get_by_text("书信手拉手已发起")).to_be_visible()
    starter.close()
    programme = PenPalProgramme.objects.get()
    signed = dt.date(2026, 9, 1)
    for i in range(1, 5):
        youth_services.student_add(
            actor=world["yangzhou"], programme=programme, side="a", code=f"A-{i:02d}", grade=5, age=11,
            interests="足球", consent_on=signed,
        )  # fmt: skip
    for i in range(1, 3):
        youth_services.student_add(
            actor=world["xinyuan"], programme=programme, side="b", code=f"B-{i:02d}", grade=6, age=12,
            interests="足球", consent_on=signed if i == 1 else None,
        )  # fmt: skip
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    log_in(page, url, "xinyuan")
    page.goto(f"{url}/exchanges/penpals/{programme.pk}/")
    expect(page.get_by_test_id("summary-consent")).to_have_text("1")
    page.get_by_test_id("run-matching").click()
    expect(page.get_by_text("新结成 2 对笔友（1:2）")).to_be_visible()
    expect(page.get_by_text("因缺少监护人同意未匹配：1 人")).to_be_visible()
    # B-02's guardian signs; matching again gives 1:2 with B-02 taking the other two pupils of A
    page.get_by_test_id("roster-b").get_by_role("button", name="记录").click()
    expect(page.get_by_test_id("summary-consent")).to_have_text("0")
    page.get_by_test_id("run-matching").click()
    expect(page.get_by_test_id("summary-pairs")).to_have_text("4")
    shot(page, "40-pen-pals")
    # B-01 moves away: A's two partners are offered a re-match
    page.get_by_test_id("roster-b").get_by_role("row", name="B-01").get_by_role(
        "button", name="已离开"
    ).click()
    # it asks first, saying what will happen
    expect(page.get_by_test_id("consequences")).to_contain_text("重新结对")
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("rematch-offer")).to_be_visible()
    expect(page.get_by_test_id("summary-waiting")).to_have_text("2")
    context.close()


def test_the_import_page_shows_progress_until_the_job_is_done(browser, world, shot):
    from django.core.files.base import ContentFile

    job = ImportJob.objects.create(
        created_by=world["xinyuan"], original_name="2025年台账.xlsx", total_rows=400, processed_rows=100, checked_rows=0,
        status=ImportStatus.CHECKING,
    )  # fmt: skip
    job.file.save("ledger.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    url = world["url"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, url, "xinyuan")
    page.goto(f"{url}/exchanges/import/{job.pk}/")
    expect(page.get_by_test_id("import-progress")).to_have_attribute("value", "12")
    expect(page.get_by_text("已读取 100 / 400 行")).to_be_visible()
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=400, checked_rows=200)
    expect(page.get_by_test_id("import-progress")).to_have_attribute("value", "75", timeout=5000)
    expect(page.get_by_text("已检查 200 / 400 行")).to_be_visible()
    shot(page, "41-import-progress")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, processed_rows=400, created_count=12)
    expect(page.get_by_test_id("import-done")).to_contain_text("12 项活动已导入", timeout=5000)
    context.close()


def test_upload_a_ledger_see_the_problem_then_import_the_good_activities(browser, world, shot, tmp_path):
    from shiliu.exchanges.models import Activity
    from shiliu.exchanges.tests.test_import import GOOD, workbook

    _pair(world)
    rows = [list(r) for r in GOOD]
    rows.append(["3", "赴重庆交流", "座谈交流", "互嵌", "2025-05-01", "2025-05-02", "", "654025", "", "500101", "",
                 "", "群众", "汉族", "18-35", "女", 5])  # fmt: skip
    path = tmp_path / "2025年交流台账.xlsx"
    path.write_bytes(workbook(rows))
    url = world["url"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, url, "xinyuan")
    page.goto(f"{url}/exchanges/")
    page.get_by_role("link", name="导入历史活动").click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_test_id("import-problems")).to_contain_text("发现 1 处问题")
    table = page.get_by_test_id("problem-table")
    expect(table).to_contain_text("接收方地区代码")
    expect(table).to_contain_text("结对")
    expect(table.locator("tbody tr td").first).to_have_text("5")
    shot(page, "42-import-problems")
    assert Activity.objects.count() == 0
    page.get_by_test_id("import-good").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("2 项活动已导入")
    assert Activity.objects.count() == 2
    context.close()


def test_a_job_whose_worker_was_lost_says_so_and_a_retry_finishes_it(browser, world, shot, tmp_path):
    from django.core.files.base import ContentFile

    from shiliu.exchanges.imports.services import LOST_MESSAGE
    from shiliu.exchanges.models import Activity
    from shiliu.exchanges.tests.test_import import GOOD, workbook

    _pair(world)
    job = ImportJob.objects.create(
        created_by=world["xinyuan"], original_name="2025年台账.xlsx", total_rows=3, processed_rows=1,
        status=ImportStatus.CHECKING,
    )  # fmt: skip
    job.file.save("ledger.xlsx", ContentFile(workbook(GOOD)), save=True)
    url = world["url"]
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, url, "xinyuan")
    page.goto(f"{url}/exchanges/import/{job.pk}/")
    expect(page.get_by_test_id("import-cancel")).to_be_visible()  # a running job can be cancelled
    with translation.override("zh-hans"):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, message=str(LOST_MESSAGE))
    expect(page.get_by_test_id("import-failed")).to_contain_text("后台处理进程停止了", timeout=5000)
    expect(page.get_by_test_id("import-cancel")).to_have_count(0)
    shot(page, "43-import-lost-390")
    page.get_by_test_id("import-retry").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("2 项活动已导入")
    assert Activity.objects.count() == 2
    context.close()
