"""Forms of the firm register: register/edit a firm, contacts, P-numbers, consent, CSV import.

Forms parse and check input and say what is wrong in Danish next to the field; they never write.
Writes go through ``companies.services`` (called by the views).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies import services
from companies.models import Company, ContactPerson, ProductionUnit
from companies.validators import normalise_cvr
from kompetence.forms import DateInput, apply_text_limits, portal_formfield
from partnerships.models import Partnership, PartnershipMunicipality, User
from partnerships.selectors import region_municipalities

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


def own_municipalities_first(user: User):
    """The region's municipalities, those covered by the user's own partnerships first (each group
    alphabetically): a firm is nearly always registered in one's own area."""
    own = Exists(
        PartnershipMunicipality.objects.filter(
            municipality=OuterRef("pk"), partnership__in=Partnership.objects.for_user(user).values("pk")
        )
    )
    return region_municipalities().annotate(own=own).order_by("-own", "name")


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
        formfield_callback = portal_formfield
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
        self.fields["municipality"].queryset = own_municipalities_first(user)
        self.fields["municipality"].empty_label = _("Vælg kommune")
        self.fields["industry_section"].empty_label = _("Ukendt")
        self.fields["employee_band"].choices = [("", _("Ukendt")), *list(self.fields["employee_band"].choices)[1:]]
        self.fields["postcode"].validators.append(postcode_validator)
        self.fields["partnership"].queryset = Partnership.objects.for_user(user).filter(is_active=True)
        if self.instance.pk and self.instance.partnership_overridden:
            self.initial.setdefault("partnership", self.instance.partnership_id)
        for name in ("cvr", "name", "municipality"):
            self.fields[name].required = True
        apply_text_limits(self)

    def clean_cvr(self) -> str:
        return normalise_cvr(self.cleaned_data.get("cvr", ""))

    def clean(self):
        """Run the service's rules now, so every message shows at once next to its field (the
        service checks them again when it writes)."""
        cleaned = super().clean()
        if cleaned.get("cvr"):
            try:
                services.company_check_cvr(
                    cvr=cleaned["cvr"], by=self.user, company=self.instance if self.instance.pk else None
                )
            except services.DuplicateCompany as exc:
                self.existing_company = exc.existing
                self.add_error("cvr", exc.error_dict["cvr"])
            except ValidationError as exc:
                self.add_error("cvr", exc.error_dict["cvr"])
        if "industry_code" in cleaned:
            try:
                cleaned["industry_section"] = services.company_industry(
                    industry_code=cleaned.get("industry_code", ""), industry_section=cleaned.get("industry_section")
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned

    def validate_unique(self) -> None:
        # The CVR number's uniqueness is the service's rule (company_check_cvr), with a message that
        # says who holds the firm; Django's generic "already exists" would say less.
        pass

    def service_fields(self) -> dict:
        """The cleaned data as keyword arguments for ``company_create``/``company_update``."""
        return {name: self.cleaned_data[name] for name in COMPANY_FIELDS if name in self.cleaned_data}


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "role", "title", "email", "phone", "consent_to_contact", "is_active"]
        formfield_callback = portal_formfield
        labels = {"name": gettext_lazy("Navn"), "consent_to_contact": gettext_lazy("Må kontaktes")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(phone_validator)
        if not self.instance.pk:
            del self.fields["is_active"]
        apply_text_limits(self)


class ProductionUnitForm(forms.ModelForm):
    class Meta:
        model = ProductionUnit
        fields = ["p_number", "name", "address", "postcode", "city", "municipality"]
        formfield_callback = portal_formfield
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
        apply_text_limits(self)

    def clean_p_number(self) -> str:
        return (self.cleaned_data.get("p_number") or "").replace(" ", "").replace("-", "")


class SharingConsentForm(forms.Form):
    given_on = forms.DateField(label=gettext_lazy("Givet den"), widget=DateInput)
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
        apply_text_limits(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("given_on"):
            try:
                services.consent_validate(given_on=cleaned["given_on"])
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


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
