"""The one walker over every URL of the portal, which the standing access and security tests build on.

It finds every URL pattern from the resolver (our apps, allauth, the admin) and builds a concrete URL
for each. For our views the URL parameters are filled with **real objects** from the demo data, as the
view's rule declares them (``kompetence.rules.rule(objects=...)``): a firm page gets a real firm of the
demo consultant's partnership, so a 404 for a non-existent id can never pass for a 404 of scoping.

What a URL should answer to whom is derived from the rule its view declares, never listed here:

- a view of our apps without a rule, or with a URL parameter its rule does not name, fails the walk;
- ``public``: anyone, never a 5xx;
- otherwise anonymous visitors are sent to the login page;
- a role without the rule's permission gets 403;
- a user who holds the permission but cannot see the object gets 404 and changes nothing;
- some user who can see it (the *owner*, a member of the object's partnership when there is one)
  succeeds: the positive control.

Third-party views (allauth, the admin) are walked with placeholder parameters and the expectations in
``EXTERNAL_PUBLIC`` below (allauth's login and recovery steps are public; the admin needs staff).

``World`` is the demo data of ``seed_demo`` plus the cast of users the walk acts as. Pages and the forms
on them are collected as the owner walks (``Walk.forms``), so POSTs can carry a plausible body: the
fields of the form that posts to that URL, with the values the page filled in.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import itertools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

from kompetence.rules import Rule, rule_of
from partnerships.models import Membership, Role, User
from partnerships.scoping import PartnershipScopedQuerySet

# The packages whose views must declare a rule.
OUR_PACKAGES = ("kompetence", "partnerships", "companies", "activities", "reporting")

# Third-party views anyone may open, by URL name: logging in and the steps allauth may put between
# the password and the session, logging out (must work for an expired session), the closed sign-up
# page (it only says so), password recovery by e-mailed link, e-mail confirmation links opened from a
# mail client, and Django's admin login (kompetence/urls.py wraps it so it only redirects to the
# portal login).
EXTERNAL_PUBLIC = {
    "account_login",
    "account_confirm_login_code",
    "mfa_authenticate",
    "account_inactive",
    "account_logout",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "admin:login",
}

# Routes added only with DEBUG (the URL module may be imported before the test settings apply).
ERROR_PREVIEWS = ("_fejl/",)

# Values tried, in order, for each parameter of a third-party URL until it resolves to its own view.
PLACEHOLDERS = ["1", "x", "partnerships", "00000000-0000-0000-0000-000000000001"]

LOGIN_URL = "/accounts/login/"
# Where an anonymous visitor may be sent. The admin's views name their own login page, which
# LoginRequiredMiddleware honours (and which redirects on to the portal login).
LOGIN_REDIRECTS = (LOGIN_URL + "?next=", "/admin/login/?next=")

# Tables a request may write to whoever sends it: sessions, the security log and the login
# throttle's records. Everything else must be unchanged after a request that is refused.
LOG_TABLES_PREFIXES = ("django_session", "axes_", "kompetence_auditevent")


# ---------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------
@dataclass
class Route:
    name: str  # "namespace:name", or the route itself for unnamed patterns
    route: str
    callback: object
    regex: str
    rule: Rule | None

    @property
    def ours(self) -> bool:
        """A page of our apps, which must declare its rule. The Django admin's pages (ours included,
        like the CSV import) are governed by the admin's own staff check and permissions."""
        if self.is_admin:
            return False
        module = getattr(self.callback, "__module__", "") or ""
        return self.rule is not None or module.split(".")[0] in OUR_PACKAGES

    @property
    def params(self) -> list[str]:
        return sorted({name for _template, names in normalize(self.regex) for name in names})

    @property
    def public(self) -> bool:
        if self.ours:
            return bool(self.rule and self.rule.public)
        return self.name in EXTERNAL_PUBLIC

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")

    @property
    def is_error_preview(self) -> bool:
        """The developers' previews of the error pages (kompetence/urls.py, DEBUG only): the 500
        preview answers 500 by design, so the walk leaves them out."""
        return self.route.startswith(ERROR_PREVIEWS)


