"""The reporting dashboards' figures, counted once and kept in the cache until something they count changes.

A dashboard's figures (the indicators over every firm, visit, participant and hour of the period,
employment, maturity, budget against spend: about 20 grouped queries and seconds of database work at
``--scale 50``) are the same for everyone who asks for the same period and partnership; who may see
which rows is decided afterwards, per user (``reporting.selectors``). So they are kept in the cache
under a key made of the period, the partnership, what is computed (the budget or not) and today,
plus a **version** (see docs/architecture.md, *Dashboard figures*).

**Every change replaces the version.** The figures read almost every table of the portal (firms,
visits and their consultants, needs, decisions, meetings, users' organisations and systems,
activities, participants, enrolments, training lines, headcounts, hours, costs, the programme's
reference data, self-evaluations, targets and goals), so instead of a list that one forgotten model
would make wrong, ``connect()`` listens to every model of ``partnerships``, ``companies``,
``activities`` and ``reporting`` (``post_save``, ``post_delete`` and ``m2m_changed`` of their
many-to-many fields) except the few that no figure reads (``IGNORED``), and a login's
``last_login`` save. The version is replaced at once and again after the commit, as
``companies.dashboard.figures_changed`` does: figures another request counts from the data before
the commit are left behind under the version in between.

Writes that send no signal (``QuerySet.update()``, ``bulk_create``) in the portal's services are
each followed by a ``save()`` of a listened model in the same transaction (closing a
self-evaluation saves the round; anonymising participants records an ``AnonymisationRun``).
``FIGURES_SECONDS`` bounds what a change the signals cannot see (raw SQL, a change made while Redis
was unreachable) can leave behind. The cache is the fail-soft one: without Redis the figures are
counted on every request, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from kompetence.cache import new_version, shared_version

T = TypeVar("T")

FIGURES_SECONDS = 300
VERSION_KEY = "reporting:figures:version"
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


def cached(key: str, compute: Callable[[], T]) -> T:
    """``compute()``'s value under ``key`` and the current version, counted when missing."""
    full_key = f"reporting:figures:{version()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, FIGURES_SECONDS)
    return value


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
