"""A page for the browser test of the shared form helpers (tests/e2e/test_form_helpers.py).

The portal's own forms switch to the helpers one by one; this page uses every one of them at once,
rendered through base.html like any page, so their JavaScript is tried in a real browser.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from kompetence.forms import DanishDecimalField, DateInput, apply_text_limits
from kompetence.rules import rule
from kompetence.urls import urlpatterns as portal_urlpatterns


class TrialForm(forms.Form):
    name = forms.CharField(label="Navn", max_length=100)
    visit_date = forms.DateField(label="Dato", widget=DateInput, required=False)
    turnover = DanishDecimalField(label="Omsætning (mio. EUR)", max_digits=9, decimal_places=2, required=False)
    # Django's own field, as the firm form had it: <input type="number">, parsed by the browser.
    plain_number = forms.DecimalField(label="Tal (Djangos felt)", max_digits=9, decimal_places=2, required=False)
    summary = forms.CharField(label="Referat", max_length=40, widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self)


PAGE = engines["django"].from_string(
    """{% extends "base.html" %}{% load crispy_forms_tags kompetence %}
{% block head_title %}Prøveformular{% endblock %}
{% block content %}
  <h1>Prøveformular</h1>
  {% if saved %}
    <p id="gemt">Gemt: {{ saved.turnover|danish_number:2|default:"–" }}
      / {{ saved.plain_number|danish_number:2|default:"–" }}</p>
  {% endif %}
  {% include "_partials/error_summary.html" with form=form %}
  <form method="post" novalidate data-no-enter-submit>
    {% csrf_token %}
    {{ form.name|as_crispy_field }}{{ form.visit_date|as_crispy_field }}
    {{ form.turnover|as_crispy_field }}{{ form.plain_number|as_crispy_field }}{{ form.summary|as_crispy_field }}
    <button type="submit" class="btn btn-primary">Gem</button>
  </form>
{% endblock %}"""
)


@rule(public=True)
def trial_form(request: HttpRequest) -> HttpResponse:
    form = TrialForm(request.POST or None)
    saved = form.cleaned_data if request.method == "POST" and form.is_valid() else None
    return HttpResponse(PAGE.render({"form": form, "saved": saved}, request))


urlpatterns = [path("proeveformular/", trial_form, name="trial_form"), *portal_urlpatterns]
