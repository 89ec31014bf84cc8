"""Forms of the activity plan pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.forms.base import fields_for
from activities.models import ActivityPlan, Cost, HRForHireDetail, JobrotationDetail, NetworkMeeting, PlacementDetail
from companies.models import Company, CompetenceNeed
from kompetence.forms import DateInput, apply_text_limits
from partnerships import programme
from partnerships.models import ActivityType, User
from partnerships.selectors import partnership_members

PLAN_FORM_FIELDS = (
    "title",
    "purpose",
    "description",
    "planned_start",
    "planned_end",
    "planned_hours",
    "planned_cost",
    "staff_taking_part",
    "managers_taking_part",
)


class PlanForm(forms.Form):
    """Create or edit a plan for ``company``. The type's ESF mapping is shown beside the choice
    (``type_notes``: which types need a growth purpose, and which are not charged)."""

    activity_type = forms.ModelChoiceField(label=_("Aktivitetstype"), queryset=ActivityType.objects.none())
    responsible = forms.ModelChoiceField(label=_("Ansvarlig konsulent"), queryset=User.objects.none())
    consultants = forms.ModelMultipleChoiceField(
        label=_("Andre konsulenter"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("Kompetencebehov, aktiviteten dækker"),
        queryset=CompetenceNeed.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, company: Company, user: User, plan: ActivityPlan | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_fields = fields_for(ActivityPlan, PLAN_FORM_FIELDS)
        model_fields["purpose"].widget = forms.Textarea(attrs={"rows": 3})
        model_fields["description"].widget = forms.Textarea(attrs={"rows": 4})
        model_fields["purpose"].required = False  # the service says when it is needed (axis 1)
        for name in ("planned_start", "planned_end"):
            model_fields[name].required = False  # the service's message says what is missing
        ordered = {"activity_type": self.fields["activity_type"]}
        ordered["title"] = model_fields.pop("title")
        ordered["purpose"] = model_fields.pop("purpose")
        ordered.update({"responsible": self.fields["responsible"], "consultants": self.fields["consultants"]})
        ordered.update(model_fields)
        ordered["needs"] = self.fields["needs"]
        self.fields = ordered
        today = timezone.localdate()
        catalogue = programme.activity_catalogue(on=today)
        type_ids = [m.activity_type_id for m in catalogue]
        if plan is not None:
            type_ids.append(plan.activity_type_id)
        self.fields["activity_type"].queryset = ActivityType.objects.filter(pk__in=type_ids).order_by("sort_order")
        self.type_notes = [
            (
                m.activity_type.name,
                m.axis,
                m.eligible_activity.name,
                m.requires_growth_purpose,
                m.charged_to_project,
            )
            for m in catalogue
        ]
        members = partnership_members(company.partnership_id).exclude(password__startswith="!")  # noqa: S106
        self.fields["responsible"].queryset = members.order_by("first_name", "last_name")
        self.fields["consultants"].queryset = members.order_by("first_name", "last_name")
        needs = CompetenceNeed.objects.for_user(user).filter(company=company)
        if plan is None:
            needs = needs.open()
        self.fields["needs"].queryset = needs.order_by("-created_at")
        self.fields["purpose"].help_text = _(
            "Krævet for akse 1-aktiviteter: hvilket vækst- eller produktivitetsmål i virksomhedens vækststrategi "
            "aktiviteten tjener."
        )
        self.fields["staff_taking_part"].help_text = _(
            "Akse 1: en væsentlig del af medarbejderne og/eller ledelsen skal deltage."
        )
        apply_text_limits(self)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("planned_hours", "planned_cost"):
            if data.get(name) is None:
                data[name] = 0
        return data


class StatusForm(forms.Form):
    """Move a plan to one of the statuses its workflow allows from where it is."""

    status = forms.ChoiceField(label=_("Ny status"), widget=forms.Select(attrs={"class": "form-select"}))
    on = forms.DateField(label=_("Dato"), required=False, widget=DateInput, help_text=_("Tom: i dag."))
    note = forms.CharField(label=_("Begrundelse"), required=False, max_length=500)

    def __init__(self, *args: Any, plan: ActivityPlan, **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = dict(ActivityPlan.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in plan.allowed_transitions()]


class CostForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for(Cost, ["incurred_on", "kind", "description", "amount"]))
        apply_text_limits(self)


class NetworkMeetingForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for(NetworkMeeting, ["held_on", "topic", "firms_present"]))
        apply_text_limits(self)


# The details form of each kind: the model's own fields.
DETAIL_FIELDS = {
    HRForHireDetail: ["provider", "hours_bought", "tasks", "outcome"],
    JobrotationDetail: ["weeks", "jobcentre"],
    PlacementDetail: ["recruitment_need", "person_placed", "development_task", "outcome"],
}


class DetailForm(forms.Form):
    """The type's details (HR-chef til leje, jobrotation, tilknytning, netværk)."""

    def __init__(self, *args: Any, detail, company: Company, **kwargs: Any):
        from activities.models import NetworkDetail

        super().__init__(*args, **kwargs)
        model = type(detail)
        if model is NetworkDetail:
            self.fields.update(fields_for(NetworkDetail, ["theme"]))
            self.fields["members"] = forms.ModelMultipleChoiceField(
                label=_("Medlemsvirksomheder"),
                queryset=Company.objects.filter(partnership_id=company.partnership_id).order_by("name"),
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 8}),
            )
        else:
            self.fields.update(fields_for(model, DETAIL_FIELDS[model]))
        for name, field in self.fields.items():
            field.required = False
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
            if detail.pk and name != "members":
                self.initial.setdefault(name, getattr(detail, name))
        if model is NetworkDetail and detail.pk:
            self.initial.setdefault("members", list(detail.members.values_list("pk", flat=True)))
        apply_text_limits(self)