def _leaf_patterns(patterns, prefix=(), namespaces=()) -> Iterator[tuple[tuple, tuple[str, ...]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = (pattern.namespace,) if pattern.namespace else ()
            yield from _leaf_patterns(pattern.url_patterns, (*prefix, pattern), namespaces + namespace)
        elif isinstance(pattern, URLPattern):
            yield (*prefix, pattern), namespaces


def _regex_of(chain) -> str:
    parts = []
    for pattern in chain:
        regex = pattern.pattern.regex.pattern
        parts.append(regex.removeprefix("^").removesuffix(r"\Z").removesuffix("$"))
    return "".join(parts)


def all_routes() -> list[Route]:
    routes = []
    for chain, namespaces in _leaf_patterns(get_resolver().url_patterns):
        leaf = chain[-1]
        route = "".join(str(p.pattern) for p in chain)
        name = ":".join((*namespaces, leaf.name)) if leaf.name else route
        routes.append(
            Route(name=name, route=route, callback=leaf.callback, regex=_regex_of(chain), rule=rule_of(leaf.callback))
        )
    return routes


def _resolves_to(url: str, route: Route) -> bool:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    return match.func is route.callback or match.func == route.callback


def url_with(route: Route, values: dict[str, str]) -> str | None:
    """The route's URL with ``values`` for its parameters, if it resolves back to the route's view."""
    for template, names in normalize(route.regex):
        if set(names) == set(values):
            url = "/" + template % values
            if _resolves_to(url, route):
                return url
    return None


def placeholder_url(route: Route) -> str | None:
    """A URL for a third-party route, with placeholder values until it resolves to its own view."""
    for template, names in normalize(route.regex):
        for values in itertools.product(PLACEHOLDERS, repeat=len(names)):
            url = "/" + template % dict(zip(names, values, strict=True))
            if _resolves_to(url, route):
                return url
    return None


def undeclared(route: Route) -> str | None:
    """Why an our-app route fails the walk by what it declares (None when it declares enough)."""
    if route.rule is None:
        return "its view declares no rule (kompetence.rules.rule)"
    missing = [p for p in route.params if p not in route.rule.objects and p not in route.rule.tokens]
    if missing:
        return f"its rule does not say which object the parameter(s) {', '.join(missing)} point at"
    return None


# ---------------------------------------------------------------------------
# The world: demo data and the cast
# ---------------------------------------------------------------------------
@dataclass
class Cast:
    """The people the walk acts as, all from the demo data."""

    consultant: User  # konsulent@demo.dk, the owner of the objects walked
    foreign: User  # a consultant sharing no partnership with the owner
    coordinator: User  # the owner's partnership's coordinator (tovholder); the demo secretariat
    secretariat: User  # a secretariat member of the owner's partnership who is not its coordinator
    management: User
    administrator: User
    deactivated: User  # a former consultant of the owner's partnership
    cpr_revealer: User  # holds activities.reveal_cpr, with a TOTP authenticator and a two-factor session

    def members(self) -> list[User]:
        """Who may be an object's owner, most ordinary first (an administrator's success proves little)."""
        return [
            self.consultant,
            self.coordinator,
            self.secretariat,
            self.management,
            self.cpr_revealer,
            self.administrator,
        ]

    def everyone(self) -> dict[str, User | AnonymousUser]:
        """Every role the walk acts as, by label."""
        return {
            "anonymous": AnonymousUser(),
            "own consultant": self.consultant,
            "foreign consultant": self.foreign,
            "coordinator": self.coordinator,
            "secretariat": self.secretariat,
            "management": self.management,
            "administrator": self.administrator,
            "cpr revealer": self.cpr_revealer,
            "deactivated": self.deactivated,
        }

    def two_factor(self, user: User) -> bool:
        """Whether the walk's session for ``user`` counts as logged in with a second factor."""
        return user.pk == self.cpr_revealer.pk


def build_cast() -> Cast:
    consultant = User.objects.get(email="konsulent@demo.dk")
    own = set(consultant.memberships.values_list("partnership_id", flat=True))
    shared = Membership.objects.filter(partnership_id__in=own).values("user_id")
    foreign = (
        User.objects.filter(groups__name=Role.CONSULTANT, is_active=True, memberships__isnull=False)
        .exclude(pk__in=shared)
        .order_by("email")
        .first()
    )
    coordinator = (
        User.objects.filter(
            memberships__partnership_id__in=own, memberships__lead_role=Membership.LeadRole.COORDINATOR, is_active=True
        )
        .order_by("email")
        .first()
    )
    deactivated = (
        User.objects.filter(groups__name=Role.CONSULTANT, memberships__partnership_id__in=own, is_active=True)
        .exclude(pk=consultant.pk)
        .order_by("email")
        .first()
    )
    User.objects.filter(pk=deactivated.pk).update(is_active=False)
    deactivated.refresh_from_db()
    return Cast(
        consultant=consultant,
        foreign=foreign,
        coordinator=coordinator,
        secretariat=_plain_secretariat(own, coordinator),
        management=User.objects.get(email="ledelse@demo.dk"),
        administrator=User.objects.get(email="admin@demo.dk"),
        deactivated=deactivated,
        cpr_revealer=_cpr_revealer(),
    )


def _plain_secretariat(own: set[int], coordinator: User) -> User:
    """A secretariat member of one of the owner's partnerships without a lead role (made if the demo has none)."""
    user = (
        User.objects.filter(groups__name=Role.SECRETARIAT, memberships__partnership_id__in=own, is_active=True)
        .exclude(memberships__lead_role=Membership.LeadRole.COORDINATOR)
        .exclude(pk=coordinator.pk)
        .order_by("email")
        .first()
    )
    if user is None:
        user = User.objects.create_user(
            email="sekretariat.walk@demo.dk",
            first_name="Sif",
            last_name="Walker",
            organisation=coordinator.organisation,
            password=None,
        )
        user.groups.add(Group.objects.get(name=Role.SECRETARIAT))
        Membership.objects.create(user=user, partnership_id=min(own), group=Membership.Group.CONSULTANTS)
    return user


def _cpr_revealer() -> User:
    """A user allowed to reveal CPR numbers (a role holding ``activities.reveal_cpr``), with a TOTP
    authenticator as production requires of such users; its walk session is marked two-factor."""
    from allauth.mfa.models import Authenticator
    from django.conf import settings

    holders = [
        group for group in Group.objects.all() if any(_group_has(group, p) for p in settings.MFA_REQUIRED_PERMISSIONS)
    ]
    management = User.objects.get(email="ledelse@demo.dk")
    user = User.objects.create_user(
        email="cpr.walk@demo.dk",
        first_name="Cecilie",
        last_name="Walker",
        organisation=management.organisation,
        password=None,
    )
    user.groups.add(*holders[:1])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "walk-not-a-secret"})
    return user


