"""Indexes that PostgreSQL and SQLite both build.

``SortIndex`` is an index over sort expressions such as ``F("last_visit_on").desc(nulls_last=True)``.
PostgreSQL needs the ``NULLS LAST`` to walk the index for that order (its NULLs sort above every value).
SQLite refuses ``NULLS LAST`` in ``CREATE INDEX`` ("unsupported use of NULLS LAST"), and needs no such
word: its NULLs sort below every value, so a descending index already has them last (and an ascending
one first). On SQLite the index is therefore built without the ``NULLS`` words, in the same order.
"""

from __future__ import annotations

from django.db import models
from django.db.models.expressions import OrderBy


class SortIndex(models.Index):
    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "sqlite" and self.expressions:
            index = self.clone()
            index.expressions = tuple(_without_nulls_words(e) for e in self.expressions)
            return super(SortIndex, index).create_sql(model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)


def _without_nulls_words(expression):
    if isinstance(expression, OrderBy) and (expression.nulls_last or expression.nulls_first):
        expression = expression.copy()
        expression.nulls_last = expression.nulls_first = None
    return expression
