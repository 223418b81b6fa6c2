"""The foundation walk-through, in a real browser."""

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def test_staff_log_in_see_their_jurisdiction_and_only_their_units(page, world, shot):
    url = world["url"]
    log_in(page, url, "yangzhou")
    assert "江苏省 扬州市" in page.get_by_test_id("jurisdiction").inner_text()
    assert page.get_by_test_id("unit-total").inner_text() == "2"
    page.wait_for_selector("#kind-chart svg")
    page.wait_for_timeout(500)  # let the bars finish their short animation
    shot(page, "01-dashboard-yangzhou")
    page.click("text=单位")
    table = page.get_by_test_id("unit-table").inner_text()
    assert "扬州市育才小学" in table and "苏北人民医院" in table
    assert "新源县" not in table
    assert "138****5678" in table
    shot(page, "02-units-yangzhou")
    assert page.csp_violations == []


def test_the_region_picker_finds_xinyuan_by_pinyin_and_initials(page, world, shot):
    url = world["url"]
    log_in(page, url, "admin")
    page.goto(f"{url}/units/")
    picker = page.locator("[data-region-search]")
    for query in ("xinyuan", "xyx"):
        picker.fill(query)
        option = page.locator("[data-region-results] [data-code='654025']")
        option.wait_for()
        assert "新源县" in option.inner_text()
    shot(page, "03-region-picker")
    page.locator("[data-region-results] [data-code='654025']").click()
    assert page.locator("input[name=region]").input_value() == "654025"
    page.click("main form button[type=submit]")
    expect(page.get_by_test_id("unit-count")).to_contain_text("2")  # the CSP forbids eval-based waits
    table = page.get_by_test_id("unit-table").inner_text()
    assert "新源县第一中学" in table and "新源县人民医院" in table and "扬州" not in table
    assert page.csp_violations == []


def test_a_unit_opens_and_a_url_outside_the_jurisdiction_is_refused(page, world, shot):
    url = world["url"]
    log_in(page, url, "yangzhou")
    page.goto(f"{url}/units/")
    page.click("text=扬州市育才小学")
    assert page.get_by_test_id("unit-name").inner_text() == "扬州市育才小学"
    page.get_by_test_id("reveal-phone").click()
    page.get_by_test_id("phone-full").wait_for()
    assert page.get_by_test_id("phone-full").inner_text() == "13812345678"
    shot(page, "04-unit-detail")
    response = page.goto(f"{url}/units/{world['xy_school'].pk}/")
    assert response.status == 404
    assert "不在您的辖区内" in page.content()
    assert "新源县第一中学" not in page.content()
    shot(page, "05-outside-jurisdiction")


def test_the_ui_switches_to_english_and_back(page, world, shot):
    url = world["url"]
    log_in(page, url, "xinyuan")
    assert "新源县" in page.get_by_test_id("jurisdiction").inner_text()
    page.get_by_test_id("lang-switch").click()
    page.wait_for_selector("text=Dashboard")
    assert page.locator("html").get_attribute("lang") == "en"
    shot(page, "06-english")
    page.get_by_test_id("lang-switch").click()
    page.wait_for_selector("text=一屏全览")
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_it_fits_a_375_pixel_phone(browser, world, shot):
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    log_in(page, world["url"], "yangzhou")
    page.goto(f"{world['url']}/units/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.click(".navbar-toggler")
    page.get_by_test_id("jurisdiction").wait_for(state="visible")
    shot(page, "07-phone")
    context.close()
