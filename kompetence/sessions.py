"""Database sessions whose read on every request skips the ORM's query compilation.

``SESSION_ENGINE = "kompetence.sessions"``. Every page reads its session first. Django's database
store builds and compiles the same query on every request
(``Session.objects.get(session_key=..., expire_date__gt=now)``), and compiling it cost about twice
the CPU of running it (bench/README.md, "Where the fixed tax goes"). This store runs the same SQL,
written by the ORM once per process and database; saving, expiry, key rotation and the cookie are
Django's own.

Sessions stay in the database on purpose: nothing about the user travels in the cookie, and no
cache sits on the request path, so a Redis outage or hang cannot log anyone out or stall a page
(a ``cached_db`` store would also bring back, once Redis answers again, a session that was logged
out while Redis was unreachable).
"""

from __future__ import annotations

import datetime as dt
import functools

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.utils import timezone

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        now = model._meta.get_field("expire_date").get_db_prep_value(timezone.now(), connection, prepared=False)
        with connection.cursor() as cursor:
            cursor.execute(_select_sql(model, alias), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:  # unknown or expired: as Django does, a new key is made if the session is saved
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])


@functools.cache
def _select_sql(model, alias: str) -> str:
    """The SQL of Django's session read (the data of an unexpired session), compiled once."""
    # Two filter() calls, so the parameters come in this order (one call would sort its keywords).
    queryset = (
        model.objects.using(alias).filter(session_key="").filter(expire_date__gt=_EPOCH).values_list("session_data")
    )
    sql, params = queryset.query.get_compiler(alias).as_sql()
    if len(params) != 2 or params[0] != "":  # the key and the time must be the only parameters, in this order
        raise ImproperlyConfigured(f"Unexpected parameters in the session query: {params!r}")
    return sql