def _group_has(group: Group, perm: str) -> bool:
    app_label, codename = perm.split(".")
    return group.permissions.filter(content_type__app_label=app_label, codename=codename).exists()


def fresh(user: User) -> User:
    """The user as a new request would load it (cached roles and permissions start over)."""
    return User.objects.get(pk=user.pk)


def can_see(user: User, instance) -> bool:
    manager = type(instance)._default_manager
    queryset = manager.all()
    if isinstance(queryset, PartnershipScopedQuerySet):
        return queryset.for_user(fresh(user)).filter(pk=instance.pk).exists()
    return True


@dataclass
class Target:
    """A concrete URL of one of our routes, with the objects in it."""

    route: Route
    url: str
    objects: dict[str, object]

    @property
    def scoped_objects(self) -> list:
        return [
            o for o in self.objects.values() if isinstance(type(o)._default_manager.all(), PartnershipScopedQuerySet)
        ]


def demo_object(label: str, cast: Cast):
    """An object of model ``label`` the owner can see and the foreign consultant cannot (for scoped
    models), else the first one; None when the demo data has none."""
    model = apps.get_model(label)
    queryset = model._default_manager.all()
    if isinstance(queryset, PartnershipScopedQuerySet):
        mine = queryset.for_user(fresh(cast.consultant))
        theirs = model._default_manager.all().for_user(fresh(cast.foreign)).values("pk")
        return mine.exclude(pk__in=theirs).order_by("pk").first()
    return queryset.order_by("pk").first()


def target_for(route: Route, cast: Cast) -> Target | str:
    """The concrete URL of an our-app route, or why there is none."""
    problem = undeclared(route)
    if problem:
        return problem
    objects, values = {}, {}
    for param in route.params:
        if param in route.rule.tokens:
            values[param] = "x"  # a made-up credential, which the view must refuse
            continue
        label, lookup = route.rule.object_model(param)
        instance = demo_object(label, cast)
        if instance is None:
            return f"the demo data has no {label} the demo consultant can see (add it to the app's demo step)"
        objects[param] = instance
        values[param] = str(getattr(instance, lookup))
    url = url_with(route, values)
    if url is None:
        return f"no URL could be built from {values}"
    return Target(route, url, objects)


