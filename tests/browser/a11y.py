"""Every page the browser tests visit is checked for WCAG 2.1 A/AA violations with axe-core, automatically.

axe-core comes from npm (package.json) and is copied into var/vendor by `make assets`; the checker loads it into the
page as a same-origin static file with ``page.add_script_tag``, so the content security policy stays on.

How it is automatic: when a page's main frame navigates (a new document, or an htmx swap that pushes a URL) the page
is marked as unchecked. The next time the test touches the page through Playwright (any Page, Locator, Keyboard or
Mouse method), and right after ``goto``/``reload``/``wait_for_url``, the checker waits for the load, runs axe at
1440 px and at 390 px wide, checks that nothing needs sideways scrolling at 320 px (400 % zoom of a 1280 px
screen) and fails the test on any problem. Pages still unchecked when their context closes are checked then.

Each kind of page (its path with ids as <n>, with or without an error shown) is checked in its first
document; later ones count as covered (the summary line says how many), unless a test forces a check.
"""

from __future__ import annotations

import functools
import inspect
import re
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Error as PlaywrightError

AXE_URL = "/static/vendor/axe/axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1440, 390)
REFLOW_WIDTH = 320
# Pages that are not Shiliu's own (Django's admin, the API's Swagger UI) are not checked.
SKIPPED_PATHS = ("/admin/", "/api/")

_RUN_AXE = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\\s+/g, " ")),
    count: v.nodes.length,
  }));
}
"""

# Wider than the viewport means sideways scrolling; a table may scroll inside its own container.
_OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest(".table-responsive, .visually-hidden"))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + String(el.className).trim().replace(/\\s+/g, ".") : ""));
}
"""


# The markup of a document without what changes on every response (CSRF tokens), as a short fingerprint: a
# document already checked with the same markup (the login page, the dashboard after each login) is not checked
# again. Styles and scripts are the same files throughout a run, so the same markup gives the same result.
_FINGERPRINT = """
() => {
  const html = document.documentElement.outerHTML
    .replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, "")
    .replace(/X-CSRFToken&quot;: &quot;[^&]*&quot;/g, "");
  let hash = 2166136261;
  for (let i = 0; i < html.length; i += 1) { hash ^= html.charCodeAt(i); hash = Math.imul(hash, 16777619); }
  return html.length + ":" + (hash >>> 0).toString(16) + ":" + window.innerHeight;
}
"""


_SHOWS_ERRORS = "!!document.querySelector('[data-error-summary], .alert-danger, .is-invalid')"


@dataclass
class Stats:
    """What the checker did in this test session (printed at the end of the run)."""

    documents: int = 0
    repeats: int = 0
    runs: int = 0
    seconds: float = 0.0
    paths: set[str] = field(default_factory=set)
    checked: set[str] = field(default_factory=set)
    # Documents checked per kind of page (its path with ids as <n>, and whether it shows an error): after
    # PER_KIND different documents of a kind, the rest are counted as covered (the run had grown to 360 documents
    # and 3½ minutes of axe, most of them the same list or detail page with other rows).
    kinds: dict[str, int] = field(default_factory=dict)
    covered: int = 0


PER_KIND = 1
_DIGITS = re.compile(r"\d+")


STATS = Stats()


class AccessibilityError(AssertionError):
    pass


def _state(page: Any) -> dict[str, Any]:
    state = getattr(page, "_a11y", None)
    if state is None:
        state = {"dirty": False, "busy": False, "enabled": True}
        page._a11y = state
    return state


def attach(page: Any) -> None:
    """Watch a page: a main-frame navigation marks it for checking."""
    state = _state(page)

    def navigated(frame: Any) -> None:
        if frame == page.main_frame:
            state["dirty"] = True

    page.on("framenavigated", navigated)
    _OWNERS[id(page.keyboard)] = page
    _OWNERS[id(page.mouse)] = page


def pause(page: Any) -> None:
    """Stop checking a page for a moment (a test that shows a half-finished state on purpose)."""
    _state(page)["enabled"] = False


def resume(page: Any) -> None:
    _state(page)["enabled"] = True


_OWNERS: dict[int, Any] = {}


