"""Writes run in one transaction per request; pages that only read run in none (AtomicWritesMiddleware)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.utils.module_loading import import_string

from tests.kompetence.urls import GROUP

pytestmark = [
    pytest.mark.urls("tests.kompetence.urls"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_atomic_writes_comes_after_every_middleware_that_handles_exceptions():
    # process_exception hooks run from the last middleware up: AtomicWritesMiddleware's must run
    # before any other can turn the view's exception into a response.
    position = settings.MIDDLEWARE.index("kompetence.middleware.AtomicWritesMiddleware")
    later = [import_string(path)(lambda request: None) for path in settings.MIDDLEWARE[position + 1 :]]
    assert not [m for m in later if hasattr(m, "process_exception")]
    assert not settings.DATABASES["default"].get("ATOMIC_REQUESTS")


def test_a_page_that_only_reads_runs_without_a_transaction():
    assert Client().get("/test/transaktion/").json() == {"in_transaction": False}


def test_a_post_runs_in_a_transaction_and_commits():
    assert Client().post("/test/transaktion/").json() == {"in_transaction": True}
    assert Group.objects.filter(name=GROUP).exists()


def test_a_post_whose_view_fails_leaves_nothing_written():
    response = Client(raise_request_exception=False).post("/test/fejl/")
    assert response.status_code == 500
    assert not Group.objects.filter(name=GROUP).exists()


def test_a_post_whose_exception_becomes_a_response_is_still_rolled_back():
    # allauth turns ImmediateHttpResponse into the response; the view's writes are undone all the same.
    response = Client().post("/test/straks/")
    assert response.content == b"handled by allauth's middleware"
    assert not Group.objects.filter(name=GROUP).exists()


def test_a_view_marked_non_atomic_is_left_alone():
    assert Client().post("/test/ikke-atomar/").json() == {"in_transaction": False}
