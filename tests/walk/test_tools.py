"""The standing tests' own instruments catch what they are meant to catch (a test that cannot fail
proves nothing): the write probe sees a write and ignores one rolled back, the hostile strings'
needles find unescaped markup and not escaped markup, and a 429 or a refused write fails a cell."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils.html import escape

from partnerships.models import Organisation
from tests.factories import OrganisationFactory
from tests.walk.hostile import HOSTILE, KINDS
from tests.walk.matrix import Cell, Expect
from tests.walker import Route, WriteProbe, table_checksums

pytestmark = pytest.mark.django_db


def test_the_write_probe_sees_a_write_and_not_one_the_view_rolled_back():
    OrganisationFactory(name="Før ApS")  # the factory's system and the like exist before the digests
    pristine = table_checksums()

    probe = WriteProbe()
    with transaction.atomic():
        OrganisationFactory(name="Skrevet ApS")
        transaction.set_rollback(True)
    assert probe.changed(pristine) == []

    probe = WriteProbe()
    OrganisationFactory(name="Gemt ApS")
    assert probe.changed(pristine) == [Organisation._meta.db_table]


def test_every_markup_needle_finds_the_string_raw_and_not_escaped():
    markup = [h for h in HOSTILE if h.needle is not None]

    assert len(markup) >= 10
    for hostile in markup:
        if not isinstance(hostile.needle, str) or hostile.needle not in hostile.value:
            continue  # encoded or template strings: the needle shows only if the page decodes them
        page = f'<p>{hostile.value}</p><a href="{hostile.value}">x</a>'
        assert hostile.found_in(page), hostile.label()
        assert not hostile.found_in(f'<p>{escape(hostile.value)}</p><input value="{escape(hostile.value)}">')


def test_the_list_has_at_least_fifty_strings_in_every_promised_class():
    assert len(HOSTILE) >= 50
    promised = {"markup", "sql", "control", "rtl", "emoji", "long", "formula", "unicode digits", "date", "number"}
    assert promised <= set(KINDS)
    assert any(len(h.value) >= 100_000 for h in HOSTILE)
    assert any(isinstance(h.value, str) and "\x00" in h.value for h in HOSTILE)


def test_a_throttled_or_writing_refused_cell_fails():
    route = Route(name="x", route="x/", callback=None, regex="x/", rule=None)

    assert Cell(route, "/x/", "anonymous", "get", Expect.PUBLIC, status=429).problem
    assert Cell(route, "/x/", "anonymous", "get", Expect.PUBLIC, status=503).problem
    assert Cell(route, "/x/", "foreign", "post", Expect.HIDDEN, status=404, changed=["t"]).problem
    assert Cell(route, "/x/", "foreign", "post", Expect.HIDDEN, status=302).problem
    assert Cell(route, "/x/", "foreign", "post", Expect.HIDDEN, status=404).problem is None
