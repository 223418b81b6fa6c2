"""Issue 12 journeys at a desk (1440 px) and on a phone (390 px): the home workbench, the notices, and creating the
pairs of an optimal-pairing proposal after a confirmation. axe-core checks every page visited (tests/browser/a11y.py).
"""

import pytest

from conftest import make_unit
from shiliu.notifications.models import Notification
from shiliu.pairings import services
from shiliu.pairings.models import Pairing
from shiliu.regions.models import Region
from tests.browser.conftest import log_in
from tests.browser.test_pairings import pick_region

WIDTHS = [1440, 390]


def _context(browser, width):
    return browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})


def _no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px"


def _proposal(world):
    return services.pairing_propose(
        actor=world["yangzhou"],
        kind="co_building",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_workbench_lists_what_waits_and_links_to_it(browser, world, shot, width):
    url = world["url"]
    _proposal(world)
    page = _context(browser, width).new_page()
    log_in(page, url, "xinyuan")
    row = page.get_by_test_id("waiting-pairing-proposals")
    assert row.get_by_test_id("waiting-count").inner_text().strip() == "1"
    assert page.get_by_test_id("waiting-activities-to-confirm").count() == 1
    assert "模块" not in page.inner_text("main")
    _no_sideways_scroll(page)
    shot(page, f"12-workbench-{width}")
    row.locator("a").click()
    page.get_by_test_id("awaiting-filter").wait_for()
    assert "扬州市" in page.inner_text("main")
    _no_sideways_scroll(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_notices_are_grouped_opened_read_and_settled(browser, world, shot, width):
    url = world["url"]
    p = _proposal(world)
    Notification.objects.create(recipient=world["xinyuan"], text="系统维护通知", key="other-1")
    page = _context(browser, width).new_page()
    log_in(page, url, "xinyuan")
    assert page.get_by_test_id("unread-count").inner_text().strip() == "2"
    bell = page.get_by_test_id("notifications")
    if not bell.is_visible():  # at phone width the bell and its count stay outside the folded menu
        bell = page.get_by_test_id("notifications-folded")
        assert bell.is_visible() and "2" in bell.inner_text()
    bell.click()
    page.wait_for_url(f"{url}/notifications/")
    assert page.get_by_test_id("notice-group").count() == 2
    _no_sideways_scroll(page)
    shot(page, f"12-notices-{width}")
    page.get_by_test_id("notice").first.locator("a").click()
    page.wait_for_url(f"{url}/pairings/{p.pk}/")
    assert page.get_by_test_id("unread-count").inner_text().strip() == "1"  # opening it marked it read
    page.click("button[name=decision][value=accept]")
    page.get_by_test_id("pairing-status").wait_for()
    page.goto(f"{url}/notifications/")
    assert page.get_by_test_id("notice-done").count() == 1  # the answered proposal shows as done
    page.get_by_test_id("mark-all-read").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("unread-count").count() == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_creating_the_proposed_pairs_asks_first_with_the_count_and_a_second_run_proposes_none(
    browser, world, shot, width
):
    url = world["url"]
    for i in range(2):
        make_unit("321002", f"广陵城区第{i + 1}小学", locality="urban", stage="primary", headcount=900)
    for i in range(3):
        make_unit("321002", f"广陵乡村第{i + 1}小学", locality="rural", stage="primary", headcount=200)
    page = _context(browser, width).new_page()
    log_in(page, url, "yangzhou")
    page.goto(f"{url}/pairings/propose/")
    pick_region(page, "a_region", "guangling", "321002")
    pick_region(page, "b_region", "guangling", "321002")
    page.click("button[name=action][value=solve]")
    page.get_by_test_id("proposal-table").wait_for()
    page.get_by_test_id("create-pairs").click()
    confirm = page.get_by_test_id("confirm-create")
    confirm.wait_for()
    assert "创建 3 个结对？" in confirm.inner_text()
    assert Pairing.objects.count() == 0
    _no_sideways_scroll(page)
    shot(page, f"12-proposal-confirm-{width}")
    page.get_by_test_id("confirm-create-pairs").click()
    page.wait_for_url(f"{url}/pairings/coverage/**")
    assert Pairing.objects.filter(status="active").count() == 3
    page.goto(f"{url}/pairings/propose/")
    pick_region(page, "a_region", "guangling", "321002")
    pick_region(page, "b_region", "guangling", "321002")
    page.click("button[name=action][value=solve]")
    page.get_by_test_id("existing-summary").wait_for()
    assert page.get_by_test_id("create-pairs").count() == 0
    assert "乙组单位都已有结对伙伴" in page.inner_text("main")
