"""The page frame in Chromium: the header fits at every width and works by keyboard, nothing scrolls
sideways at 320 CSS px (WCAG 1.4.10) for any role, and keyboard focus is visible with enough contrast
(WCAG 2.4.7, 1.4.11)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from partnerships.models import User
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e

ROLES = ["konsulent@demo.dk", "sekretariat@demo.dk", "ledelse@demo.dk", "admin@demo.dk"]
DESKTOP_WIDTHS = [1200, 1280, 1440]
NARROW_WIDTHS = [320, 375, 768, 1024]

# Every element of the header that sticks out of the window, and the tops of the bar's top-level
# entries (brand, menu entries, user menu): one line means one top.
HEADER_GEOMETRY = """() => {
  const w = document.documentElement.clientWidth;
  const header = document.querySelector('header.portal-header');
  const outside = [...header.querySelectorAll('*')]
    .filter(el => el.offsetParent !== null && !el.closest('.dropdown-menu'))
    .filter(el => { const r = el.getBoundingClientRect(); return r.left < 0 || r.right > w + 0.5; })
    .map(el => el.tagName + ' ' + el.textContent.trim().slice(0, 30));
  const tops = [...header.querySelectorAll('.navbar-brand, .navbar-nav > .nav-item')]
    .filter(el => el.offsetParent !== null)
    .map(el => Math.round(el.getBoundingClientRect().top));
  return {outside, lines: new Set(tops).size, scrollWidth: document.documentElement.scrollWidth, width: w};
}"""


def _contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two CSS colours given as rgb()/rgba() strings."""

    def luminance(css: str) -> float:
        r, g, b = (float(part) / 255 for part in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
        return sum(
            weight * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
            for weight, c in zip((0.2126, 0.7152, 0.0722), (r, g, b), strict=True)
        )

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The focused element's outline and the colour behind it (the first ancestor with a background).
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let bg = 'rgb(255, 255, 255)';
  for (let node = el.parentElement; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour && colour !== 'transparent' && !colour.startsWith('rgba(0, 0, 0, 0)')) { bg = colour; break; }
  }
  return {tag: el.tagName, text: (el.textContent || el.name || '').trim().slice(0, 40),
          style: style.outlineStyle, width: parseFloat(style.outlineWidth), colour: style.outlineColor, behind: bg};
}"""


NAVY = "rgb(18, 56, 92)"  # the header and footer


def _assert_visible_focus(page: Page, behind: str | None = None) -> dict:
    """The focused element has an outline of at least 2 px with 3:1 contrast against what lies around it
    (the first ancestor's background, or ``behind`` for something positioned over another element)."""
    focus = page.evaluate(FOCUS_STYLE)
    assert focus["style"] not in ("none", "hidden"), focus
    assert focus["width"] >= 2, focus
    assert _contrast(focus["colour"], behind or focus["behind"]) >= 3, focus
    return focus


@pytest.mark.parametrize("email", ROLES)
def test_the_header_fits_at_every_width_for_every_role(page: Page, live_server, demo_data, email):
    log_in(page, live_server.url, email)
    for width in DESKTOP_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + "/")
        geometry = page.evaluate(HEADER_GEOMETRY)
        assert geometry["outside"] == [], (width, geometry)
        assert geometry["lines"] == 1, (width, geometry)  # brand, entries and user menu on one line
        assert geometry["scrollWidth"] <= width, (width, geometry)
        expect(page.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
        expect(page.locator(".user-toggle")).to_be_visible()

    for width in NARROW_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + "/")
        page.get_by_role("button", name="Menu", exact=True).click()
        expect(page.locator("#hovedmenu")).to_be_visible()
        geometry = page.evaluate(HEADER_GEOMETRY)
        assert geometry["outside"] == [], (width, geometry)
        assert geometry["scrollWidth"] <= width, (width, geometry)
        expect(page.get_by_role("link", name="Overblik")).to_be_visible()
        expect(page.locator(".user-toggle")).to_be_visible()


def test_the_user_menu_shows_the_whole_organisation_name(page: Page, live_server, demo_data, assert_accessible):
    log_in(page, live_server.url, "ledelse@demo.dk")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Brugermenu: Hanne Vestergaard").click()

    organisation = page.get_by_text("Projektsekretariatet KOMPETENCEFORSYNINGmidt", exact=True)
    expect(organisation).to_be_visible()
    assert page.evaluate(
        "el => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= innerWidth",
        organisation.element_handle(),
    )
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()
    assert_accessible(page)


def test_the_menu_works_by_keyboard_with_a_visible_focus(page: Page, live_server, demo_data, assert_accessible):
    log_in(page, live_server.url)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Spring til indhold")).to_be_focused()
    _assert_visible_focus(page, behind=NAVY)  # it appears over the header
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Overblik")).to_be_focused()
    focus = _assert_visible_focus(page)
    assert focus["behind"] == NAVY  # measured against the dark bar itself

    page.keyboard.press("Tab")
    group = page.get_by_role("button", name="Virksomheder", exact=True)
    expect(group).to_be_focused()
    _assert_visible_focus(page)
    page.keyboard.press("Enter")
    expect(group).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="Virksomheder", exact=True)).to_be_focused()
    _assert_visible_focus(page)
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="Mine virksomheder", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/virksomheder/mine/")
    expect(page.get_by_role("button", name="Virksomheder", exact=True)).to_have_class("nav-link dropdown-toggle active")
    assert_accessible(page)


