"""The URL × role matrix: every URL pattern × every role of the cast × GET and POST, each answer
checked against what the view declares (``kompetence.rules.rule``), never against a list.

What each cell expects (``Expect``):

- ``PUBLIC``: a public view; anything but a 5xx or a 429.
- ``LOGIN``: not logged in (anonymous, deactivated): sent to the login page.
- ``FORBIDDEN``: the role lacks the rule's permission: 403, before any object is looked up.
- ``HIDDEN``: the permission is held but an object of the URL is not visible to the user: 404.
- ``OWNER``: the positive control, the most ordinary user who holds the permission and sees the
  objects (``walker.owner_of``): the page works, GET and POST (with the fields of the form that posts
  there): below 400, 405 for a method the view does not take, or 400 showing the form's errors.
- ``ALLOWED``: another user who holds the permission and sees the objects: the page works, or 403 for
  an object-level right beyond the role (only the coordinator approves minutes).
- ``STAFF`` / ``NOT_STAFF``: the Django admin (placeholder ids): no error for the administrator; anyone
  else never gets an admin page (a redirect or a 403).
- ``SIGNED_IN``: allauth's pages for a logged-in user (e-mail, password, two-factor): no error.

Every request runs in a savepoint that is rolled back, so no cell changes the world another cell
sees; a refused request (``LOGIN``, ``FORBIDDEN``, ``HIDDEN``, ``NOT_STAFF``) must not have changed a
row before that rollback (``walker.WriteProbe``). A 429 is never a pass: every client has an address
of its own and the cache is private, so a throttle answering means the walk is wrong.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field

from django.conf import settings

from tests.walk import figures
from tests.walker import (
    LOGIN_REDIRECTS,
    Route,
    Target,
    Walk,
    WriteProbe,
    all_routes,
    can_see,
    client_for,
    fresh,
    placeholder_url,
    rolled_back,
    succeeded,
    table_checksums,
)

METHODS = ("get", "post")
# Marks of a form shown again with its errors (the error summary, crispy's invalid fields): a view may
# answer such a page with 400, which is the page working, not refusing the user.
FORM_ERRORS = ("data-error-summary", "is-invalid", "errorlist", "invalid-feedback")
SLOW_SECONDS = 10.0  # a single answer slower than this is reported as a failure


class Expect(enum.Enum):
    PUBLIC = "public"
    LOGIN = "login"
    FORBIDDEN = "403"
    HIDDEN = "404"
    OWNER = "owner"
    ALLOWED = "allowed"
    STAFF = "staff"
    NOT_STAFF = "not staff"
    SIGNED_IN = "signed in"

    @property
    def refused(self) -> bool:
        return self in (Expect.LOGIN, Expect.FORBIDDEN, Expect.HIDDEN, Expect.NOT_STAFF)


@dataclass
class Cell:
    route: Route
    url: str
    role: str
    method: str
    expect: Expect
    status: int = 0
    location: str = ""
    seconds: float = 0.0
    changed: list[str] = field(default_factory=list)
    form_refused: bool = False  # a 400 that shows the form again with its errors

    @property
    def problem(self) -> str | None:
        """Why this answer breaks the rule (None when it holds)."""
        status, expect = self.status, self.expect
        if status >= 500:
            return "server error"
        if status == 429:
            return "throttled (the walk must never be throttled)"
        if self.seconds > SLOW_SECONDS:
            return f"took {self.seconds:.1f} s"
        if self.changed:
            return "a refused request changed " + ", ".join(self.changed)
        token = bool(self.route.rule and self.route.rule.tokens) and status == 404
        ok = {
            Expect.PUBLIC: True,
            Expect.LOGIN: (status == 302 and self.location.startswith(LOGIN_REDIRECTS))
            or (not self.route.ours and status in (404, 405)),
            Expect.FORBIDDEN: status == 403,
            # A view that takes only POST may say so (405) before it looks the object up.
            Expect.HIDDEN: status == 404 or (self.method == "get" and status == 405),
            Expect.OWNER: succeeded(status) or self.form_refused or token,
            Expect.ALLOWED: succeeded(status) or self.form_refused or status == 403 or token,
            Expect.STAFF: True,
            Expect.NOT_STAFF: status != 200,
            Expect.SIGNED_IN: True,
        }[expect]
        return None if ok else f"{status} {self.location}".strip() + f", expected {expect.value}"

    def describe(self) -> str:
        return f"{self.role} {self.method.upper()} {self.url} ({self.route.name}): {self.problem}"


def expectation(route: Route, target: Target | None, role: str, user, walk: Walk) -> Expect:
    if route.public:
        return Expect.PUBLIC
    if not user.is_authenticated or not user.is_active:
        return Expect.LOGIN
    if not route.ours:
        if route.is_admin:
            return Expect.STAFF if user.is_staff else Expect.NOT_STAFF
        return Expect.SIGNED_IN
    perm = route.rule.perm
    if perm and not user.has_perm(perm):
        return Expect.FORBIDDEN
    if not all(can_see(user, obj) for obj in target.objects.values()):
        return Expect.HIDDEN
    owner = walk.owners[route.name]
    if owner.pk == user.pk and (perm not in settings.MFA_REQUIRED_PERMISSIONS or walk.cast.two_factor(user)):
        return Expect.OWNER
    return Expect.ALLOWED


@dataclass
class Matrix:
    cells: list[Cell]
    routes: int
    roles: int
    skipped: list[str]

    def problems(self, *, roles: set[str] | None = None, expects: set[Expect] | None = None) -> list[str]:
        return [
            cell.describe()
            for cell in self.cells
            if cell.problem and (roles is None or cell.role in roles) and (expects is None or cell.expect in expects)
        ]


def sampled(route: Route, role_index: int, role_count: int, method: str, expect: Expect) -> bool:
    """Which cells the CI sample requests; the full mode (``SECURITY_FULL=1``) requests all.

    Every refused cell (the cheap ones, and the ones about leaks) and the owner's are always
    requested, and every role GETs every page of ours. The admin's generated pages (a handful per
    model, all alike) are walked by three roles each, rotating; the POSTs of users who may use a page
    but are not its owner, by one role in three, rotating, so every role still meets every kind."""
    if figures.FULL:
        return True
    offset = sum(route.name.encode())
    if route.is_admin:
        return (role_index - offset) % role_count < 3
    if method == "get" or expect.refused or expect is Expect.OWNER:
        return True
    return (role_index + offset) % 3 == 0


def build_matrix(walk: Walk) -> Matrix:
    """Request every cell once (see the module docstring); the caller asserts on the answers."""
    started = time.monotonic()
    targets = {target.route.name: target for target in walk.targets}
    everyone = walk.cast.everyone()
    users = {label: fresh(u) if u.is_authenticated else u for label, u in everyone.items()}
    clients = {
        label: client_for(u, two_factor=u.is_authenticated and walk.cast.two_factor(u)) for label, u in users.items()
    }
    pristine = table_checksums()
    cells, skipped, routes = [], [], 0
    for route in all_routes():
        target = targets.get(route.name)
        url = target.url if target else (placeholder_url(route) if not route.ours else None)
        if url is None or route.is_error_preview:
            skipped.append(route.name)
            continue
        routes += 1
        for index, (label, user) in enumerate(users.items()):
            expected = expectation(route, target, label, user, walk)
            for method in METHODS:
                data = walk.body_for(url) if method == "post" else {}
                # The owner's POST proves something only with the form the owner's page offered;
                # without one, an object-level refusal (403) is as right as for anyone allowed.
                expect = Expect.ALLOWED if expected is Expect.OWNER and method == "post" and not data else expected
                if not sampled(route, index, len(users), method, expect):
                    continue
                cell = Cell(route, url, label, method, expect)
                with rolled_back(clients[label]):
                    probe = WriteProbe()
                    begun = time.monotonic()
                    response = getattr(clients[label], method)(url, data)
                    cell.seconds = time.monotonic() - begun
                    cell.status, cell.location = response.status_code, response.get("Location", "")
                    if cell.status == 400 and "html" in response.get("Content-Type", ""):
                        page = response.content.decode("utf-8", errors="replace")
                        cell.form_refused = any(marker in page for marker in FORM_ERRORS)
                    if expect.refused:
                        cell.changed = probe.changed(pristine)
                cells.append(cell)
    matrix = Matrix(cells=cells, routes=routes, roles=len(users), skipped=skipped)
    figures.timed("URL × role matrix", time.monotonic() - started)
    figures.count(
        "URL × role matrix",
        url_patterns=routes,
        roles=len(users),
        requests=len(cells),
        refused_requests=sum(c.expect.refused for c in cells),
        server_errors=sum(c.status >= 500 for c in cells),
        throttled=sum(c.status == 429 for c in cells),
        refused_with_writes=sum(bool(c.changed) for c in cells),
        wrong_answers=sum(bool(c.problem) for c in cells),
    )
    by_kind: dict[str, list[float]] = {}
    for cell in cells:
        by_kind.setdefault(f"{cell.expect.value} {cell.method.upper()}", []).append(cell.seconds)
    figures.note(
        "URL × role matrix",
        "seconds by expectation: "
        + ", ".join(f"{kind} {len(s)}×{sum(s) / len(s) * 1000:.0f} ms" for kind, s in sorted(by_kind.items())),
    )
    for cell in cells:
        if cell.problem:
            figures.note("URL × role matrix", cell.describe())
    return matrix
