"""The dashboard: the panels the apps register (``registry.DASHBOARD``), their contexts kept in the cache.

A panel's context is a handful of queries over the user's partnerships (follow-ups, drafts, open
decisions, counts), and on a dashboard of ten panels building and compiling those queries cost more
than the rest of the page (bench/README.md, phase 2). Most of the time nothing they read has changed
since the user last looked, so a panel that names the models it reads (``Section.depends_on``) is
kept in the cache, one entry per panel and user, under a key made of:

* a **version** of every model it depends on (plus ``partnerships.Membership``, which decides the
  partnerships and lead roles behind every panel). Every ``post_save``, ``post_delete`` and
  ``m2m_changed`` of such a model replaces that model's version after the commit (at once in
  autocommit, and before a dashboard rendered inside the same transaction), so a context another
  request read before the commit is left behind under the old version (``changed``). A write that
  sends no signal (``QuerySet.update()``, ``bulk_create``) calls ``changed(label)`` itself;
* what the panel knows of the user: the id, the groups and permissions (the role), the
  partnerships, the organisation, whether active or superuser; and today's date and the language,
  because contexts hold "overdue" flags and translated labels.

An entry also expires after ``SECONDS``: that bounds what a change no signal reports (raw SQL, a write
path that forgot ``changed``, a change made while Redis was unreachable) can leave behind. Without
Redis (or while it is down) the fail-soft cache answers as an empty cache and every panel is read
from the database, as before. A dashboard costs two cache round trips (the versions, the contexts)
and one more to store what was missing.

Without ``REDIS_URL`` the cache is local memory per process: a change made in one process does not
reach another's versions, so there the entries are only as fresh as ``SECONDS`` (development and the
benchmark; production runs with Redis).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

from kompetence import registry

SECONDS = 300
# Every cached panel also depends on these: which partnerships the user is in, and in which role.
USER_DEPENDS = ("partnerships.Membership",)
_VERSION_PREFIX = "dashboard:version:"
_ENTRY_PREFIX = "dashboard:panel:"
_watched: set[str] = set()
# What a cache entry holds: the panel's context, or (once rendered) its HTML.
CONTEXT, HTML = "context", "html"


def render(*, user: Any) -> list[registry.RenderedSection]:
    """The dashboard's sections that apply to ``user``, each with its context, in order."""
    sections = registry.sections(registry.DASHBOARD)
    cached = [s for s in sections if s.depends_on]
    _replace_dirty()
    keys = _entry_keys(user, cached) if cached else {}
    found = cache.get_many(list(keys.values())) if keys else {}
    missing: dict[str, tuple[str, Any]] = {}
    rendered = []
    for section in sections:
        key = keys.get(section.name, "")
        kind, value = found.get(key, ("", None)) if key else ("", None)
        if kind == HTML:
            rendered.append(registry.RenderedSection(section.name, section.template, {}, html=value))
            continue
        if kind == CONTEXT:
            context = value
        else:
            context = section.context(user=user)
            if key:
                missing[key] = (CONTEXT, context)
        if context is not None:
            rendered.append(registry.RenderedSection(section.name, section.template, context, cache_key=key))
    if missing:
        cache.set_many(missing, SECONDS)
    return rendered


def keep_html(section: registry.RenderedSection, html: str) -> None:
    """Keep a cached panel's rendered HTML in place of its context (``{% dashboard_section %}``).

    Rendering the panels' templates was most of a cached dashboard's cost. The HTML depends on the
    same things as the context (the page's context adds only the user, whose part is in the key),
    except a form's CSRF token, which belongs to one browser: a panel holding one is never kept."""
    if section.cache_key and "csrfmiddlewaretoken" not in html:
        cache.set(section.cache_key, (HTML, html), SECONDS)


def changed(*labels: str) -> None:
    """Rows of these models ("app_label.ModelName") changed: the panels that read them are read again.

    In autocommit the change is committed already: the versions are replaced at once. Within a
    transaction they are replaced after the commit (other requests see the change only then; one
    that read the data before keeps it under the old versions, which nobody asks for afterwards),
    and before a dashboard the same transaction renders (which sees the change already). Each label
    is written once per transaction: deleting a firm deletes its visits one signal each, and a
    version write per row would be a Redis round trip per row.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump(labels)
        return
    pending = _pending(connection)
    for label in labels:
        if label in pending:
            pending[label].dirty.add(label)
    new = [label for label in labels if label not in pending]
    if new:
        callback = _AfterCommit(new)
        transaction.on_commit(callback)
        pending.update(dict.fromkeys(new, callback))


class _AfterCommit:
    """The after-commit version write of some labels. It lives in the connection's list of commit
    callbacks, so it ends with its transaction (or with a savepoint rolled back), and it remembers
    the labels changed since the transaction's own last dashboard (``dirty``)."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = tuple(labels)
        self.dirty = set(labels)

    def __call__(self) -> None:
        _bump(self.labels)


