"""Forms of én indgang (the public request form, taking and sending on a request) and of recruitment
needs. They parse and show errors; the rules are the services' (``request_check``,
``recruitment_validate``), called here so every message shows at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import REQUEST_TEXT_MAX, PublicRequest, RecruitmentNeed
from companies.services import recruitment as recruitment_services
from companies.services import requests as request_services
from kompetence.forms import DanishIntegerField, DateInput, apply_text_limits
from partnerships.models import Partnership, User
from partnerships.selectors import partnership_members, region_municipalities

OUTSIDE = "udenfor"


class PublicRequestForm(forms.Form):
    """The public form: who the firm is, who to contact, what it needs, and consent."""

    cvr = forms.CharField(
        label=_("CVR-nummer"),
        max_length=20,
        help_text=_("8 cifre. Find det på virk.dk, hvis I er i tvivl."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    company_name = forms.CharField(
        label=_("Virksomhedens navn"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    postcode = forms.CharField(
        label=_("Postnummer"),
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    municipality = forms.ChoiceField(
        label=_("Kommune"),
        required=False,  # the service's message says what to do
        error_messages={"invalid_choice": _("Vælg en kommune på listen.")},
        help_text=_("Den kommune, virksomheden (eller den afdeling, det drejer sig om) ligger i."),
    )
    contact_name = forms.CharField(
        label=_("Kontaktperson"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        error_messages={"invalid": _("Skriv en gyldig e-mailadresse, fx navn@firma.dk.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label=_("Telefon"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"}),
    )
    needs = forms.MultipleChoiceField(
        label=_("Hvad vil I gerne have hjælp til?"),
        choices=PublicRequest.NEEDS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label=_("Fortæl med jeres egne ord"),
        max_length=REQUEST_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    consent = forms.BooleanField(
        label=_("Ja, I må kontakte os om henvendelsen"),
        required=False,
    )
    # The honeypot: hidden from people (and from screen readers); a bot that fills it in is
    # answered as if all went well, and nothing is saved.
    website = forms.CharField(label=_("Lad dette felt være tomt"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.municipalities = {str(m.pk): m for m in region_municipalities().order_by("name")}
        self.fields["municipality"].choices = [
            ("", _("Vælg kommune")),
            *((code, m.name) for code, m in self.municipalities.items()),
            (OUTSIDE, _("Uden for Region Midtjylland")),
        ]
        self.fields["municipality"].widget.attrs["class"] = "form-select"
        for name in ("cvr", "company_name", "postcode", "contact_name", "contact_email", "contact_phone"):
            self.fields[name].error_messages["required"] = _("Udfyld feltet.")
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        apply_text_limits(self)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        choice = data.get("municipality") or ""
        data["municipality"] = self.municipalities.get(choice)
        errors = request_services.request_check(
            cvr=data.get("cvr", self.data.get("cvr", "")),
            postcode=data.get("postcode", ""),
            municipality=data["municipality"],
            outside_region=choice == OUTSIDE,
            needs=data.get("needs") or [],
            description=data.get("description", self.data.get("description", "")) or "",
            consent=bool(data.get("consent")),
        )
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data

    def submit_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "cvr",
                "company_name",
                "postcode",
                "municipality",
                "contact_name",
                "contact_email",
                "contact_phone",
                "needs",
                "description",
                "consent",
            )
        }


class TakeForm(forms.Form):
    lead = forms.ModelChoiceField(
        label=_("Tovholder (konsulent)"),
        queryset=User.objects.none(),
        empty_label=_("Vælg tovholder"),
        error_messages={"required": _("Vælg en tovholder."), "invalid_choice": _("Vælg en tovholder på listen.")},
    )

    def __init__(self, *args: Any, request: PublicRequest, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = partnership_members(request.partnership_id).order_by(
            "first_name", "last_name", "email"
        )
        self.fields["lead"].widget.attrs["class"] = "form-select"


class ForwardForm(forms.Form):
    partnership = forms.ModelChoiceField(
        label=_("Send til partnerskab"),
        queryset=Partnership.objects.none(),
        empty_label=_("Vælg partnerskab"),
        error_messages={"required": _("Vælg et partnerskab."), "invalid_choice": _("Vælg et partnerskab på listen.")},
    )
    note = forms.CharField(
        label=_("Besked til partnerskabet (valgfri)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, request: PublicRequest, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = (
            Partnership.objects.filter(is_active=True).exclude(pk=request.partnership_id).order_by("name")
        )
        self.fields["partnership"].widget.attrs["class"] = "form-select"
        apply_text_limits(self)


class RequestFilterForm(forms.Form):
    STATUSES = [("ny", _("Nye")), ("taget", _("Taget")), ("alle", _("Alle"))]

    status = forms.ChoiceField(label=_("Vis"), choices=STATUSES, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.attrs["class"] = "form-select"

    def status_value(self) -> str:
        value = self.cleaned_data.get("status") or "ny"
        return "" if value == "alle" else value


class RecruitmentFilterForm(forms.Form):
    STATES = [("open", _("Åbne")), ("closed", _("Lukkede")), ("all", _("Alle"))]

    state = forms.ChoiceField(label=_("Vis"), choices=STATES, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["state"].widget.attrs["class"] = "form-select"


class RecruitmentForm(forms.Form):
    job_title = forms.CharField(label=_("Stillingsbetegnelse"), max_length=150)
    positions = DanishIntegerField(label=_("Antal stillinger"), required=False)
    skills = forms.CharField(
        label=_("Kompetencer, der efterspørges"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = forms.DateField(label=_("Frist (valgfri)"), required=False, widget=DateInput())
    foreign_specialists = forms.BooleanField(label=_("Udenlandske specialister overvejes"), required=False)
    graduates = forms.BooleanField(label=_("Dimittender overvejes"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["job_title"].error_messages["required"] = _("Skriv stillingsbetegnelsen.")
        self.fields["skills"].error_messages["required"] = _("Skriv hvilke kompetencer, der efterspørges.")
        apply_text_limits(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "positions" in self.errors:
            return data
        errors = recruitment_services.recruitment_validate(
            positions=data.get("positions"), deadline=data.get("deadline")
        )
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class RecruitmentCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Hvordan gik det?"),
        choices=RecruitmentNeed.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg hvordan det gik.")},
    )
    closed_on = forms.DateField(
        label=_("Dato"),
        widget=DateInput(),
        error_messages={"required": _("Skriv datoen."), "invalid": _("Skriv en gyldig dato.")},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("initial", {"closed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