def owner_of(target: Target, cast: Cast) -> User | None:
    """The most ordinary user who holds the rule's permission and can see every object of the URL
    (for a permission that demands two-factor login, one whose session has it)."""
    from django.conf import settings

    perm = target.route.rule.perm
    for user in cast.members():
        user = fresh(user)
        if perm and not user.has_perm(perm):
            continue
        if perm in settings.MFA_REQUIRED_PERMISSIONS and not cast.two_factor(user):
            continue
        if all(can_see(user, obj) for obj in target.objects.values()):
            return user
    return None


# ---------------------------------------------------------------------------
# Requests, forms and the database's state
# ---------------------------------------------------------------------------
_addresses = itertools.count(1)


def client_for(user: User | AnonymousUser, *, two_factor: bool = False) -> Client:
    """A client logged in as ``user``, from an address of its own (198.18.0.0/15, for benchmarks), so
    no throttle counting per address carries one client's requests into another's answers. With
    ``two_factor`` the session records a second factor, as allauth does after a TOTP code."""
    number = next(_addresses)
    client = Client(raise_request_exception=False, REMOTE_ADDR=f"198.18.{number // 250 % 250}.{number % 250 + 1}")
    if user.is_authenticated:
        client.force_login(user)
        if two_factor:
            session = client.session
            session["account_authentication_methods"] = [
                {"method": "password", "at": time.time(), "email": user.email},
                {"method": "mfa", "at": time.time(), "type": "totp"},
            ]
            session["account_authentication_methods_user"] = str(user.pk)
            session.save()
    return client


class _FormParser(HTMLParser):
    """The forms of a page: action -> {field: value} with the values the page filled in; POST forms in
    ``forms``, GET forms (searches and filters) in ``get_forms``."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: dict[str, dict[str, list[str]]] = {}
        self.get_forms: dict[str, dict[str, list[str]]] = {}
        self.text_fields: dict[str, set[str]] = {}  # action -> fields a person types free text into
        self._current: dict[str, list[str]] | None = None
        self._action = ""
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or self.page_url
            found = self.forms if (a.get("method") or "get").lower() == "post" else self.get_forms
            self._action = urlsplit(action).path or self.page_url
            self._current = found.setdefault(self._action, {})
        if self._current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._current.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._current.setdefault(name, []).append(a.get("value", ""))
                if kind in ("text", "email", "url", "search", "tel"):
                    self.text_fields.setdefault(self._action, set()).add(name)
            elif kind == "submit" and a.get("value") and name not in self._current:
                self._current[name] = [a["value"]]
        elif tag == "button" and name and a.get("value") and name not in self._current:
            self._current[name] = [a["value"]]
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None and value:
                self._select_first = value
            if "selected" in a:
                self._current.setdefault(self._select, []).append(value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
            self.text_fields.setdefault(self._action, set()).add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select" and self._select and self._current is not None:
            if not self._select_chosen and self._select_first is not None:
                self._current.setdefault(self._select, []).append(self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea and self._current is not None:
            self._current.setdefault(self._textarea, []).append("".join(self._text).strip("\n"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def forms_on(page_url: str, html: str, *, method: str = "post") -> dict[str, dict[str, list[str]]]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms if method == "post" else parser.get_forms


def table_checksums(tables: Iterable[str] | None = None) -> dict[str, str]:
    """A digest of every row of every table (not only counts), log tables left out; of ``tables`` only
    when given. PostgreSQL digests in the server (one query a table); other databases in Python."""
    digests = {}
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor) if tables is None else tables
        for table in sorted(names):
            if table.startswith(LOG_TABLES_PREFIXES):
                continue
            quoted = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT md5(coalesce(string_agg(md5(t::text), ',' ORDER BY md5(t::text)), '')) FROM {quoted} t"  # noqa: S608 (table names from introspection)
                )
                digests[table] = cursor.fetchone()[0]
            else:
                cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (table names from introspection)
                rows = sorted(repr(row) for row in cursor.fetchall())
                digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


class WriteProbe:
    """Which tables a request wrote to, cheaply, so the digests are taken only where it matters.

    On PostgreSQL the transaction's own statistics (``pg_stat_xact_user_tables``) count the rows
    inserted, updated and deleted so far, rolled-back savepoints included; elsewhere any change counts
    against every table. ``changed(pristine)`` then compares the written tables' digests with the
    state before the request, so a write the view rolled back itself is not a change."""

    def __init__(self) -> None:
        self._before = self._counts()

    @staticmethod
    def _counts() -> dict[str, int]:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
                return dict(cursor.fetchall())
        connection.ensure_connection()
        return {"*": connection.connection.total_changes}

    def written(self) -> list[str]:
        after = self._counts()
        touched = [t for t, n in after.items() if n != self._before.get(t, 0) and not t.startswith(LOG_TABLES_PREFIXES)]
        if touched == ["*"]:
            return sorted(connection.introspection.table_names())
        return sorted(touched)

    def changed(self, pristine: dict[str, str]) -> list[str]:
        """The tables whose rows differ from ``pristine`` (a ``table_checksums()`` of the state before)."""
        written = self.written()
        if not written:
            return []
        now = table_checksums(written)
        return sorted(t for t, digest in now.items() if pristine.get(t) != digest)


@contextlib.contextmanager
def rolled_back(*clients: Client) -> Iterator[None]:
    """Run the block in a savepoint that is always rolled back, so a request leaves the world as it was.

    The ``clients``' cookies are put back too: a logout or a password change gives the client a new
    session, which must not outlive the rollback that restores the old one."""
    cookies = [copy.deepcopy(client.cookies) for client in clients]
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        for client, saved in zip(clients, cookies, strict=True):
            client.cookies = saved


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


def succeeded(status: int) -> bool:
    """The positive control: the page worked (an answer, a redirect after a save, or a method the
    view does not take)."""
    return status < 400 or status == 405


@dataclass
class Walk:
    """What the owner's walk collected: the URL of every route, and the forms found on the pages."""

    cast: Cast
    targets: list[Target] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    forms: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    get_forms: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    form_pages: dict[str, str] = field(default_factory=dict)  # form action -> the page it was found on
    text_fields: dict[str, set[str]] = field(default_factory=dict)  # form action -> its free-text fields
    owners: dict[str, User] = field(default_factory=dict)

    def body_for(self, url: str) -> dict[str, list[str]]:
        """A plausible POST body for ``url``: the fields of a form seen posting to it."""
        return dict(self.forms.get(urlsplit(url).path, {}))


