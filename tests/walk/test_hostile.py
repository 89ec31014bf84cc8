"""Hostile input into every field of every form the walk finds (issue 7, item 9).

The forms are the ones on the pages the owners' walk opened (``Walk.forms`` and ``Walk.get_forms``:
parsed ``<form>`` elements with the values the page filled in), so a new form is tried on arrival.
Each submission is sent by the owner of the page the form is on, in a savepoint that is rolled back,
with the throttles' cache emptied first (a 429 is a failure, never a pass), and must give:

- no 5xx, no 429, and an answer within a generous bound;
- nothing unescaped: the string's markup never in the HTML answer, nor on the page it redirects to or
  the page the form is on; no header injected; no redirect off the site;
- nothing half-saved: a refused submission (4xx, or the form shown again with errors) changed no row
  (``walker.WriteProbe`` against the digests taken before);
- formulas saved are neutralised in the CSV exports.

``test_markup_saved_through_any_form_is_escaped_on_every_page`` then saves markup through every field
that takes it and opens every page of the walk, where the value may be shown (lists, dashboards,
meetings), looking for it unescaped.

The CI sample sends, per form and per class of string, one string into one field (rotating), and one
string into all fields at once; ``SECURITY_FULL=1`` sends every class into every field and every
string into every form (see ``plan``). The markup sweep saves markup through every free-text field
(text inputs and text areas; dates, numbers and choices refuse it anyway).
"""

from __future__ import annotations

import csv
import io
import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction

from kompetence.exports import FORMULA_PREFIXES
from tests.walk import figures
from tests.walk.hostile import HOSTILE, KINDS, Hostile, of_kind
from tests.walker import Walk, WriteProbe, client_for, rolled_back, table_checksums

pytestmark = pytest.mark.django_db

SECTION = "hostile input"
GENEROUS = 10.0  # seconds for one submission; the slowest is reported in the figures
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}
FORM_ERRORS = ("data-error-summary", "is-invalid", "errorlist", "invalid-feedback")
URLENCODED = "application/x-www-form-urlencoded"


@dataclass
class Form:
    method: str
    action: str
    page: str  # the page the form was found on
    defaults: dict[str, list[str]]
    owner_route: str

    @property
    def fields(self) -> list[str]:
        return [name for name in self.defaults if name not in SKIPPED_FIELDS]

    def body(self, fields: list[str], value: str | bytes) -> str:
        pairs = []
        for name, values in self.defaults.items():
            if name in fields:
                pairs.append((name, value))
            else:
                pairs.extend((name, v) for v in values)
        return urlencode(pairs, doseq=False)


def forms_of(walk: Walk) -> list[Form]:
    route_of_page = {target.url: target.route.name for target in walk.targets}
    found = []
    for method, forms in (("post", walk.forms), ("get", walk.get_forms)):
        for action, defaults in sorted(forms.items()):
            page = walk.form_pages.get(action if method == "post" else "GET " + action)
            if page is None or page not in route_of_page:
                continue
            form = Form(method, action, page, defaults, route_of_page[page])
            if form.fields:
                found.append(form)
    return found


class Clients:
    """One client per owner, from an address of its own, with two-factor where the walk has it."""

    def __init__(self, walk: Walk):
        self.walk, self._clients = walk, {}

    def of(self, form: Form):
        owner = self.walk.owners[form.owner_route]
        if owner.pk not in self._clients:
            self._clients[owner.pk] = client_for(owner, two_factor=self.walk.cast.two_factor(owner))
        return self._clients[owner.pk]


def send(client, form: Form, fields: list[str], value: str | bytes):
    body = form.body(fields, value)
    if form.method == "post":
        return client.post(form.action, body, content_type=URLENCODED)
    return client.get(f"{form.action}?{body}")


def html_of(response) -> str:
    if "html" not in response.get("Content-Type", ""):
        return ""
    return response.content.decode("utf-8", errors="replace")


def local(location: str) -> bool:
    parts = urlsplit(location)
    return (not parts.netloc or parts.netloc == "testserver") and not location.startswith("//")


def refused(response, html: str) -> bool:
    return response.status_code >= 400 or (response.status_code == 200 and any(m in html for m in FORM_ERRORS))


