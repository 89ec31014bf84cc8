"""Forms of the participant pages: registration (with the CPR number), ESF facts, results, enrolment,
training lines, RKV results, documents and the reveal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.forms.base import fields_for
from activities.models import Enrollment, Participant, ParticipantDocument, RKVResult, TrainingLine
from activities.services.participants import PARTICIPANT_FIELDS
from companies.models import Company
from kompetence.forms import DanishDecimalField, DateInput, apply_text_limits
from partnerships.models import Partnership, User

YES_NO = [("", _("Ikke registreret")), ("ja", _("Ja")), ("nej", _("Nej"))]


class CprInput(forms.TextInput):
    """The CPR field: digits on a phone, no autofill, never remembered by the browser."""

    def __init__(self):
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false", "maxlength": 11})


class ParticipantForm(forms.Form):
    """Register a participant (``with_cpr``) or edit the ESF facts. Pass ``user`` and, to register from an
    activity, ``partnership`` (the activity's); otherwise the user picks among their partnerships."""

    cpr = forms.CharField(
        label=_("CPR-nummer"),
        required=False,
        widget=CprInput(),
        help_text=_("10 cifre, fx 010190-1234. Fødselsdato og køn udledes af nummeret."),
    )
    partnership = forms.ModelChoiceField(label=_("Partnerskab"), queryset=Partnership.objects.none())
    employer = forms.ModelChoiceField(
        label=_("Arbejdsgiver"),
        queryset=Company.objects.none(),
        required=False,
        help_text=_("Tom for ledige (fx vikarer i jobrotation)."),
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        with_cpr: bool,
        partnership: Partnership | None = None,
        employer: Company | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        facts = fields_for(Participant, [n for n in PARTICIPANT_FIELDS if n != "gender"])
        facts["gender"] = forms.ChoiceField(
            label=_("Køn"),
            required=False,
            choices=[("", _("Som CPR-nummeret angiver")), *list(Participant.Gender.choices)],
            help_text=_("Udledes af CPR-nummeret; vælg kun, hvis det skal rettes."),
        )
        for name in ("entry_date", "employment_status"):
            facts[name].required = False  # the service's message says it is missing
        fields: dict[str, forms.Field] = {}
        if with_cpr:
            fields["cpr"] = self.fields["cpr"]
        if partnership is None:
            fields["partnership"] = self.fields["partnership"]
            fields["partnership"].queryset = Partnership.objects.in_partnerships_of(user).order_by("name")
        fields["employer"] = self.fields["employer"]
        firms = Company.objects.for_user(user)
        if partnership is not None:
            firms = firms.filter(partnership=partnership)
        self.fields_partnership = partnership
        fields["employer"].queryset = firms.only("pk", "name").order_by("name")
        if employer is not None:
            self.initial.setdefault("employer", employer.pk)
        fields.update(facts)
        self.fields = fields
        apply_text_limits(self)


class EnrollmentForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for(Enrollment, ["role", "start_date", "end_date", "hours"]))
        self.fields["start_date"].required = False
        self.fields["start_date"].help_text = _("Tom: aktivitetens start (eller deltagerens startdato, hvis senere).")


class EnrollExistingForm(EnrollmentForm):
    """Enrol a participant already registered (chosen among the partnership's participants)."""

    participant = forms.ModelChoiceField(label=_("Deltager"), queryset=Participant.objects.none())

    def __init__(self, *args: Any, user: User, partnership: Partnership, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = (
            Participant.objects.for_user(user)
            .filter(partnership=partnership, anonymised_at__isnull=True)
            .only("pk", "first_name", "last_name", "birth_date", "anonymised_at")
            .order_by("last_name", "first_name")
        )
        self.order_fields(["participant"])


class TrainingLineForm(forms.Form):
    course_number = forms.CharField(
        label=_("AMU-nummer"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "list": "amu-kurser"}),
        help_text=_("Skriv nummeret eller søg på titlen; eller udfyld »Anden uddannelse«."),
    )
    qualifying_choice = forms.ChoiceField(
        label=_("Erhvervskompetencegivende"),
        required=False,
        choices=[("", _("Som kurset angiver (AMU: ja)")), ("ja", _("Ja")), ("nej", _("Nej"))],
    )
    days = DanishDecimalField(label=_("Dage"), required=False, max_digits=5, decimal_places=1)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields = {"course_number": self.fields["course_number"]}
        fields.update(fields_for(TrainingLine, ["other_education", "provider", "start_date", "end_date", "status"]))
        fields["start_date"].required = fields["end_date"].required = False
        fields["days"] = self.fields["days"]
        fields["qualifying_choice"] = self.fields["qualifying_choice"]
        self.fields = fields

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        choice = data.pop("qualifying_choice")
        data["qualifying"] = {"ja": True, "nej": False}.get(choice)
        return data


class RKVResultForm(forms.Form):
    recommended_numbers = forms.CharField(
        label=_("Anbefalede AMU-kurser (numre)"),
        required=False,
        max_length=200,
        help_text=_("AMU-numre adskilt af komma, fx 40123, 48780."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields = fields_for(RKVResult, ["assessor", "assessed_on", "recognised", "certificate"])
        fields["assessed_on"].required = fields["assessor"].required = False
        fields["recommended_numbers"] = self.fields["recommended_numbers"]
        fields.update(fields_for(RKVResult, ["recommended_other"]))
        for name in ("recognised", "recommended_other"):
            fields[name].widget = forms.Textarea(attrs={"rows": 3})
        self.fields = fields
        apply_text_limits(self)

    def numbers(self) -> list[str]:
        raw = self.cleaned_data.get("recommended_numbers") or ""
        return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]


class ExitResultForm(forms.Form):
    on = forms.DateField(label=_("Registreret den"), widget=DateInput, required=False)
    in_education = forms.BooleanField(label=_("I uddannelse eller oplæring"), required=False)
    qualification = forms.BooleanField(label=_("Har opnået kvalifikationer"), required=False)
    employed = forms.BooleanField(label=_("I beskæftigelse (også selvstændig)"), required=False)
    job_searching = forms.BooleanField(label=_("Jobsøgende (tidligere uden for arbejdsstyrken)"), required=False)


class SixMonthResultForm(forms.Form):
    on = forms.DateField(label=_("Registreret den"), widget=DateInput, required=False)
    employed = forms.BooleanField(label=_("I beskæftigelse (også selvstændig)"), required=False)
    improved = forms.BooleanField(
        label=_("Forbedret situation på arbejdsmarkedet"),
        required=False,
        help_text=_(
            "Fra usikker til fast job, fra under- til fuld beskæftigelse, et job med højere krav eller en "
            "forfremmelse. En lønstigning alene tæller ikke."
        ),
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Dokument"),
        choices=ParticipantDocument.Kind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    file = forms.FileField(label=_("Fil (PDF, PNG eller JPEG, højst 10 MB)"), required=False)


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor skal du se CPR-nummeret?"),
        max_length=500,
        required=False,
        help_text=_("Begrundelsen gemmes sammen med dit navn og tidspunktet. Personen kan få den at se."),
    )


class CprExportForm(RevealForm):
    reason = forms.CharField(
        label=_("Begrundelse for at eksportere CPR-numre"),
        max_length=500,
        required=False,
        help_text=_("Hvert eksporteret CPR-nummer registreres med dit navn, tidspunktet og begrundelsen."),
    )
