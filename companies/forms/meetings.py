"""Forms for a firm's case at a meeting: the decision, withdrawing with a reason, moving to a later meeting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.agenda_services import DECISION_STATUSES
from companies.models import CaseStatus
from companies.models.firms import TEXT_SHORT
from kompetence.forms import DateInput, apply_text_limits
from partnerships.meeting_forms import PeopleChoiceField, PeopleMultipleChoiceField
from partnerships.models import ActivityType, Meeting, User


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Beslutning"), max_length=TEXT_SHORT, widget=forms.Textarea(attrs={"rows": 3}))
    lead_consultant = PeopleChoiceField(
        queryset=User.objects.none(), required=False, label=_("Tovholder for indsatsen")
    )
    consultants = PeopleMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Konsulenter, der går ind"),
    )
    activity_types = forms.ModelMultipleChoiceField(
        queryset=ActivityType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Aktiviteter, der tilbydes"),
        help_text=_("Fra programmets katalog. Hver aktivitet bliver en kladde til en aktivitetsplan for virksomheden."),
    )
    deadline = forms.DateField(label=_("Frist"), widget=DateInput, required=False)
    case_status = forms.ChoiceField(
        label=_("Virksomhedens status bliver"),
        choices=[(s.value, s.label) for s in DECISION_STATUSES],
        initial=CaseStatus.AGREED,
    )

    def __init__(self, *args, members, activity_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_consultant"].queryset = members
        self.fields["consultants"].queryset = members
        # The catalogue in force on the meeting's day, in its order (the service checks it again).
        self.fields["activity_types"].queryset = ActivityType.objects.filter(
            pk__in=[t.pk for t in activity_types]
        ).order_by("sort_order", "name")
        apply_text_limits(self)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Hvorfor trækkes sagen tilbage?"), max_length=500)


class MoveForm(forms.Form):
    to_meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), label=_("Flyt til møde"))

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_meeting"].queryset = meetings