def export_urls(walk: Walk) -> list[tuple[str, str]]:
    return [(t.url, t.route.name) for t in walk.targets if "export" in t.route.name and not t.route.params]


def formula_cells(csv_text: str, value: str) -> list[str]:
    """Cells of a CSV export that start with the formula as typed (not neutralised with ')."""
    rows = csv.reader(io.StringIO(csv_text), delimiter=";")
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_PREFIXES) and cell.startswith(value)]


@dataclass
class Finding:
    form: Form
    fields: list[str]
    hostile: Hostile
    what: str

    def __str__(self) -> str:
        shown = ",".join(self.fields) if len(self.fields) < 4 else f"all {len(self.fields)} fields"
        return f"{self.form.method.upper()} {self.form.action} [{shown}] {self.hostile.label()}: {self.what}"


def plan(forms: list[Form]) -> list[tuple[Form, list[str], Hostile]]:
    """Which string goes into which field(s) of which form.

    CI sample: per form and class of string, one string of the class into one field (both rotating),
    and per form one string into all its fields at once (the class rotating).
    Full (``SECURITY_FULL=1``): every class into every field alone (the string rotating within the
    class), and every string into all the fields of every form at once. (Every string into every field
    alone would be some 23,000 submissions, about two hours here.)
    """
    submissions = []
    for form_index, form in enumerate(forms):
        fields = form.fields
        for kind_index, kind in enumerate(KINDS):
            strings = of_kind(kind)
            if figures.FULL:
                for field_index, name in enumerate(fields):
                    submissions.append((form, [name], strings[(form_index + field_index) % len(strings)]))
                submissions.extend((form, fields, hostile) for hostile in strings)
                continue
            one = strings[(form_index + kind_index) % len(strings)]
            submissions.append((form, [fields[(form_index * 7 + kind_index) % len(fields)]], one))
        if not figures.FULL:
            strings = of_kind(KINDS[form_index % len(KINDS)])
            submissions.append((form, fields, strings[form_index % len(strings)]))
    return submissions


def test_hostile_strings_into_every_field_of_every_form(world):
    walk = world.walk
    forms = forms_of(walk)
    clients = Clients(walk)
    exports = export_urls(walk)
    pristine = table_checksums()
    findings: list[Finding] = []
    counts = {"submissions": 0, "refused": 0, "saved": 0, "pages_checked": 0, "exports_checked": 0}
    slowest = 0.0
    started = time.monotonic()

    for form, fields, hostile in plan(forms):
        client = clients.of(form)
        with rolled_back(client):
            cache.clear()  # the throttles start over: a 429 must come from this submission alone
            probe = WriteProbe()
            begun = time.monotonic()
            response = send(client, form, fields, hostile.value)
            seconds = time.monotonic() - begun
            slowest = max(slowest, seconds)
            counts["submissions"] += 1
            html, status = html_of(response), response.status_code
            location = response.get("Location", "")
            problems = []
            if status >= 500:
                problems.append(f"server error {status}")
            if status == 429:
                problems.append("throttled")
            if seconds > GENEROUS:
                problems.append(f"took {seconds:.1f} s")
            if hostile.found_in(html):
                problems.append("unescaped in the answer")
            if "kp-injected" in response.cookies or any("kp-injected" in v for _k, v in response.items()):
                problems.append("header injected")
            if location and not local(location):
                problems.append(f"redirects off the site to {location}")
            if refused(response, html):
                counts["refused"] += 1
                changed = probe.changed(pristine)
                if changed:
                    problems.append("refused but half-saved: " + ", ".join(changed))
            elif status < 400:
                counts["saved"] += 1
                shown = [form.page] + ([location] if location and local(location) else [])
                for page in dict.fromkeys(shown):
                    page_response = client.get(page)
                    counts["pages_checked"] += 1
                    if page_response.status_code >= 500:
                        problems.append(f"{page} then answers {page_response.status_code}")
                    if hostile.found_in(html_of(page_response)):
                        problems.append(f"unescaped on {page}")
                if hostile.kind == "formula" and isinstance(hostile.value, str):
                    for url, _name in exports:
                        export = client.get(url)
                        counts["exports_checked"] += 1
                        if export.status_code >= 500:
                            problems.append(f"export {url} answers {export.status_code}")
                        elif export.streaming and "csv" in export.get("Content-Type", ""):
                            text = b"".join(export.streaming_content).decode("utf-8-sig", errors="replace")
                            if formula_cells(text, hostile.value):
                                problems.append(f"formula not neutralised in {url}")
            findings.extend(Finding(form, fields, hostile, p) for p in problems)

    figures.timed(SECTION, time.monotonic() - started)
    figures.count(
        SECTION,
        strings=len(HOSTILE),
        classes=len(KINDS),
        forms=len(forms),
        fields=sum(len(f.fields) for f in forms),
        **counts,
        server_errors=sum("server error" in f.what or "answers 5" in f.what for f in findings),
        leaks=sum("unescaped" in f.what or "injected" in f.what for f in findings),
        half_saved=sum("half-saved" in f.what for f in findings),
        throttled=sum(f.what == "throttled" for f in findings),
        slowest_ms=int(slowest * 1000),
    )
    for finding in findings:
        figures.note(SECTION, str(finding))

    assert len(HOSTILE) >= 50
    assert len(forms) >= 30
    assert counts["refused"] and counts["saved"]  # both paths were exercised
    assert [str(f) for f in findings] == []


