"""Forms of the firm register: register/edit a firm, contacts, P-numbers, consent, CSV import.

Forms parse and check input and say what is wrong in Danish next to the field; they never write.
Writes go through ``companies.services`` (called by the views).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.importing import section_for_industry_code
from companies.models import Company, ContactPerson, ProductionUnit
from companies.selectors.firms import companies_held_elsewhere, region_municipalities
from companies.validators import normalise_cvr, validate_cvr
from kompetence.inputs import ascii_digits
from partnerships.models import Partnership, User

postcode_validator = RegexValidator(r"^\d{4}$", gettext_lazy("Et postnummer består af 4 cifre, fx 8000."))
phone_validator = RegexValidator(
    r"^\+?[\d\s-]{8,20}$", gettext_lazy("Skriv et telefonnummer med cifre, fx 86 12 34 56 eller +45 86 12 34 56.")
)

COMPANY_FIELDS = [
    "cvr",
    "name",
    "address",
    "postcode",
    "city",
    "municipality",
    "industry_section",
    "industry_code",
    "employees",
    "employee_band",
    "turnover_eur_m",
    "balance_eur_m",
    "part_of_group",
    "website",
    "notes",
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CompanyForm(forms.ModelForm):
    """Register or edit a firm. Pass ``user``; on edit also ``instance``.

    If the CVR number is already registered, the form is invalid and either ``existing_company``
    is set (the firm is in the user's partnerships: the view takes the user there) or the CVR field
    says which partnership holds it and whom to call (nothing more is shown).
    """

    partnership = forms.ModelChoiceField(
        label=gettext_lazy("Partnerskab"),
        queryset=Partnership.objects.none(),
        required=False,
        empty_label=gettext_lazy("Automatisk: kommunens partnerskab"),
        help_text=gettext_lazy(
            "Lad feltet stå, så hører virksomheden til partnerskabet for dens kommune. "
            "Vælg kun et andet, hvis partnerskaberne har aftalt det."
        ),
    )
    website = forms.URLField(label=gettext_lazy("Hjemmeside"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Company
        fields = COMPANY_FIELDS
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "cvr": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric"}),
            "industry_code": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        labels = {
            "employee_band": gettext_lazy("Antal ansatte (interval)"),
            "turnover_eur_m": gettext_lazy("Omsætning (mio. EUR)"),
            "balance_eur_m": gettext_lazy("Balance (mio. EUR)"),
            "part_of_group": gettext_lazy("Indgår i koncern"),
        }
        help_texts = {
            "cvr": gettext_lazy("8 cifre. Mellemrum og »DK« må gerne stå med."),
            "employees": gettext_lazy("Det præcise antal, hvis det kendes; ellers vælg et interval."),
            "turnover_eur_m": gettext_lazy("Bruges til at afgøre, om virksomheden er en SMV."),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.existing_company: Company | None = None
        self.fields["cvr"].max_length = 20  # room for "DK 12 34 56 78"; normalised to 8 digits
        self.fields["cvr"].widget.attrs["maxlength"] = 20
        self.fields["cvr"].validators = []  # checked in clean_cvr, after normalising
        self.fields["municipality"].queryset = region_municipalities()
        self.fields["municipality"].empty_label = _("Vælg kommune")
        self.fields["industry_section"].empty_label = _("Ukendt")
        self.fields["employee_band"].choices = [("", _("Ukendt")), *list(self.fields["employee_band"].choices)[1:]]
        self.fields["postcode"].validators.append(postcode_validator)
        self.fields["partnership"].queryset = Partnership.objects.for_user(user).filter(is_active=True)
        if self.instance.pk and self.instance.partnership_overridden:
            self.initial.setdefault("partnership", self.instance.partnership_id)
        for name in ("cvr", "name", "municipality"):
            self.fields[name].required = True

    def clean_cvr(self) -> str:
        cvr = normalise_cvr(self.cleaned_data.get("cvr", ""))
        validate_cvr(cvr)
        duplicate = Company.objects.filter(cvr=cvr).exclude(pk=self.instance.pk).first()
        if duplicate is None:
            return cvr
        if Company.objects.for_user(self.user).filter(pk=duplicate.pk).exists():
            if self.instance.pk:
                raise forms.ValidationError(
                    _("CVR-nummeret tilhører %(name)s, som allerede er registreret.") % {"name": duplicate.name},
                    code="duplicate_own",
                )
            self.existing_company = duplicate
            raise forms.ValidationError(_("Virksomheden er allerede registreret."), code="duplicate_own")
        holder = next(iter(companies_held_elsewhere(self.user, cvr)), None)
        if holder is None:  # Cannot happen for a non-empty CVR; be safe rather than leak.
            raise forms.ValidationError(_("CVR-nummeret er allerede registreret."), code="duplicate")
        raise forms.ValidationError(held_elsewhere_message(holder), code="duplicate_elsewhere")

    def clean(self):
        cleaned = super().clean()
        code, section = cleaned.get("industry_code"), cleaned.get("industry_section")
        if code:
            derived = section_for_industry_code(code)
            if not ascii_digits(code) or len(code) != 6 or derived is None:
                self.add_error("industry_code", _("En branchekode (DB07) består af 6 cifre, fx 251100."))
            elif section is None:
                cleaned["industry_section"] = self.fields["industry_section"].queryset.filter(code=derived).first()
            elif section.code != derived:
                self.add_error(
                    "industry_code",
                    _("Branchekoden %(code)s hører til branche %(derived)s, ikke %(chosen)s.")
                    % {"code": code, "derived": derived, "chosen": section.code},
                )
        return cleaned

    def _post_clean(self):
        # The model's own validation runs in the service (full_clean); running it here as well would
        # repeat the CVR uniqueness check with Django's generic message.
        pass

    def service_fields(self) -> dict:
        """The cleaned data as keyword arguments for ``company_create``/``company_update``."""
        return {name: self.cleaned_data[name] for name in COMPANY_FIELDS if name in self.cleaned_data}


def held_elsewhere_message(holder: dict) -> str:
    """The Danish sentence naming the partnership that holds a firm and whom to call."""
    contact = holder["contact_name"] or _("ukendt")
    details = ", ".join(v for v in (holder["contact_email"], holder["contact_phone"]) if v)
    who = _("tovholder") if holder["contact_is_lead"] else _("partnerskabets tovholder")
    return _(
        "CVR-nummeret %(cvr)s er allerede registreret i %(partnership)s. Kontakt %(who)s %(contact)s"
        "%(details)s, før I kontakter virksomheden."
    ) % {
        "cvr": holder["cvr"],
        "partnership": holder["partnership_name"],
        "who": who,
        "contact": contact,
        "details": f" ({details})" if details else "",
    }


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "role", "title", "email", "phone", "consent_to_contact", "is_active"]
        labels = {"name": gettext_lazy("Navn"), "consent_to_contact": gettext_lazy("Må kontaktes")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(phone_validator)
        if not self.instance.pk:
            del self.fields["is_active"]


class ProductionUnitForm(forms.ModelForm):
    class Meta:
        model = ProductionUnit
        fields = ["p_number", "name", "address", "postcode", "city", "municipality"]
        widgets = {"p_number": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})}
        help_texts = {"p_number": gettext_lazy("10 cifre, fra CVR-registret.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Room for "10 1234 5678"; the model checks the 10 digits after clean_p_number strips the spaces.
        self.fields["p_number"].max_length = 14
        self.fields["p_number"].validators = []
        self.fields["p_number"].widget.attrs["maxlength"] = 14
        self.fields["municipality"].queryset = region_municipalities()
        self.fields["postcode"].validators.append(postcode_validator)

    def clean_p_number(self) -> str:
        return (self.cleaned_data.get("p_number") or "").replace(" ", "").replace("-", "")


class SharingConsentForm(forms.Form):
    given_on = forms.DateField(label=gettext_lazy("Givet den"), widget=_date_input())
    given_by = forms.CharField(
        label=gettext_lazy("Givet af"),
        max_length=150,
        help_text=gettext_lazy("Navn og stilling på den, der gav samtykket på virksomhedens vegne."),
    )
    given_to = forms.CharField(
        label=gettext_lazy("Givet til"),
        max_length=300,
        help_text=gettext_lazy("Hvem må dele virksomhedens oplysninger, fx jobcenter, erhvervsservice og skoler."),
    )

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()
        self.fields["given_to"].initial = _(
            "Jobcenter, erhvervsservice og uddannelsesinstitutioner i %(partnership)s"
        ) % {"partnership": company.partnership.name}

    def clean_given_on(self) -> dt.date:
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError(_("Datoen for samtykket kan ikke ligge i fremtiden."))
        return given_on


class ImportForm(forms.Form):
    MAX_BYTES = 20 * 1024 * 1024

    file = forms.FileField(
        label=gettext_lazy("CSV-fil fra CVR-registret"),
        help_text=gettext_lazy(
            "Kolonner: CVR-nummer; navn; adresse; postnummer; kommunekode; branchekode; antal ansatte. "
            "Semikolon eller komma, UTF-8 eller Windows-1252."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Prøvekørsel: vis hvad der ville ske, men gem intet"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Filen er for stor (højst 20 MB)."))
        return upload
