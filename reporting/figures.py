"""The reporting dashboards' figures: counted in the background after a change, shown from the cache.

A dashboard's figures (the indicators over every firm, visit, participant and hour of the period,
employment, maturity, budget against spend: about 45 grouped queries and 0.2-0.3 s of database work
for a year at ``--scale 50``, bench/notes/dash3.md) are the same for everyone who asks for the same period and
partnership; who may see which rows is decided afterwards, per user (``reporting.selectors``). So
they are kept in the cache under a key made of the period, the partnership, what is computed (the
budget or not), today and the language, together with the **version** they were counted at and the
time (see docs/architecture.md, *Dashboard figures*).

**Every change replaces the version.** The figures read almost every table of the portal (firms,
visits and their consultants, needs, decisions, meetings, users' organisations and systems,
activities, participants, enrolments, training lines, headcounts, hours, costs, the programme's
reference data, self-evaluations, targets and goals), so instead of a list that one forgotten model
would make wrong, ``connect()`` listens to every model of ``partnerships``, ``companies``,
``activities`` and ``reporting`` (``post_save``, ``post_delete`` and ``m2m_changed`` of their
many-to-many fields) except the few that no figure reads (``IGNORED``), and a login's
``last_login`` save. The version is replaced at once and again after the commit, as
``companies.dashboard.figures_changed`` does: figures counted from the data before the commit are
left behind under the version in between.

**Recounted in the background.** Consultants save visits all day, so the figures are nearly always
out of date by one change. A dashboard whose figures were counted at an older version (or more than
``FIGURES_SECONDS`` ago) shows the last figures counted, with the time they were counted at ("Tal
opgjort kl. 15:32"), and queues one recount (``reporting.tasks.recount_figures``, the key's parts
as arguments): after the commit, ``RECOUNT_DELAY`` seconds later so a burst of saves gives one
recount, and only one per key at a time (a mark held for ``PENDING_SECONDS``, given back when the
task starts; a task whose figures are current already does nothing). The figures are counted in the
request, as before, when none were counted yet (the first dashboard of the day), when the cache
cannot be reached (Redis down: the fail-soft cache answers as empty), when the broker cannot be
reached, and without a broker (``CELERY_TASK_ALWAYS_EAGER``: development and tests).

Writes that send no signal (``QuerySet.update()``, ``bulk_create``) in the portal's services are
each followed by a ``save()`` of a listened model in the same transaction (closing a
self-evaluation saves the round; anonymising participants records an ``AnonymisationRun``).
``FIGURES_SECONDS`` bounds what a change the signals cannot see (raw SQL, a change made while Redis
was unreachable) can leave behind: figures older than that are recounted on the next dashboard.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from kompetence import broker
from kompetence.cache import new_version, shared_version

logger = logging.getLogger(__name__)

# Figures older than this are recounted on the next dashboard even when no signal said they changed.
FIGURES_SECONDS = 300
# How long the last figures counted are kept, to be shown while they are counted again.
KEEP_SECONDS = 24 * 3600
# A recount waits this long after the first change, so a burst of saves gives one recount.
RECOUNT_DELAY = 5
# The mark of a queued recount: while it is held no second one is queued for the key. It is given
# back when the task starts; a task lost on the way leaves it to expire, and a later dashboard queues again.
PENDING_SECONDS = 120
VERSION_KEY = "reporting:figures:version"
_ENTRY_PREFIX = "reporting:figures:entry:"
_PENDING_PREFIX = "reporting:figures:pending:"
_DRAWN_PREFIX = "reporting:figures:drawn:"
_VALUE_PREFIX = "reporting:figures:value:"
APPS = ("partnerships", "companies", "activities", "reporting")
# Models no figure reads (app label, model name), left out so their frequent writes (a report's status,
# every exported CPR number, feed tokens, comments) do not make the next dashboard count again.
IGNORED = frozenset(
    {
        ("reporting", "report"),
        ("activities", "cprreveal"),
        ("activities", "participantdocument"),
        ("activities", "participantformprint"),
        ("partnerships", "calendarfeedtoken"),
        ("partnerships", "agendacomment"),
        ("partnerships", "toolboxdocument"),
        ("partnerships", "toolboxversion"),
        ("partnerships", "introductionstep"),
        ("partnerships", "introductionprogress"),
        ("partnerships", "selfevaluationanswer"),
        ("companies", "publicrequest"),
    }
)


@dataclasses.dataclass(frozen=True)
class Counted:
    """Figures as counted: at which version and when; ``token`` names this count (the HTML drawn
    from it is kept under it); ``fresh`` is False when newer figures are being counted. The entry
    read from the cache holds no ``value``: it is kept apart (``value_of``), so a dashboard whose
    HTML is kept does not fetch and unpickle it."""

    key: str
    value: Any
    version: str
    counted_at: dt.datetime
    token: str
    fresh: bool = True


def version() -> str:
    return shared_version(VERSION_KEY) or "none"


def _replace() -> None:
    cache.set(VERSION_KEY, new_version(), None)


def figures_changed(**kwargs: Any) -> None:
    """Something the figures count was saved or deleted: the next dashboards count again."""
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed: once, after the change (not also before it)
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login: no figure reads it
    _replace()
    transaction.on_commit(_replace)


def _current(entry: Counted | None, version_now: str) -> bool:
    return (
        entry is not None
        and entry.version == version_now
        and (timezone.now() - entry.counted_at).total_seconds() < FIGURES_SECONDS
    )


def counted(key: str, compute: Callable[[], Any], *, recount: tuple = ()) -> Counted:
    """``compute()``'s figures under ``key``: current ones from the cache; older ones from the cache
    while ``recount_figures(*recount)`` counts them again in the background; counted here when
    there are none, or no background (see the module's docstring)."""
    version_now = shared_version(VERSION_KEY)
    if version_now is None:  # the cache cannot be reached: count in the request, keep nothing
        return Counted(key, compute(), "", timezone.now(), new_version())
    entry = cache.get(_ENTRY_PREFIX + key)
    if _current(entry, version_now):
        return entry
    if entry is not None and recount and _queue(key, recount):
        return dataclasses.replace(entry, fresh=False)
    return count(key, compute, version_now)


def count(key: str, compute: Callable[[], Any], version_now: str | None = None) -> Counted:
    """Count the figures now and keep them under ``key`` with the version read before counting
    (a change committed while counting leaves them out of date, to be counted again)."""
    if version_now is None:
        version_now = version()
    entry = Counted(key, compute(), version_now, timezone.now(), new_version())
    cache.set_many(
        {_VALUE_PREFIX + entry.token: entry.value, _ENTRY_PREFIX + key: dataclasses.replace(entry, value=None)},
        KEEP_SECONDS,
    )
    return entry


def value_of(counted: Counted) -> Any | None:
    """The figures of ``counted`` (None when the cache let them go)."""
    if counted.value is not None:
        return counted.value
    return cache.get(_VALUE_PREFIX + counted.token)


def is_current(key: str) -> bool:
    """Whether the figures kept under ``key`` are current (a recount delivered twice does nothing)."""
    return _current(cache.get(_ENTRY_PREFIX + key), version())


def recount_started(key: str) -> None:
    """The recount of ``key`` begins: a change from now on queues the next one."""
    cache.delete(_PENDING_PREFIX + key)


def _queue(key: str, recount: tuple) -> bool:
    """Queue one recount of ``key``, unless one is queued already. False when there is no background
    to count in (no broker, or it cannot be reached): the caller counts in the request."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return False
    if not cache.add(_PENDING_PREFIX + key, 1, PENDING_SECONDS):
        return True  # queued already
    if not broker.available():
        cache.delete(_PENDING_PREFIX + key)
        return False

    def send() -> None:
        from reporting.tasks import recount_figures

        try:
            recount_figures.apply_async(args=recount, countdown=RECOUNT_DELAY)
        except Exception:  # the broker went away since: the next dashboard queues again
            logger.warning("Could not queue the recount of the dashboard figures %s.", key, exc_info=True)
            cache.delete(_PENDING_PREFIX + key)

    transaction.on_commit(send)
    return True


def kept(name: str, draw: Callable[[], str], *, counted: Counted) -> str:
    """What ``draw()`` makes of the ``counted`` figures (the dashboard's HTML in one variant, ``name``),
    kept with them. The variants drawn are remembered per key, for the recount to draw them again."""
    full_key = f"reporting:figures:html:{counted.token}:{name}"
    value = cache.get(full_key)
    if value is None:
        value = draw()
        keep_drawn(counted, name, value)
        known = drawn(counted.key)
        if name not in known:
            cache.set(_DRAWN_PREFIX + counted.key, known | {name}, KEEP_SECONDS)
    return value


def keep_drawn(counted: Counted, name: str, html: str) -> None:
    cache.set(f"reporting:figures:html:{counted.token}:{name}", html, 2 * FIGURES_SECONDS)


def drawn(key: str) -> frozenset[str]:
    """The variants drawn of the figures kept under ``key`` (``kept``)."""
    return cache.get(_DRAWN_PREFIX + key) or frozenset()


def counted_models() -> list[type]:
    """The models whose changes replace the version."""
    found = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name.startswith("historical") or (label, model._meta.model_name) in IGNORED:
                continue
            found.append(model)
    return found


def connect() -> None:
    for model in counted_models():
        uid = f"reporting_figures_{model._meta.label_lower}"
        post_save.connect(figures_changed, sender=model, dispatch_uid=uid + "_save")
        post_delete.connect(figures_changed, sender=model, dispatch_uid=uid + "_delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                figures_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}_{field.name}_m2m"
            )