SWEEP_TEMPLATES = ['"\'><script>alert("kp-s-{n}")</script>']
SWEEP_TEMPLATES_FULL = [
    *SWEEP_TEMPLATES,
    "<img src=x onerror=alert('kp-s-{n}')>",
    "javascript:alert('kp-s-{n}')//",
]
SWEEP_NEEDLES = [
    re.compile(r'<script>alert\("kp-s-(\d+)"\)'),
    re.compile(r"<img src=x onerror=alert\('kp-s-(\d+)'\)>"),
    re.compile(r"""(?:href|src)\s*=\s*["']?\s*javascript:alert\((?:'|&#x27;|&#39;)kp-s-(\d+)"""),
]


def test_markup_saved_through_any_form_is_escaped_on_every_page(world):
    walk = world.walk
    forms = [form for form in forms_of(walk) if form.method == "post" and walk.text_fields.get(form.action)]
    clients = Clients(walk)
    owners = {target.url: walk.owners[target.route.name] for target in walk.targets}
    page_clients = {}
    started = time.monotonic()
    leaks, saved, pages = [], 0, 0
    templates = SWEEP_TEMPLATES_FULL if figures.FULL else SWEEP_TEMPLATES
    for template_index, template in enumerate(templates):
        where: dict[str, str] = {}
        with transaction.atomic():
            for form in forms:
                client = clients.of(form)
                for name in sorted(walk.text_fields[form.action]):
                    n = str(len(where))
                    where[n] = f"{form.action} [{name}]"
                    cache.clear()
                    with transaction.atomic():  # kept when it saved, so the value is on the pages
                        response = send(client, form, [name], template.format(n=n))
                        if response.status_code >= 500:
                            transaction.set_rollback(True)
                        elif response.status_code in (301, 302, 303):
                            saved += 1
            for url, owner in owners.items():
                if owner.pk not in page_clients:
                    page_clients[owner.pk] = client_for(owner, two_factor=walk.cast.two_factor(owner))
                client = page_clients[owner.pk]
                with rolled_back(client):
                    html = html_of(client.get(url))
                pages += 1
                for match in SWEEP_NEEDLES[template_index].finditer(html):
                    leaks.append(f"{url} shows unescaped the value saved through {where.get(match.group(1))}")
            transaction.set_rollback(True)

    figures.timed("stored markup on every page", time.monotonic() - started)
    figures.count(
        "stored markup on every page",
        payloads=len(templates),
        submissions=len(where) * len(templates),
        saved=saved,
        pages_checked=pages,
        leaks=len(leaks),
    )
    for leak in leaks:
        figures.note("stored markup on every page", leak)

    assert saved >= 10  # the sweep saved markup somewhere, or it proves nothing
    assert leaks == []
