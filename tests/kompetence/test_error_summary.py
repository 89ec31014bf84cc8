"""The error summary (templates/_partials/error_summary.html, kompetence.forms.error_summary)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.template import Context, Template
from django.utils import translation

from kompetence.forms import DanishIntegerField, DateInput, apply_service_errors, apply_text_limits, error_summary

KINDS = [("besoeg", "Besøg"), ("telefon", "Telefon")]
CONSULTANTS = [("1", "Anna"), ("2", "Bo")]


class VisitForm(forms.Form):
    visit_date = forms.DateField(label="Dato", widget=DateInput)
    kind = forms.ChoiceField(label="Type", choices=KINDS)
    consultants = forms.MultipleChoiceField(
        label="Deltagende konsulenter", choices=CONSULTANTS, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(label="Referat", max_length=20, widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self)

    def clean(self):
        super().clean()
        raise ValidationError("Besøget er ændret af en anden. Genindlæs siden.")


class NeedForm(forms.Form):
    description = forms.CharField(label="Beskrivelse")
    employees_affected = DanishIntegerField(label="Antal medarbejdere", required=False)


NeedFormSet = formset_factory(NeedForm, extra=0, max_num=2, validate_max=True)

PAGE = Template(
    """{% load crispy_forms_tags %}
{% include "_partials/error_summary.html" with form=form formset=needs %}
<form method="post" novalidate>
  {{ form.version }}
  {{ form.visit_date|as_crispy_field }}{{ form.kind|as_crispy_field }}
  {{ form.consultants|as_crispy_field }}{{ form.summary|as_crispy_field }}
  {{ needs.management_form }}
  {% for need in needs.forms %}
    {{ need.description|as_crispy_field }}{{ need.employees_affected|as_crispy_field }}
  {% endfor %}
</form>"""
)


class Page(HTMLParser):
    """The ids on the page, the summary's links and texts."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.summary: dict[str, str] = {}
        self.items: list[str] = []
        self._in_item = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if "data-error-summary" in attributes:
            self.summary = attributes
        if tag == "li" and self.summary:
            self._in_item = True
            self.items.append("")
        if tag == "a" and self._in_item and attributes.get("href", "").startswith("#"):
            self.links.append(attributes["href"][1:])

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_item = False

    def handle_data(self, data):
        if self._in_item:
            self.items[-1] += data


def render(form, needs=None) -> tuple[str, Page]:
    html = PAGE.render(Context({"form": form, "needs": needs}))
    page = Page()
    page.feed(html)
    return html, page


def bound_forms():
    form = VisitForm({"visit_date": "31.02.2026", "kind": "andet", "summary": "x" * 25, "version": "x"})
    needs = NeedFormSet(
        {
            "behov-TOTAL_FORMS": "2",
            "behov-INITIAL_FORMS": "0",
            "behov-0-description": "Svejsning",
            "behov-0-employees_affected": "²",
            "behov-1-description": "",
            "behov-1-employees_affected": "3",
        },
        prefix="behov",
    )
    form.is_valid()
    needs.is_valid()
    return form, needs


def test_summary_links_every_field_error_to_an_id_on_the_page():
    with translation.override("da"):
        form, needs = bound_forms()
        html, page = render(form, needs)

    assert page.summary["role"] == "alert"
    assert page.summary["tabindex"] == "-1"
    assert page.summary["aria-labelledby"] in page.ids
    assert "Formularen kunne ikke gemmes" in html
    assert page.links == [
        "id_visit_date",
        "id_kind",
        "id_consultants_0",  # a group of checkboxes: its first box
        "id_summary",
        "id_behov-0-employees_affected",
        "id_behov-1-description",
    ]
    missing = [target for target in page.links if target not in page.ids]
    assert missing == []


def test_summary_lists_form_errors_unlinked_and_labels_formset_forms():
    with translation.override("da"):
        form, needs = bound_forms()
        _html, page = render(form, needs)
    items = [" ".join(item.split()) for item in page.items]
    assert items[0] == "Besøget er ændret af en anden. Genindlæs siden."
    assert any(item.startswith("Referat: Må højst være 20 tegn (teksten er 25 tegn).") for item in items)
    assert "Antal medarbejdere (nr. 1): Skriv tallet med cifrene 0-9, fx 12." in items
    assert any(item.startswith("Beskrivelse (nr. 2): ") for item in items)
    # The hidden field's error is listed, without a link (there is nothing to move to).
    assert any(item.startswith("Version: ") for item in items)
    assert "id_version" not in page.links


def test_each_field_shows_its_own_error_too():
    with translation.override("da"):
        form, needs = bound_forms()
        html, _page = render(form, needs)
    # crispy-bootstrap5 renders the message next to the field, tied to it by id.
    assert re.search(r'id="error_1_id_summary"><strong>Må højst være 20 tegn', html)
    assert 'id="error_1_id_behov-0-employees_affected"' in html


def test_summary_takes_a_formset_label_and_service_errors():
    with translation.override("da"):
        form, needs = bound_forms()
        needs.error_summary_label = "Behov %(number)d"
        apply_service_errors(form, ValidationError({"kind": "Telefonmøder tæller ikke som besøg."}))
        entries = error_summary(form, needs, None, "")
    labels = [(entry.label, entry.target) for entry in entries if entry.target]
    assert ("Type", "id_kind") in labels
    assert ("Behov 1: Antal medarbejdere", "id_behov-0-employees_affected") in labels
    assert any(entry.message == "Telefonmøder tæller ikke som besøg." for entry in entries)


def test_formset_errors_of_its_own_are_listed_and_an_unbound_form_has_none():
    needs = NeedFormSet(
        {
            "behov-TOTAL_FORMS": "3",
            "behov-INITIAL_FORMS": "0",
            **{f"behov-{i}-description": "x" for i in range(3)},
        },
        prefix="behov",
    )
    needs.is_valid()
    entries = error_summary([needs])
    assert entries and entries[0].target == "" and "2" in entries[0].message
    assert error_summary(VisitForm()) == []
    _html, page = render(VisitForm(), None)
    assert page.summary == {}


def test_summary_title_and_intro_can_be_given():
    with translation.override("da"):
        form, _needs = bound_forms()
        html = Template(
            '{% include "_partials/error_summary.html" with title="Besøget er ikke gemt" intro="Ret fejlene." %}'
        ).render(Context({"form": form}))
    assert '<h2 class="h5" id="fejloversigt-titel">Besøget er ikke gemt</h2>' in html
    assert "<p>Ret fejlene.</p>" in html