def _pending(connection) -> dict[str, _AfterCommit]:
    """The labels with an after-commit write waiting in this transaction.

    Read from the connection's commit callbacks once per list: Django replaces the list (never
    removes from it) when a transaction ends or a savepoint is rolled back, so while it is the same
    list the answer stands. Scanning it on every signal would be quadratic in a transaction that
    saves thousands of rows (the firm figures add a callback per row)."""
    memo = getattr(connection, "_dashboard_pending", None)
    if memo is not None and memo[0] is connection.run_on_commit:
        return memo[1]
    pending = {
        label: func
        for _savepoints, func, _robust in connection.run_on_commit
        if isinstance(func, _AfterCommit)
        for label in func.labels
    }
    connection._dashboard_pending = (connection.run_on_commit, pending)
    return pending


def _replace_dirty() -> None:
    """Before a dashboard inside a transaction that changed what panels read: that transaction sees
    its own changes, so it must not read (or fill) the entries of the versions before them."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    dirty = set()
    for func in set(_pending(connection).values()):
        dirty |= func.dirty
        func.dirty = set()
    if dirty:
        _bump(sorted(dirty))


def watch(*labels: str) -> None:
    """Replace the version of each model on its saves, deletes and many-to-many changes.

    Called for every label a section depends on when the apps are ready (``KompetenceConfig``)."""
    for label in labels:
        if label in _watched:
            continue
        model = apps.get_model(label)
        post_save.connect(_on_save, sender=model, dispatch_uid=f"dashboard_save_{label}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"dashboard_delete_{label}")
        _watched.add(label)
    # One receiver for every many-to-many change: it names both sides and the link table.
    m2m_changed.connect(_on_m2m, dispatch_uid="dashboard_m2m")


def watch_registered() -> None:
    labels = {label for s in registry.sections(registry.DASHBOARD) for label in s.depends_on}
    watch(*sorted(labels | set(USER_DEPENDS)))


# ---------------------------------------------------------------------------
def _bump(labels) -> None:
    cache.set_many({_VERSION_PREFIX + label: uuid.uuid4().hex for label in labels}, None)


def _on_save(sender, update_fields=None, **_kwargs) -> None:
    # Logging in saves last_login only; no panel shows it, and it would empty every cached user panel.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    changed(sender._meta.label)


def _on_delete(sender, **_kwargs) -> None:
    changed(sender._meta.label)


def _on_m2m(sender, instance, action, model, **_kwargs) -> None:
    if not action.startswith("post_"):
        return
    labels = {sender._meta.label, type(instance)._meta.label, model._meta.label}
    if labels & _watched:
        changed(*sorted(labels & _watched))


def _versions(labels: set[str]) -> dict[str, str] | None:
    """The current version of each label (made where missing), or None when the cache cannot say."""
    keys = {label: _VERSION_PREFIX + label for label in labels}
    found = cache.get_many(list(keys.values()))
    missing = [label for label, key in keys.items() if key not in found]
    for label in missing:
        cache.add(keys[label], uuid.uuid4().hex, None)
    if missing:
        found.update(cache.get_many([keys[label] for label in missing]))
        if any(keys[label] not in found for label in missing):
            return None  # Redis is away (or dropped the versions): read every panel afresh.
    return {label: found[key] for label, key in keys.items()}


def _user_part(user: Any) -> str:
    if not (user.is_authenticated and user.is_active):
        return "anonymous"
    return "|".join(
        [
            str(user.pk),
            ",".join(sorted(user.grants.groups)),
            ",".join(sorted(user.grants.all_permissions)),
            ",".join(str(pk) for pk in sorted(user.partnership_ids)),
            str(user.organisation_id),
            str(int(user.is_superuser)),
            f"{timezone.localdate():%Y-%m-%d}",
            translation.get_language() or "",
        ]
    )


def _entry_keys(user: Any, sections: list[registry.Section]) -> dict[str, str]:
    labels = {label for s in sections for label in s.depends_on} | set(USER_DEPENDS)
    versions = _versions(labels)
    if versions is None:
        return {}
    who = _user_part(user)
    keys = {}
    for section in sections:
        parts = [section.name, who, *(versions[label] for label in sorted({*section.depends_on, *USER_DEPENDS}))]
        digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
        keys[section.name] = f"{_ENTRY_PREFIX}{section.name}:{digest}"
    return keys
