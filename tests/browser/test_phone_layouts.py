"""Issue 12 on a phone (390 px) and a desk (1440 px): every list and form page of the pairings and exchanges modules
fits the screen (nothing scrolls sideways, no control lies off-screen, no select cuts its choice), a long pen-pal
roster stays short, bookings keep their buttons in reach, and an irreversible action asks first."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.menu import services as menu_services
from shiliu.exchanges.models import ActivityType, PenPalProgramme
from shiliu.exchanges.tourism import services as tourism_services
from shiliu.exchanges.youth import matching as youth_matching
from shiliu.exchanges.youth import services as youth_services
from shiliu.lib import clock
from shiliu.pairings import services as pairing_services
from shiliu.regions.models import EthnicGroup, Region
from tests.browser.conftest import log_in

PROBLEMS = """() => {
  const W = window.innerWidth, out = [];
  const scroller = document.scrollingElement;
  if (scroller.scrollWidth > W) out.push('scrolls sideways by ' + (scroller.scrollWidth - W) + 'px');
  for (const e of document.querySelectorAll('button, a.btn, input:not([type=hidden]), select, textarea')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && (r.right > W + 1 || r.left < -1)) out.push('off-screen: ' + (e.innerText || e.name || e.tagName).trim().slice(0, 30));
  }
  for (const s of document.querySelectorAll('select')) {
    const o = s.options[s.selectedIndex];
    if (o && s.getBoundingClientRect().width > 0 && s.scrollWidth > s.clientWidth + 4) out.push('cut select: ' + o.text.slice(0, 20));
  }
  return out;
}"""

LISTS_AND_FORMS = [
    "/exchanges/", "/exchanges/new/", "/exchanges/statistics/", "/exchanges/menu/", "/exchanges/menu/offers/new/",
    "/exchanges/menu/packages/new/", "/exchanges/bookings/", "/exchanges/penpals/", "/exchanges/penpals/new/",
    "/exchanges/online/", "/exchanges/online/new/", "/exchanges/routes/", "/exchanges/routes/new/",
    "/exchanges/tours/", "/exchanges/tours/new/", "/exchanges/tours/flows/", "/exchanges/import/",
    "/pairings/", "/pairings/new/", "/pairings/items/", "/pairings/coverage/", "/units/",
]  # fmt: skip


def _build(world):
    yangzhou, xinyuan = world["yangzhou"], world["xinyuan"]
    p = pairing_services.pairing_propose(
        actor=yangzhou, kind="counterpart_support", a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )  # fmt: skip
    pairing = pairing_services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
    kazakh = EthnicGroup.objects.get(code="17")
    for n in range(8):
        ledger_services.activity_record(
            actor=xinyuan,
            data={
                "title": f"新源县各族干部群众赴扬州市交流考察第{n + 1}批", "activity_type": ActivityType.objects.get(name="互访考察"),
                "plan_embedding": True, "start_date": dt.date(2026, 5, 1 + n), "end_date": dt.date(2026, 5, 3 + n),
                "sending_region": Region.objects.get(code="654025"), "receiving_region": Region.objects.get(code="3210"),
            },
            participations=[{"category": "cadre", "ethnic_group": kazakh, "age_band": "o35", "gender": "m", "count": 12}],
        )  # fmt: skip
    offer = menu_services.offer_publish(
        actor=yangzhou, host=world["yz_school"],
        data={"title": "走进育才课堂：同上一堂课", "activity_type": ActivityType.objects.get(name="研学"),
              "plan_youth": True, "capacity": 60, "duration_days": 1},
    )  # fmt: skip
    for n in range(3):
        start = clock.today() + dt.timedelta(days=20 + n)
        menu_services.booking_request(
            actor=xinyuan, item=offer, guest=world["xy_school"], start=start, end=start + dt.timedelta(days=2),
            group_size=20, composition="18 名学生、2 名教师",
        )  # fmt: skip
    for n in range(4):
        tourism_services.tour_group_record(
            actor=xinyuan,
            data={"name": f"新源县游客赴扬州交流团第{n + 1}批", "origin_region": Region.objects.get(code="654025"),
                  "destination_region": Region.objects.get(code="3210"), "start_date": dt.date(2026, 6, 1 + n),
                  "end_date": dt.date(2026, 6, 6 + n), "agency": "新源县那拉提旅游有限公司", "size": 40, "minors": 10,
                  "minority_members": 3},
        )  # fmt: skip
    programme = youth_services.programme_create(
        actor=yangzhou, title="扬州新源“书信手拉手”", school_a=world["yz_school"], class_a="初一（2）班",
        school_b=world["xy_school"], class_b="初一（3）班",
    )  # fmt: skip
    signed = dt.date(2026, 9, 1)
    for n in range(1, 41):
        youth_services.student_add(
            actor=yangzhou, programme=programme, side="a", code=f"A{n:02d}", grade=7, age=12 + n % 2,
            interests="书法、阅读、篮球", consent_on=signed,
        )  # fmt: skip
    for n in range(1, 41):
        youth_services.student_add(
            actor=xinyuan, programme=programme, side="b", code=f"B{n:02d}", grade=7, age=12 + n % 2,
            interests="冬不拉、足球", consent_on=signed if n < 39 else None,
        )  # fmt: skip
    youth_matching.match_run(actor=yangzhou, programme=programme)
    return pairing, programme


def _problems(page, path, url):
    page.goto(url + path)
    page.wait_for_load_state("networkidle")
    return [f"{path}: {p}" for p in page.evaluate(PROBLEMS)]


def test_every_list_and_form_fits_a_phone_and_a_desk(browser, world, shot):
    pairing, programme = _build(world)
    url = world["url"]
    pages = [*LISTS_AND_FORMS, f"/exchanges/penpals/{programme.pk}/", f"/pairings/{pairing.pk}/"]
    found = []
    # Both roles on a phone, where pages break; one at the desk (every page visited is also checked at 1440 and
    # 390 px by axe and at 320 px for reflow, whatever width the test runs at).
    for width, user in ((390, "xinyuan"), (390, "yangzhou"), (1440, "yangzhou")):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, url, user)
        for path in pages:
            found += [f"{user} @{width}px {p}" for p in _problems(page, path, url)]
        if width == 390:
            page.goto(f"{url}/exchanges/penpals/{programme.pk}/")
            height = page.evaluate("document.scrollingElement.scrollHeight")
            assert height < 4000, f"the pen-pal page is {height} px tall at 390 px"
            shot(page, f"12-penpal-{user}-390")
        context.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("width", [390, 1440])
def test_bookings_show_their_buttons_and_a_withdrawal_asks_first(browser, world, shot, width):
    _pairing, programme = _build(world)
    url = world["url"]
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 844})
    page = context.new_page()
    log_in(page, url, "yangzhou")
    page.goto(f"{url}/exchanges/bookings/")
    incoming = page.get_by_test_id("incoming")
    accept = incoming.get_by_role("button", name="接受").first
    box = accept.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    expect(incoming.get_by_test_id("days-over").first).to_contain_text("3 天")
    expect(incoming.get_by_test_id("booking-status").first).to_have_text("待主办方答复")
    shot(page, f"12-bookings-{width}")
    accept.click()
    expect(page.get_by_text("已创建草稿活动")).to_be_visible()
    # a guardian withdraws consent: the page says what will be erased before anything happens
    page.goto(f"{url}/exchanges/penpals/{programme.pk}/")
    page.get_by_test_id("roster-fold-a").locator("summary").click()
    row = page.get_by_test_id("roster-a").get_by_role("row", name="A01")
    row.get_by_role("button", name="监护人撤回同意").click()
    expect(page.get_by_test_id("consequences")).to_contain_text("删除")
    shot(page, f"12-withdraw-confirm-{width}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    page.get_by_role("link", name="返回，不做任何更改").click()
    student = PenPalProgramme.objects.get().students.get(code="A01")
    assert student.consent_on is not None and student.status == "active"
    context.close()
