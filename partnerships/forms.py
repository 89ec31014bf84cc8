from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.models import Organisation, Partnership, Role, User


class InviteUserForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    first_name = forms.CharField(label=_("Fornavn"), max_length=150)
    last_name = forms.CharField(label=_("Efternavn"), max_length=150)
    job_title = forms.CharField(label=_("Stilling"), max_length=100, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True).select_related("system")
    )
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices, initial=Role.CONSULTANT)
    partnerships = forms.ModelMultipleChoiceField(
        label=_("Partnerskaber"),
        queryset=Partnership.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Konsulenter og sekretariater ser kun data fra deres egne partnerskaber."),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Der findes allerede en bruger med denne e-mail."))
        return email

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in (Role.CONSULTANT, Role.SECRETARIAT) and not cleaned.get("partnerships"):
            self.add_error("partnerships", _("Vælg mindst ét partnerskab for en konsulent eller et sekretariat."))
        return cleaned
