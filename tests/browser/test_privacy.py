"""What an outside reader sees of small cells, and the masked phone of the unit form, in Chromium at phone width."""

import datetime as dt

from conftest import make_user
from shiliu.exchanges.ledger import services as ledger_services
from shiliu.exchanges.models import ActivityType
from shiliu.orgs.models import Organization
from shiliu.pairings import services as pairing_services
from shiliu.regions.models import EthnicGroup, Region
from tests.browser.conftest import log_in


def test_a_coordinator_sees_small_cells_hidden_and_staff_keep_a_masked_phone(browser, world, shot):
    yangzhou, xinyuan = world["yangzhou"], world["xinyuan"]
    p = pairing_services.pairing_propose(
        actor=yangzhou,
        kind="counterpart_support",
        a_region=Region.objects.get(code="3210"),
        b_region=Region.objects.get(code="654025"),
    )
    pairing_services.pairing_respond(actor=xinyuan, pairing=p, accept=True)
    group = {g.code: g for g in EthnicGroup.objects.all()}
    rows = [
        {"category": "public", "ethnic_group": group["01"], "age_band": "o35", "gender": "f", "count": 9},
        {"category": "public", "ethnic_group": group["17"], "age_band": "o35", "gender": "m", "count": 6},
        {"category": "cadre", "ethnic_group": group["16"], "age_band": "o35", "gender": "m", "count": 3},
    ]
    data = {
        "title": "新源县各族群众赴扬州参观",
        "activity_type": ActivityType.objects.get(name="互访考察"),
        "plan_embedding": True,
        "start_date": dt.date(2026, 9, 10),
        "end_date": dt.date(2026, 9, 12),
        "sending_region": Region.objects.get(code="654025"),
        "receiving_region": Region.objects.get(code="321002"),
    }
    ledger_services.activity_confirm(
        actor=yangzhou,
        activity=ledger_services.activity_record(actor=xinyuan, data=data, participations=rows),
    )
    make_user("xinyuan-school", "unit_coordinator", "654025", world["xy_school"])
    url = world["url"]

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    log_in(page, url, "xinyuan-school")
    page.goto(f"{url}/exchanges/statistics/")
    page.get_by_test_id("suppression-note").wait_for()
    assert page.get_by_test_id("ethnic-16").inner_text() == "<5"  # 哈尼族 3
    assert page.get_by_test_id("ethnic-17").inner_text() == "×"  # 哈萨克族 6, which 18 − 9 would give back
    assert page.get_by_test_id("ethnic-16").locator("a").count() == 0  # no drill-down from a hidden cell
    assert page.get_by_test_id("stat-people").inner_text() == "18"
    shot(page, "40-statistics-outside-reader-390")
    phone.close()

    wide = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = wide.new_page()
    log_in(page, url, "yangzhou")
    page.goto(f"{url}/exchanges/statistics/")
    assert page.get_by_test_id("ethnic-16").inner_text() == "3"  # 广陵区's visit is 扬州's own
    unit = world["yz_school"]
    page.goto(f"{url}/units/{unit.pk}/edit/")
    assert page.input_value("#id_contact_phone") == "138****5678"
    shot(page, "41-unit-edit-masked-phone-1440")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/units/{unit.pk}/")
    assert Organization.objects.get(pk=unit.pk).contact_phone == "13812345678"
    wide.close()
