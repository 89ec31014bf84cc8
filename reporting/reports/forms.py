"""The form for asking for a report: what, which period, whose, and the narrative text."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kompetence.forms import apply_text_limits
from partnerships.models import ESFProject, Partnership
from partnerships.scoping import user_sees_everything
from reporting.models import NARRATIVE_MAX, Report
from reporting.periods import Period, PeriodError

KINDS = [
    (Report.Kind.PROGRESS.value, Report.Kind.PROGRESS.label),
    (Report.Kind.ESF_STATUS.value, Report.Kind.ESF_STATUS.label),
]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rapport"), choices=KINDS, initial=Report.Kind.PROGRESS)
    period = forms.CharField(
        label=_("Periode"),
        max_length=40,
        help_text=_("Fx 2018, 2018-K3 (kvartal), 2018-H1 (halvår) eller 2018-01-01..2018-06-30."),
    )
    partnership = forms.ModelChoiceField(
        label=_("Partnerskab"), queryset=Partnership.objects.none(), required=False, empty_label=_("Hele programmet")
    )
    project = forms.ModelChoiceField(
        label=_("ESF-projekt"),
        queryset=ESFProject.objects.order_by("sort_order", "axis"),
        required=False,
        help_text=_("Kun til den halvårlige ESF-status: tom giver begge projekter."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(Report.Format.PDF.value, "PDF"), (Report.Format.XLSX.value, _("Excel (XLSX)"))],
        initial=Report.Format.PDF,
        help_text=_("Fremdriftsrapporten er altid PDF; ESF-status kan også hentes som Excel."),
    )
    summary = forms.CharField(
        label=_("Sammenfatning"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=NARRATIVE_MAX
    )
    highlights = forms.CharField(
        label=_("Resultater og gode eksempler"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=NARRATIVE_MAX,
    )
    challenges = forms.CharField(
        label=_("Udfordringer"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=NARRATIVE_MAX
    )
    outlook = forms.CharField(
        label=_("Næste skridt"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=NARRATIVE_MAX
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["partnership"].queryset = Partnership.objects.for_user(user).order_by("name")
        if not user_sees_everything(user):
            # A secretariat asks for its own partnership's report only.
            self.fields["partnership"].required = True
            self.fields["partnership"].empty_label = None
        apply_text_limits(self)

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"])
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        if data.get("kind") == Report.Kind.PROGRESS and data.get("format") == Report.Format.XLSX:
            self.add_error("format", _("Fremdriftsrapporten dannes kun som PDF."))
        return data

    @property
    def narrative(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in ("summary", "highlights", "challenges", "outlook")}