def check(page: Any, *, force: bool = False) -> None:
    """Run the checks on the page's current document if it changed since the last check (or ``force``)."""
    import time

    state = _state(page)
    if state["busy"] or not state["enabled"] or page.is_closed():
        return
    if not (state["dirty"] or force):
        return
    state["busy"] = True
    try:
        state["dirty"] = False
        page.wait_for_load_state("load")
        url = page.url
        path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else url
        if not url.startswith("http") or path.startswith(SKIPPED_PATHS):
            return
        if page.evaluate("document.contentType") != "text/html":
            return
        started = time.monotonic()
        try:
            fingerprint = page.evaluate(_FINGERPRINT)
            kind = _DIGITS.sub("<n>", path.split("?")[0]) + (
                " with errors" if page.evaluate(_SHOWS_ERRORS) else ""
            )
            if not force and fingerprint not in STATS.checked and STATS.kinds.get(kind, 0) >= PER_KIND:
                STATS.covered += 1
                STATS.paths.add(path.split("?")[0])
                return
            problems = [] if fingerprint in STATS.checked else _audit(page)
        except PlaywrightError as exc:
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                raise
            state["dirty"] = (
                True  # the page moved on mid-check (a redirect): check the new document next time
            )
            return
        STATS.paths.add(path.split("?")[0])
        if fingerprint in STATS.checked:
            STATS.repeats += 1
            return
        STATS.documents += 1
        STATS.kinds[kind] = STATS.kinds.get(kind, 0) + 1
        STATS.seconds += time.monotonic() - started
        if not problems:
            STATS.checked.add(fingerprint)
        if problems:
            raise AccessibilityError(f"{path}:\n" + "\n".join(problems))
    finally:
        state["busy"] = False


def _audit(page: Any) -> list[str]:
    problems: list[str] = []
    original = page.viewport_size or {"width": 1280, "height": 900}
    try:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=AXE_URL)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": original["height"]})
            page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
            STATS.runs += 1
            for v in page.evaluate(_RUN_AXE, TAGS):
                problems.append(f"  {width}px {v['id']} ({v['count']}×): {v['help']}")
                problems.extend(f"      {node}" for node in v["nodes"])
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": original["height"]})
        page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
        wide = page.evaluate(_OVERFLOW)
        if wide:
            problems.append(f"  {REFLOW_WIDTH}px needs sideways scrolling: " + ", ".join(wide))
    finally:
        page.set_viewport_size(original)
    return problems


# Methods that never touch the document (or are used by the checker itself) pass straight through.
_PASS = {
    "on", "once", "remove_listener", "is_closed", "close", "set_viewport_size", "set_default_timeout",
    "set_default_navigation_timeout", "wait_for_load_state", "add_script_tag", "evaluate", "expect_event",
    "expect_navigation", "expect_response", "expect_request", "expect_download", "expect_popup",
    "expect_console_message", "route", "unroute", "unroute_all", "add_init_script", "expose_binding",
    "expose_function", "wait_for_timeout", "context", "frame", "opener", "pause",
}  # fmt: skip
_AFTER = {"goto", "reload", "go_back", "go_forward", "wait_for_url"}


def _page_of(obj: Any) -> Any:
    from playwright.sync_api import Locator, Page

    if isinstance(obj, Page):
        return obj
    if isinstance(obj, Locator):
        return obj.page
    return _OWNERS.get(id(obj))


def _wrap(cls: type, name: str) -> None:
    original = getattr(cls, name)

    @functools.wraps(original)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        page = _page_of(self)
        if page is not None:
            check(page)
        result = original(self, *args, **kwargs)
        if page is not None and name in _AFTER and cls.__name__ == "Page":
            check(page, force=True)
        return result

    wrapper.__a11y__ = True  # type: ignore[attr-defined]
    setattr(cls, name, wrapper)


def install() -> None:
    """Wrap Playwright's Page, Locator, Keyboard and Mouse methods and BrowserContext.close (once per session)."""
    from playwright.sync_api._generated import BrowserContext, Keyboard, Locator, Mouse, Page

    if getattr(Page.goto, "__a11y__", False):
        return
    for cls in (Page, Locator, Keyboard, Mouse):
        for name, member in list(vars(cls).items()):
            if name.startswith("_") or name in _PASS or not inspect.isfunction(member):
                continue
            _wrap(cls, name)

    close = BrowserContext.close

    @functools.wraps(close)
    def close_after_check(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            for page in self.pages:
                check(page)
        finally:
            close(self, *args, **kwargs)

    BrowserContext.close = close_after_check  # type: ignore[method-assign]

    new_page = BrowserContext.new_page

    @functools.wraps(new_page)
    def new_page_watched(self: Any, *args: Any, **kwargs: Any) -> Any:
        page = new_page(self, *args, **kwargs)
        attach(page)
        return page

    BrowserContext.new_page = new_page_watched  # type: ignore[method-assign]
