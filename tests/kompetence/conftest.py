"""Each test here starts in Danish: a request made by an earlier test (the language switcher's tests)
can leave English active in the test thread, and these tests compare Danish texts."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _danish():
    with translation.override("da"):
        yield
