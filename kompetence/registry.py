"""The small registries through which each app adds itself to the portal.

An app registers, from its ``AppConfig.ready()``, what it contributes: the permissions its roles get,
its menu entries, dashboard panels, timeline sources, sections of the firm and meeting pages, named
hooks and its demo data. The apps lower down read the registries and so never name an app above them
(``docs/architecture.md``). Adding an app therefore edits no other app.

This module imports no app of the portal; it holds plain data and callables. Order is explicit
(``order``, lower first) rather than the order in which apps happen to load.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

# ---------------------------------------------------------------------------
# Roles: which permissions each role (a Django group of the same name) carries
# ---------------------------------------------------------------------------
ALL_PERMISSIONS = "*"
_role_permissions: dict[str, set[str]] = defaultdict(set)


def grant(role: str, *permissions: str) -> None:
    """Give ``role`` the permissions ``"app_label.codename"`` (or ``ALL_PERMISSIONS``)."""
    _role_permissions[str(role)].update(permissions)


def permissions_of(role: str) -> frozenset[str]:
    """The permissions registered for one role (or for a grant that is not a role, such as a
    partnership's lead)."""
    return frozenset(_role_permissions.get(str(role), ()))


def role_permissions() -> dict[str, frozenset[str]]:
    """Every role's permissions as registered so far."""
    return {role: frozenset(perms) for role, perms in _role_permissions.items()}


# ---------------------------------------------------------------------------
# Navigation
# ---------------------------------------------------------------------------
MAIN_MENU = "main"
USER_MENU = "user"
STAFF = "is_staff"  # a "permission" meaning: the user may use the Django admin


@dataclass(frozen=True)
class NavEntry:
    """A menu entry. ``perm`` is a permission, ``STAFF``, or None (every logged-in user).

    ``group`` names a ``NavGroup`` of the main menu: the entry is then listed in that group's drop-down
    rather than on the menu bar itself, so the bar fits one line at every width.
    """

    label: Any  # a lazy translation
    url_name: str
    perm: str | None = None
    order: int = 100
    menu: str = MAIN_MENU
    group: str | None = None


@dataclass(frozen=True)
class NavGroup:
    """A main-menu entry that opens a short list of related entries (``NavEntry.group == key``).

    The group stands on the bar where its first entry (by ``order``) would; a group the user sees only
    one entry of is shown as that entry's plain link.
    """

    key: str
    label: Any  # a lazy translation


_navigation: dict[str, NavEntry] = {}
_navigation_groups: dict[str, NavGroup] = {}


def add_navigation(*entries: NavEntry | NavGroup) -> None:
    for entry in entries:
        if isinstance(entry, NavGroup):
            _navigation_groups[entry.key] = entry
        else:
            _navigation[entry.url_name] = entry


def navigation(menu: str) -> list[NavEntry]:
    return sorted((e for e in _navigation.values() if e.menu == menu), key=lambda e: (e.order, e.url_name))


def navigation_group(key: str) -> NavGroup:
    return _navigation_groups[key]


# ---------------------------------------------------------------------------
# Sections of a page: dashboard panels, sections of the firm page and of the meeting page
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Section:
    """A block of a page contributed by an app.

    ``context(**page_objects)`` returns the template's context, or None when the section does not
    apply (e.g. a panel for another role). It must run a fixed number of queries.
    """

    name: str
    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 100
    # Dashboard panels only: the models ("app_label.ModelName") the context is read from. When given,
    # the dashboard keeps the context in the cache, per user, until a row of one of them is saved or
    # deleted (``kompetence.dashboard``); the context must then be plain, picklable data.
    depends_on: tuple[str, ...] = ()


DASHBOARD = "dashboard"  # context(user=...)
FIRM_PAGE = "firm_page"  # context(company=..., user=..., case=...): case is the request's FirmCase
MEETING_PAGE = "meeting_page"  # context(meeting=..., user=...)

_sections: dict[str, dict[str, Section]] = defaultdict(dict)


def add_section(page: str, section: Section) -> None:
    _sections[page][section.name] = section


def sections(page: str) -> list[Section]:
    return sorted(_sections[page].values(), key=lambda s: (s.order, s.name))


@dataclass(frozen=True)
class RenderedSection:
    name: str
    template: str
    context: dict[str, Any]
    # The dashboard's cached panels (kompetence.dashboard): the panel's HTML when the cache has it,
    # and the key under which to keep it once rendered.
    html: str = ""
    cache_key: str = ""


def render_sections(page: str, **page_objects: Any) -> list[RenderedSection]:
    """The sections of ``page`` that apply, each with its context, in order."""
    rendered = []
    for section in sections(page):
        context = section.context(**page_objects)
        if context is not None:
            rendered.append(RenderedSection(section.name, section.template, context))
    return rendered


# ---------------------------------------------------------------------------
# Timeline sources of a firm's case
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineSource:
    """``read(case)`` yields the firm's events of one kind.

    ``case`` is the request's ``companies.selectors.case.FirmCase``: ``case.company`` (it came through
    ``access_company``) and ``case.user``, and the rows the page reads once for every part of it
    (``case.needs``, ``case.proposals``, ``case.consents``, ``case.once(key, read)``). A source reads
    its own rows with at most one query, starting from ``for_user(case.user)``, or uses the shared ones.
    """

    name: str
    read: Callable[..., Iterable[Any]]
    # Within the same moment, lower first in reading order (the cause above its effects).
    rank: int = 50
    # The permission needed to see this source's events at all (checked once, in ``case_timeline``);
    # which rows are seen is still the source's ``for_user``.
    perm: str = ""


_timeline_sources: dict[str, TimelineSource] = {}


def add_timeline_source(source: TimelineSource) -> None:
    _timeline_sources[source.name] = source


def timeline_sources() -> list[TimelineSource]:
    return sorted(_timeline_sources.values(), key=lambda s: (s.rank, s.name))


# ---------------------------------------------------------------------------
# Hooks: named events a lower app raises and higher apps answer
# ---------------------------------------------------------------------------
_hooks: dict[str, dict[str, Callable[..., Any]]] = defaultdict(dict)


def add_hook(event: str, name: str, handler: Callable[..., Any]) -> None:
    """Call ``handler(**kwargs)`` whenever ``run_hooks(event, **kwargs)`` runs."""
    _hooks[event][name] = handler


def run_hooks(event: str, **kwargs: Any) -> list[Any]:
    """Run every handler of ``event`` in name order, inside the caller's transaction."""
    return [handler(**kwargs) for _name, handler in sorted(_hooks[event].items())]


# ---------------------------------------------------------------------------
# Demo data
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoStep:
    """An app's demo data: ``seed(rng=..., scale=...)`` returns a result ``summary(result)`` describes;
    ``reset()`` removes the app's demo rows. Steps run in ``order`` (lower apps first) and reset in
    the opposite order."""

    name: str
    seed: Callable[..., Any]
    reset: Callable[[], None]
    summary: Callable[[Any], str]
    order: int = 100


_demo_steps: dict[str, DemoStep] = {}


def add_demo_step(step: DemoStep) -> None:
    _demo_steps[step.name] = step


def demo_steps() -> list[DemoStep]:
    return sorted(_demo_steps.values(), key=lambda s: (s.order, s.name))
