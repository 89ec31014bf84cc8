"""The form that registers hours: day, hours (Danish decimals), kind of work, and what they were spent on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityPlan, TimeEntry
from companies.models import Company
from kompetence.forms import DanishDecimalField, DateInput
from partnerships.models import ESFProject, Partnership

TARGET_KINDS = {"aktivitet": ActivityPlan, "virksomhed": Company, "partnerskab": Partnership}


class TimeEntryForm(forms.Form):
    day = forms.DateField(label=_("Dato"), widget=DateInput, required=False)
    hours = DanishDecimalField(label=_("Timer"), required=False, max_digits=4, decimal_places=2, help_text=_("Fx 1,5."))
    kind = forms.ChoiceField(label=_("Arbejde"), choices=[("", "–"), *list(TimeEntry.Kind.choices)], required=False)
    target = forms.ChoiceField(label=_("Brugt på"), required=False)
    project = forms.ModelChoiceField(
        label=_("ESF-projekt"),
        queryset=ESFProject.objects.order_by("sort_order"),
        required=False,
        help_text=_("For en aktivitet: aktivitetens projekt. For en virksomhed eller et partnerskab: vælg."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, targets: dict[str, list], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            ("", "–"),
            (_("Aktiviteter"), [(f"aktivitet:{p.pk}", f"{p.title} ({p.company.name})") for p in targets["plans"]]),
            (_("Virksomheder"), [(f"virksomhed:{c.pk}", c.name) for c in targets["firms"]]),
            (
                _("Udvikling af partnerskabet (møder, sekretariat)"),
                [(f"partnerskab:{p.pk}", p.name) for p in targets["partnerships"]],
            ),
        ]
        self.targets = {
            **{f"aktivitet:{p.pk}": ("plan", p) for p in targets["plans"]},
            **{f"virksomhed:{c.pk}": ("company", c) for c in targets["firms"]},
            **{f"partnerskab:{p.pk}": ("partnership", p) for p in targets["partnerships"]},
        }

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields: dict[str, Any] = {
            "day_": data.get("day"),
            "hours": data.get("hours"),
            "kind": data.get("kind") or "",
            "project": data.get("project"),
            "note": data.get("note") or "",
        }
        chosen = self.targets.get(data.get("target") or "")
        if chosen is not None:
            fields[chosen[0]] = chosen[1]
        return fields


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Hvad skal rettes?"), max_length=500, required=False)
