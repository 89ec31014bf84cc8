"""The keyset pagination helper (kompetence/pagination.py), exercised on firms.

Walking forwards and then backwards through every page must give each row exactly once, in the
same order as one ORDER BY over the whole table, also when many rows share a sort value and when
the sort field is NULL for some rows.
"""

from __future__ import annotations

import datetime as dt

import pytest

from companies.models import Company
from kompetence.pagination import keyset_ordering, keyset_paginate
from tests.companies.factories import CompanyFactory

SORTS = [
    ("name", "pk"),
    ("-name", "-pk"),
    ("last_visit_on", "pk"),
    ("-last_visit_on", "-pk"),
    ("next_follow_up_on", "name", "pk"),
]


@pytest.fixture
def firms(partnership_a) -> list[Company]:
    base = dt.date(2018, 3, 1)
    rows = []
    for i in range(23):
        # Names repeat (ties), and every third firm has never been visited (NULL).
        rows.append(
            CompanyFactory(
                partnership=partnership_a,
                name=f"Firma {i % 4}",
                last_visit_on=None if i % 3 == 0 else base + dt.timedelta(days=i % 5),
                next_follow_up_on=None if i % 2 else base + dt.timedelta(days=i % 3),
            )
        )
    return rows


def _walk(queryset, keys, page_size):
    pages, cursor = [], None
    while True:
        page = keyset_paginate(queryset, keys=keys, cursor=cursor, page_size=page_size)
        pages.append(page)
        if not page.has_next:
            return pages
        cursor = page.next_cursor


@pytest.mark.parametrize("keys", SORTS)
@pytest.mark.parametrize("page_size", [1, 4, 7, 23, 50])
def test_keyset_pages_cover_every_row_once_in_order(firms, keys, page_size):
    queryset = Company.objects.all()
    expected = list(queryset.order_by(*keyset_ordering(Company, keys)).values_list("pk", flat=True))

    pages = _walk(queryset, keys, page_size)

    seen = [c.pk for page in pages for c in page]
    assert seen == expected
    assert all(len(page) == page_size for page in pages[:-1])
    assert pages[0].has_previous is False


@pytest.mark.parametrize("keys", SORTS)
def test_keyset_previous_links_walk_back_to_the_same_pages(firms, keys):
    queryset = Company.objects.all()
    forward = _walk(queryset, keys, 5)

    back, page = [], forward[-1]
    while page.has_previous:
        page = keyset_paginate(queryset, keys=keys, cursor=page.previous_cursor, page_size=5)
        back.append([c.pk for c in page])

    assert back == [[c.pk for c in p] for p in reversed(forward[:-1])]


def test_keyset_nulls_come_last_in_both_directions(firms):
    for keys in (("last_visit_on", "pk"), ("-last_visit_on", "-pk")):
        rows = [c for page in _walk(Company.objects.all(), keys, 4) for c in page]
        values = [c.last_visit_on for c in rows]
        first_null = values.index(None)
        assert all(v is None for v in values[first_null:])
        assert all(v is not None for v in values[:first_null])


def test_keyset_bad_or_foreign_cursor_gives_first_page(firms):
    queryset = Company.objects.all()
    first = keyset_paginate(queryset, keys=("name", "pk"), page_size=5)
    other_sort_cursor = keyset_paginate(queryset, keys=("cvr", "pk"), page_size=5).next_cursor

    for cursor in ("garbage", "eyJvIjoibmFtZSxwayJ9", other_sort_cursor, ""):
        page = keyset_paginate(queryset, keys=("name", "pk"), cursor=cursor, page_size=5)
        assert [c.pk for c in page] == [c.pk for c in first]


def test_keyset_page_is_one_query(firms, django_assert_num_queries):
    queryset = Company.objects.all()
    cursor = keyset_paginate(queryset, keys=("-last_visit_on", "-pk"), page_size=5).next_cursor
    with django_assert_num_queries(1):
        keyset_paginate(queryset, keys=("-last_visit_on", "-pk"), cursor=cursor, page_size=5)


def test_keyset_last_key_must_be_unique():
    with pytest.raises(ValueError, match="unique"):
        keyset_paginate(Company.objects.all(), keys=("last_visit_on",))