def test_a_form_field_shows_a_visible_focus(page: Page, live_server, demo_data):
    log_in(page, live_server.url)
    page.goto(live_server.url + "/virksomheder/")

    field = page.get_by_label("Søg på navn, CVR- eller P-nummer")
    field.focus()
    expect(field).to_be_focused()
    _assert_visible_focus(page)
    # Also when reached by the keyboard from the field before it.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(field).to_be_focused()
    _assert_visible_focus(page)


# ---------------------------------------------------------------------------
# Reflow at 320 CSS px (WCAG 1.4.10)
# ---------------------------------------------------------------------------
REFLOW_WIDTH = 320
PAGES_PER_ROLE = 32
# Not pages: downloads, logging out, the Django admin (its own responsive layout), allauth's settings.
NOT_PAGES = (
    "logout",
    "log-ud",
    "/admin/",
    "/accounts/",
    "/i18n/",
    "/static/",
    "/media/",
    ".pdf",
    ".csv",
    ".ics",
    "xlsx",
    "export",
    "eksport",
    "download",
    "hent",
    "feed",
    "cpr-visninger",
    "start-skema",
    "slut-skema",
)

# Elements that end right of the window and are not inside a box that scrolls on its own (a table's).
WIDE_ELEMENTS = """w => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > w + 0.5 && !el.closest('.table-responsive'))
  .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > w + 0.5))
  .slice(0, 5).map(el => el.tagName + '.' + [...el.classList].join('.') + ' ' + el.textContent.trim().slice(0, 40))"""


def _pattern(path: str) -> str:
    """One page per kind: /virksomheder/18/ and /virksomheder/19/ are the same page."""
    return re.sub(r"\d+", "N", path.split("?")[0])


def _reflow_walk(
    page: Page, base: str, start: list[str], check: Callable[[Page], None], minimum: int = 12
) -> dict[str, list]:
    """Follow the site's links breadth first, one page per URL pattern, run axe-core on each page
    (``check``: at this width tables scroll inside their box, which a keyboard must be able to reach),
    and return the pages wider than the window with the elements that stick out."""
    queue, seen, wide = list(start), set(), {}
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if _pattern(path) in seen:
            continue
        seen.add(_pattern(path))
        try:
            response = page.goto(base + path)
        except PlaywrightError:  # a download
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        check(page)
        if page.evaluate("document.documentElement.scrollWidth") > REFLOW_WIDTH:
            wide[path] = page.evaluate(WIDE_ELEMENTS, REFLOW_WIDTH)
        for href in page.eval_on_selector_all(
            "main a[href], header a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            href = href.split("#")[0]
            if href.startswith("/") and not any(part in href for part in NOT_PAGES) and _pattern(href) not in seen:
                queue.append(href)
    assert len(seen) >= minimum, f"the walk found only {sorted(seen)}"
    return wide


def test_no_page_scrolls_sideways_at_320_px_for_any_role(browser, live_server, demo_data, assert_accessible):
    base = live_server.url
    found = {}

    anonymous = browser.new_page(viewport={"width": REFLOW_WIDTH, "height": 640})
    found["anonymous"] = _reflow_walk(
        anonymous, base, ["/accounts/login/", "/tilgaengelighed/", "/henvendelse/"], assert_accessible, 3
    )
    anonymous.context.close()

    for email in ROLES:
        page = browser.new_page(viewport={"width": REFLOW_WIDTH, "height": 640}, locale="da-DK")
        log_in(page, base, email)
        found[email] = _reflow_walk(page, base, ["/", "/virksomheder/", "/partnerskaber/"], assert_accessible)
        page.context.close()

    assert {who: pages for who, pages in found.items() if pages} == {}


def test_the_firm_page_on_a_phone_shows_the_timeline_first_and_long_notes_folded(
    page: Page, live_server, demo_data, assert_accessible
):
    from companies.models import Company, Visit

    me = User.objects.get(email="konsulent@demo.dk")
    visit = Visit.objects.filter(company__partnership__memberships__user=me, status=Visit.Status.COMPLETED).first()
    ending = "Sidste sætning i det lange referat."
    Visit.objects.filter(pk=visit.pk).update(summary=("Vi talte om automatisering og kompetencer. " * 60) + ending)
    company = Company.objects.get(pk=visit.company_id)
    log_in(page, live_server.url)
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto(live_server.url + company.get_absolute_url())

    timeline = page.get_by_role("heading", name="Forløb", level=2)
    case = page.get_by_role("heading", name="Sagen", level=2)
    assert timeline.bounding_box()["y"] < case.bounding_box()["y"]
    # Read in the same order as seen: the timeline comes first in the page itself.
    assert page.evaluate(
        "([a, b]) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)",
        [timeline.element_handle(), case.element_handle()],
    )
    whole = page.get_by_text(ending)
    expect(whole).to_be_hidden()
    assert_accessible(page)

    page.get_by_text("Vis hele teksten").first.click()  # a details element: works without script
    expect(whole).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