def walk_as_owners(cast: Cast) -> tuple[Walk, list[str]]:
    """GET every our-app URL as its owner (the positive control), collecting the forms on the pages.

    Returns the walk and the failures of the positive control."""
    walk = Walk(cast=cast)
    failures = []
    clients: dict[int, Client] = {}
    for route in all_routes():
        if not route.ours:
            continue
        target = target_for(route, cast)
        if isinstance(target, str):
            walk.problems.append(f"{route.name} ({route.route}): {target}")
            continue
        owner = owner_of(target, cast)
        if owner is None:
            walk.problems.append(f"{route.name}: nobody in the cast holds {route.rule.perm} and sees its objects")
            continue
        walk.targets.append(target)
        walk.owners[route.name] = owner
        if owner.pk not in clients:
            clients[owner.pk] = client_for(owner, two_factor=cast.two_factor(owner))
        with rolled_back(clients[owner.pk]):
            response = clients[owner.pk].get(target.url)
        # A URL carrying a credential (``tokens``) may answer a made-up one with 404 (a revoked or
        # unknown calendar feed address must look like no address at all).
        refused_token = bool(route.rule.tokens) and response.status_code == 404
        if not succeeded(response.status_code) and not refused_token:
            failures.append(f"{route.name} {target.url} as {owner.email}: {response.status_code}")
        elif "text/html" in response.get("Content-Type", ""):
            parser = _FormParser(target.url)
            parser.feed(response.content.decode())
            for action, fields in parser.forms.items():
                if action not in walk.forms:
                    walk.forms[action] = fields
                    walk.form_pages[action] = target.url
                    walk.text_fields[action] = parser.text_fields.get(action, set())
            for action, fields in parser.get_forms.items():
                if fields and action not in walk.get_forms:
                    walk.get_forms[action] = fields
                    walk.form_pages.setdefault("GET " + action, target.url)
    return walk, failures
