"""The shape of an indicator: which rows it counts, and how many of them are computed at once.

An indicator is a **source** (the rows of a period: firms reached in the period, visits held in it,
participants who entered in it …, with the path to each row's partnership) and an optional
**condition** on those rows (an SME, a joint visit, an unemployed participant …). Its value is the
number of distinct rows of the source that meet the condition; the rows themselves are what a number
on a dashboard links to (``Indicator.rows``).

``compute`` asks the database once per source, whatever the number of indicators or rows: all
indicators of one source become conditional counts (``COUNT(...) FILTER (WHERE ...)``) of one
grouped query, grouped by partnership (and, when asked, by one more field such as gender). So a
dashboard's query count is fixed, and the totals are the sums of the partnerships' counts.

A source may be counted **through** other rows (``scan`` and ``via``): participants who started a
qualifying training line are counted in one pass over the training lines, each participant once
(``COUNT(DISTINCT participant)``), with the conditions on the lines; ``pk IN (subquery)`` conditions
on the participants ran the same training-line subqueries once in ``WHERE`` and once per indicator.
A count is ``DISTINCT`` only where a row can appear more than once: counted through other rows, or
joined along a one-to-many relation. Otherwise each distinct count was a sort per aggregate.

Indicators are facts read back, never stored (ESF.md): a correction to a visit or a participant
changes every report made after it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from reporting.periods import Period

Condition = Callable[[Period], Q]


@dataclass(frozen=True)
class Source:
    """The rows a group of indicators counts: ``rows(period)`` (the whole programme), with the path
    from a row to its partnership's id."""

    name: str
    rows: Callable[[Period], QuerySet]
    partnership_path: str
    # Whether the rows are about persons (participants): consultants see their counts, never the rows.
    personal: bool = False
    # Counted through other rows: ``scan(period)`` gives them (the conditions are on them), ``via`` the
    # path from one of them to the row counted (``"enrollment__participant"``).
    scan: Callable[[Period], QuerySet] | None = None
    via: str = ""
    # The source whose breakdown this one follows (``compute(breakdown=...)`` names sources): the
    # participants counted through their enrolments are broken down as the participants are.
    breakdown_as: str = ""

    def path(self, field: str) -> str:
        """``field`` of the counted row, as a path from the rows the count reads."""
        return f"{self.via}__{field}" if self.scan is not None else field


@dataclass(frozen=True)
class Indicator:
    """One number: the distinct rows of ``source`` in a period that meet ``condition``."""

    code: str
    label: Any  # a lazy translation
    source: Source
    condition: Condition | None = None
    group: str = ""
    # Whether project management may set a yearly target for it.
    targetable: bool = True
    description: Any = ""

    def rows(self, period: Period, partnership: Any = None) -> QuerySet:
        """The rows behind the number (the whole programme, or one partnership's)."""
        rows = self.source.rows(period)
        if partnership is not None:
            rows = rows.filter(**{self.source.partnership_path: _pk(partnership)})
        if self.condition is not None:
            if self.source.scan is not None:
                scanned = self.source.scan(period).filter(self.condition(period))
                rows = rows.filter(pk__in=scanned.values(self.source.via))
            else:
                rows = rows.filter(self.condition(period))
        return rows

    def value(self, period: Period, partnership: Any = None) -> int:
        """The number alone (one query); use ``compute`` for several."""
        return self.rows(period, partnership).count()


def _pk(obj: Any) -> Any:
    return getattr(obj, "pk", obj)


@dataclass
class Figures:
    """The values of several indicators for one period: totals, per partnership and per breakdown."""

    period: Period
    totals: dict[str, int] = field(default_factory=dict)
    by_partnership: dict[str, dict[int, int]] = field(default_factory=dict)
    # code -> breakdown value (e.g. "woman") -> count, when ``compute`` was asked for a breakdown.
    breakdown: dict[str, dict[Any, int]] = field(default_factory=dict)

    def __getitem__(self, code: str) -> int:
        return self.totals.get(code, 0)

    def for_partnership(self, code: str, partnership_id: int) -> int:
        return self.by_partnership.get(code, {}).get(partnership_id, 0)


def compute(
    indicators: Iterable[Indicator],
    period: Period,
    *,
    partnership: Any = None,
    breakdown: dict[str, str] | None = None,
) -> Figures:
    """The values of ``indicators`` for ``period``: one grouped query per source.

    ``breakdown`` maps a source name to a field of its rows (``{"participants_entered": "gender"}``);
    the indicators of that source are then also counted per value of the field.
    """
    figures = Figures(period=period)
    by_source: dict[str, list[Indicator]] = defaultdict(list)
    sources: dict[str, Source] = {}
    for indicator in indicators:
        by_source[indicator.source.name].append(indicator)
        sources[indicator.source.name] = indicator.source
    for name, members in by_source.items():
        source = sources[name]
        rows = source.scan(period) if source.scan is not None else source.rows(period)
        partnership_path = source.path(source.partnership_path)
        if partnership is not None:
            rows = rows.filter(**{partnership_path: _pk(partnership)})
        extra = (breakdown or {}).get(source.breakdown_as or name)
        extra_path = source.path(extra) if extra else ""
        group_fields = [partnership_path, *([extra_path] if extra else [])]
        aliases = {f"v{index}": indicator for index, indicator in enumerate(members)}
        grouped = _counted(rows.order_by().values(*group_fields), aliases, source, period)
        for indicator in members:
            figures.totals[indicator.code] = 0
            figures.by_partnership[indicator.code] = {}
            if extra:
                figures.breakdown[indicator.code] = {}
        for row in grouped:
            partnership_id = row[partnership_path]
            for alias, indicator in aliases.items():
                count = row[alias]
                figures.totals[indicator.code] += count
                per = figures.by_partnership[indicator.code]
                per[partnership_id] = per.get(partnership_id, 0) + count
                if extra:
                    per_value = figures.breakdown[indicator.code]
                    per_value[row[extra_path]] = per_value.get(row[extra_path], 0) + count
    return figures


def _counted(grouped: QuerySet, aliases: dict[str, Indicator], source: Source, period: Period) -> QuerySet:
    """``grouped`` with one conditional count per indicator: distinct counts where a counted row can
    appear more than once (counted through other rows, or a one-to-many join), plain counts otherwise."""

    def counts(distinct: bool) -> dict[str, Count]:
        return {
            alias: Count(
                source.via if source.scan is not None else "pk",
                distinct=distinct,
                **({"filter": indicator.condition(period)} if indicator.condition is not None else {}),
            )
            for alias, indicator in aliases.items()
        }

    plain = grouped.annotate(**counts(False))
    if source.scan is None and not _multiplies(plain):
        return plain
    return grouped.annotate(**counts(True))


def _multiplies(rows: QuerySet) -> bool:
    """Whether the query joins along a one-to-many or many-to-many relation (so that one row of its
    model can come back more than once); joins inside subqueries do not count."""
    for join in rows.query.alias_map.values():
        field = getattr(join, "join_field", None)
        if field is not None and (field.one_to_many or field.many_to_many):
            return True
    return False


def by_code(indicators: Sequence[Indicator]) -> dict[str, Indicator]:
    return {indicator.code: indicator for indicator in indicators}
