"""Forms of the firm-level ESF pages: recruitment into a project, its declarations, headcounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.forms.base import fields_for
from activities.models import Declaration, Headcount, Recruitment
from kompetence.forms import apply_text_limits
from partnerships.models import ESFProject

RECRUITMENT_FIELDS = [
    "sme_staff",
    "sme_turnover_eur_m",
    "sme_balance_eur_m",
    "linked_enterprises",
    "other_de_minimis_eur",
    "fiscal_year_start_month",
]


class RecruitmentForm(forms.Form):
    project = forms.ModelChoiceField(label=_("ESF-projekt"), queryset=ESFProject.objects.none())

    def __init__(self, *args: Any, taken: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = ESFProject.objects.exclude(pk__in=taken).order_by("sort_order")
        self.fields.update(fields_for(Recruitment, RECRUITMENT_FIELDS))
        self.fields["linked_enterprises"].widget = forms.Textarea(attrs={"rows": 3})
        self.fields["sme_staff"].help_text = _(
            "SMV-status gælder hele virksomheden (CVR-nummeret), aldrig den enkelte P-enhed; partner- og "
            "tilknyttede virksomheder regnes med."
        )
        apply_text_limits(self)


class DeclarationForm(forms.Form):
    scan = forms.FileField(label=_("Underskrevet scanning (PDF, PNG eller JPEG, højst 10 MB)"), required=False)

    def __init__(self, *args: Any, missing: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields = fields_for(Declaration, ["kind", "signed_on", "signed_by"])
        fields["kind"].choices = [(k, label) for k, label in Declaration.Kind.choices if k in missing]
        fields["signed_on"].required = fields["signed_by"].required = False
        fields["scan"] = self.fields["scan"]
        self.fields = fields


class HeadcountForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for(Headcount, ["counted_on", "employees", "managers", "occasion", "source"]))
        self.fields["counted_on"].required = False
