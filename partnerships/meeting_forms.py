"""Forms of the meeting pages. They parse and show errors; the rules are in the services, whose
``ValidationError`` is put next to the fields with ``kompetence.forms.apply_service_errors``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetence.forms import DateInput, TimeInput, apply_text_limits
from kompetence.text import display_name
from partnerships.localtime import local_datetime
from partnerships.models import AgendaItem, Attendance, MeetingKind, Partnership, User
from partnerships.models.meetings import TEXT_LONG, TEXT_SHORT


def _person(user: User) -> str:
    organisation = user.organisation
    name = display_name(user)
    return f"{name} ({organisation.name})" if organisation else name


class PeopleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return _person(obj)


class PeopleMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return _person(obj)


class MeetingForm(forms.Form):
    partnership = forms.ModelChoiceField(queryset=Partnership.objects.none(), label=_("Partnerskab"))
    kind = forms.ChoiceField(choices=MeetingKind.choices, label=_("Mødetype"))
    title = forms.CharField(label=_("Titel"), max_length=200, required=False, help_text=_("Tom: mødetypen."))
    day = forms.DateField(label=_("Dato"), widget=DateInput)
    start_time = forms.TimeField(label=_("Start"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Slut"), widget=TimeInput)
    location = forms.CharField(label=_("Mødested/lokale"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Videolink"), max_length=500, required=False, assume_scheme="https")

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        apply_text_limits(self)

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            try:
                data["start"] = local_datetime(day, start, field="start_time")
                data["end"] = local_datetime(day, end, field="end_time")
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        return data


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Punkt"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivelse"), max_length=TEXT_SHORT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    presenter = PeopleChoiceField(queryset=User.objects.none(), required=False, label=_("Oplægsholder"))
    duration_minutes = forms.IntegerField(label=_("Tid (minutter)"), required=False, min_value=1, max_value=240)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = members
        apply_text_limits(self)


class ProposeItemForm(forms.Form):
    title = forms.CharField(label=_("Forslag til punkt"), max_length=200)
    description = forms.CharField(
        label=_("Kommentar"), max_length=TEXT_SHORT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self)


class AgendaCommentForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(), required=False, label=_("Punkt"), empty_label=_("Dagsordenen som helhed")
    )
    text = forms.CharField(label=_("Kommentar"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if items is not None:
            self.fields["agenda_item"].queryset = items
        apply_text_limits(self)


class InviteForm(forms.Form):
    invitees = PeopleMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Indkald")
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitees"].queryset = members


class AnswerForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (Attendance.Response.ACCEPTED, _("Jeg deltager")),
            (Attendance.Response.DECLINED, _("Jeg melder afbud")),
        ],
        widget=forms.RadioSelect,
        label=_("Dit svar"),
    )
    comment = forms.CharField(label=_("Bemærkning"), max_length=300, required=False)


class AttendanceForm(forms.Form):
    present = PeopleMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Til stede")
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members


class MinutesForm(forms.Form):
    """The general remarks and one note per agenda item (fields ``note_<item id>``)."""

    summary = forms.CharField(
        label=_("Generelle bemærkninger"),
        max_length=TEXT_LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Referat: %(title)s") % {"title": item.title},
                max_length=TEXT_LONG,
                required=False,
                initial=item.note,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        apply_text_limits(self)

    def notes(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(f"note_{item.pk}", "") for item in self.items}


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Handlingspunkt"), max_length=300)
    owner = PeopleChoiceField(queryset=User.objects.none(), label=_("Ansvarlig"))
    due_on = forms.DateField(label=_("Frist"), required=False, widget=DateInput)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        apply_text_limits(self)


class LearningNoteForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("erfaring", _("Erfaring")), ("overlevering", _("Overlevering til organisationerne"))],
        label=_("Type"),
    )
    text = forms.CharField(label=_("Tekst"), max_length=TEXT_SHORT, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self)


class AmendmentForm(forms.Form):
    text = forms.CharField(label=_("Rettelse"), max_length=TEXT_SHORT, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Begrundelse"), max_length=500, required=False)


def default_day() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=14)
