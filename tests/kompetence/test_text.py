"""display_name (kompetence/text.py) and its template filter."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template

from kompetence.text import display_name
from partnerships.models import User


def test_display_name_prefers_the_full_name_then_the_email():
    assert display_name(User(first_name="Anna", last_name="Holm", email="anna@example.dk")) == "Anna Holm"
    assert display_name(User(first_name="", last_name="", email="ny@example.dk")) == "ny@example.dk"
    assert display_name(User(first_name="  Anna ", last_name="", email="a@example.dk")) == "Anna"
    assert display_name(None) == ""
    assert display_name(None, empty="–") == "–"


def test_display_name_works_on_any_object_with_a_name_or_email():
    assert display_name(SimpleNamespace(email="x@example.dk")) == "x@example.dk"
    assert display_name(SimpleNamespace(get_full_name=lambda: "", email="", username="bruger")) == "bruger"
    assert display_name(SimpleNamespace()) == ""


def test_display_name_filter():
    template = Template("{% load kompetence %}{{ lead|display_name }}|{{ nobody|display_name }}")
    lead = User(first_name="Anna", last_name="Holm", email="anna@example.dk")
    assert template.render(Context({"lead": lead, "nobody": None})) == "Anna Holm|"


def test_number_filters_write_danish_in_english_pages_too():
    from django.utils import translation

    template = Template(
        "{% load kompetence %}{{ amount|danish_number:2 }}|{{ count|danish_integer }}|{{ band|number_range }}"
        "|{{ missing|danish_number }}|{{ text|danish_number }}"
    )
    with translation.override("en"):
        rendered = template.render(Context({"amount": 1234.5, "count": 12500, "band": "2-4", "text": "abc"}))
    assert rendered == "1.234,50|12.500|2–4||abc"
