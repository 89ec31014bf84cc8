"""Forms of a firm's case: the visit form with its competence needs, and the small forms of the firm page.

Forms parse and narrow choices; the rules themselves live in ``companies.services`` (the visit form
calls ``services.visit_validate`` so that all messages appear at once, next to their fields).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies import services
from companies.models import TEXT_SHORT, CaseStatus, Company, CompetenceNeed, ContactPerson, Visit
from kompetence.filters import FastSelect, ListModelChoiceIterator
from kompetence.forms import apply_service_errors, apply_text_limits, portal_formfield
from partnerships.models import User
from partnerships.selectors import partnership_members

MAX_NEW_NEEDS = 20


class ConsultantCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes that carry each consultant's system, so the page can show which systems take part."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        user = getattr(value, "instance", None)
        if user is not None and user.organisation is not None:
            option["attrs"]["data-system"] = user.organisation.system_id
            option["attrs"]["data-system-name"] = user.organisation.system.short_name
        return option


def consultant_label(user: User) -> str:
    name = user.get_full_name() or user.email
    if user.organisation is None:
        return name
    return f"{name} · {user.organisation.name} ({user.organisation.system.short_name})"


class ConsultantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return consultant_label(obj)


class LeadChoiceField(forms.ModelChoiceField):
    # The firm page renders this choice on every view: one plain query (Django's iterator opens a
    # server-side cursor, three round trips) and the options built in Python, not through two templates
    # each (the status and lead selects cost the page more than its timeline's visits; bench/README.md).
    iterator = ListModelChoiceIterator
    widget = FastSelect

    def label_from_instance(self, obj: User) -> str:
        return consultant_label(obj)


def visit_consultant_choices(company: Company, visit: Visit | None = None):
    """The consultants a visit may have (``services.visit_consultant_choices``), ordered by system."""
    return (
        services.visit_consultant_choices(company, visit)
        .select_related("organisation__system")
        .order_by("organisation__system__sort_order", "first_name", "last_name", "pk")
    )


class VisitForm(forms.ModelForm):
    """The visit itself. ``complete`` says whether the user asked to complete it (or it already is)."""

    consultants = ConsultantChoiceField(
        label=_("Deltagende konsulenter"),
        queryset=User.objects.none(),
        widget=ConsultantCheckboxes,
        # "At least one" is a rule of services.visit_validate, which gives the Danish message.
        required=False,
    )
    company_participants = forms.ModelMultipleChoiceField(
        label=_("Fra virksomheden deltog"),
        queryset=ContactPerson.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Visit
        # The visit's own fields come from the service; the people are shown after the kind of visit.
        fields = [*services.VISIT_FIELDS[:3], "consultants", "company_participants", *services.VISIT_FIELDS[3:]]
        formfield_callback = portal_formfield
        widgets = {
            "growth_plans": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 6}),
            "next_step": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "other_participants": _("Fx en konsulent fra en anden organisation eller en ekstern rådgiver."),
            "follow_up_on": _("Hvornår skal der følges op? Datoen vises under »Mine virksomheder«."),
            "for_partnership": _("Virksomheden sættes på partnerskabets liste til næste møde, når besøget afsluttes."),
        }

    def __init__(self, *args: Any, company: Company, user: User, complete: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.company = company
        self.complete = complete
        visit = self.instance if self.instance.pk else None
        self.fields["consultants"].queryset = visit_consultant_choices(company, visit)
        contacts = ContactPerson.objects.for_user(user).filter(company=company)
        if visit is not None:
            contacts = contacts.filter(Q(is_active=True) | Q(pk__in=visit.company_participants.values("pk")))
        else:
            contacts = contacts.filter(is_active=True)
        self.fields["company_participants"].queryset = contacts.order_by("name", "pk")
        self.fields["kind"].widget.attrs["class"] = "form-select"
        if visit is None and not self.is_bound:
            # Consultants usually fill in the form right after the visit, as one of its participants.
            self.initial.setdefault("visit_date", timezone.localdate())
            self.initial.setdefault("consultants", [user.pk])
        if visit is not None:
            self.initial.setdefault("version", visit.version)
        apply_text_limits(self)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("visit_date") is not None:
            try:
                services.visit_validate(
                    visit_date=cleaned["visit_date"],
                    follow_up_on=cleaned.get("follow_up_on"),
                    consultants=cleaned.get("consultants") or [],
                    complete=self.complete,
                )
            except ValidationError as error:
                apply_service_errors(self, error)
        return cleaned

    def visit_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.VISIT_FIELDS if name in self.cleaned_data}


STAFF_GROUPS = [
    ("staff_unskilled", _("Ufaglærte")),
    ("staff_skilled", _("Faglærte")),
    ("staff_salaried", _("Funktionærer")),
    ("staff_managers", _("Ledere")),
]


class NeedForm(forms.ModelForm):
    """A new competence need (from a visit, or straight on the firm page)."""

    staff_groups = forms.MultipleChoiceField(
        label=_("Medarbejdergrupper"),
        choices=STAFF_GROUPS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CompetenceNeed
        fields = ["area", "description", "employees_affected", "staff_groups", "urgency"]
        formfield_callback = portal_formfield
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        labels = {"urgency": _("Hvor hurtigt?")}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("area", "urgency"):
            self.fields[name].widget.attrs["class"] = "form-select"
        apply_text_limits(self)

    def need_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in ("area", "description", "employees_affected", "urgency")}
        groups = set(self.cleaned_data.get("staff_groups") or [])
        data.update({name: name in groups for name, _label in STAFF_GROUPS})
        return data


class BaseNeedFormSet(BaseFormSet):
    """The new needs of a visit. Every row is a new need, also a row carried over when the form is
    shown again with one more row ("Tilføj behov"), so an emptied row is simply skipped."""

    error_summary_label = _("Behov %(number)d")

    def initial_form_count(self) -> int:
        return super().initial_form_count() if self.is_bound else 0


NeedFormSet = formset_factory(
    NeedForm, formset=BaseNeedFormSet, extra=1, max_num=MAX_NEW_NEEDS, absolute_max=MAX_NEW_NEEDS, validate_max=True
)
NEEDS_PREFIX = "behov"


def need_formset_with_rows(rows: list[dict[str, Any]]) -> BaseNeedFormSet:
    """The needs formset showing ``rows`` (what was typed) and one more empty row, unvalidated."""
    rows = rows[: MAX_NEW_NEEDS - 1]
    formset = NeedFormSet(initial=rows, prefix=NEEDS_PREFIX)
    formset.extra = len(rows) + 1
    return formset


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices, widget=FastSelect)
    note = forms.CharField(
        label=_("Bemærkning"),
        max_length=500,
        required=False,
        help_text=_("Skal udfyldes, når sagen går et trin tilbage, fx fra »Besøgt« til »Identificeret«."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.attrs["class"] = "form-select"
        apply_text_limits(self)


class LeadForm(forms.Form):
    lead = LeadChoiceField(
        label=_("Tovholder (konsulent)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Ingen tovholder"),
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = (
            partnership_members(company.partnership_id)
            .select_related("organisation__system")
            .order_by("first_name", "last_name", "pk")
        )
        self.fields["lead"].widget.attrs["class"] = "form-select"


class ProposeForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvad skal partnerskabet tage stilling til?"),
        max_length=TEXT_SHORT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Fx hvilke konsulenter der skal med ind, og hvilke indsatser virksomheden kan tilbydes."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_text_limits(self)


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CompetenceNeed.Status.choices)
