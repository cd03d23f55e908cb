from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import available_timezones

from django import forms

from commonground.core.forms import StyledFormMixin
from commonground.events.models import (
    DESCRIPTION_MAX_LENGTH,
    MAX_CAPACITY,
    TITLE_MAX_LENGTH,
    EventKind,
    EventMode,
)
from commonground.events.recurrence import MAX_COUNT, MAX_INTERVAL

TIME_ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time, kept naive: it is read in the event's own time zone, not
    the server's."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"})

    def to_python(self, value: Any) -> datetime | None:
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > 20:
            raise forms.ValidationError("Enter a date and time like 2030-05-17 18:30.")
        for fmt in _FORMATS:
            try:
                # Naive on purpose: a wall-clock time in the event's zone.
                parsed = datetime.strptime(text, fmt)  # noqa: DTZ007
            except ValueError:
                continue
            if not 2000 <= parsed.year <= 2100:
                raise forms.ValidationError("Choose a date between the years 2000 and 2100.")
            return parsed
        raise forms.ValidationError("Enter a date and time like 2030-05-17 18:30.")


class EventForm(StyledFormMixin, forms.Form):
    title = forms.CharField(max_length=TITLE_MAX_LENGTH, min_length=3)
    kind = forms.ChoiceField(choices=EventKind.choices, label="Type")
    starts = LocalDateTimeField(label="Starts")
    ends = LocalDateTimeField(label="Ends")
    time_zone = forms.ChoiceField(choices=[("UTC", "UTC"), *((z, z) for z in TIME_ZONES)])
    mode = forms.ChoiceField(
        choices=EventMode.choices, initial=EventMode.IN_PERSON, widget=forms.RadioSelect
    )
    venue = forms.CharField(max_length=120, required=False)
    address = forms.CharField(max_length=300, required=False)
    city = forms.CharField(max_length=80, required=False)
    country = forms.CharField(max_length=80, required=False)
    online_url = forms.CharField(
        max_length=500,
        required=False,
        label="Online link",
        help_text="Shown only to people going.",
    )
    topics = forms.CharField(
        max_length=400,
        required=False,
        help_text="Interests, comma-separated, e.g. “Kittens, Bacon”.",
    )
    description = forms.CharField(
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown works.",
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=MAX_CAPACITY,
        required=False,
        help_text="Seats. Leave empty for no limit; when full, people join a waitlist.",
    )
    requires_approval = forms.BooleanField(required=False, label="Organizers approve each attendee")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", "The event must end after it starts.")
        return data


class NewEventForm(EventForm):
    repeat = forms.ChoiceField(
        choices=[("", "Does not repeat"), ("weekly", "Weekly"), ("monthly", "Monthly")],
        required=False,
        help_text="Monthly repeats keep the weekday: the 2nd Tuesday stays the 2nd Tuesday.",
    )
    interval = forms.IntegerField(
        min_value=1,
        max_value=MAX_INTERVAL,
        initial=1,
        required=False,
        label="Every N",
        help_text="weeks or months",
    )
    count = forms.IntegerField(
        min_value=2, max_value=MAX_COUNT, required=False, label="How many times"
    )
    until = forms.DateField(
        required=False,
        label="Until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_until(self) -> date | None:
        value: date | None = self.cleaned_data.get("until")
        if value is not None and not 2000 <= value.year <= 2100:
            raise forms.ValidationError("Choose a date between the years 2000 and 2100.")
        return value


SCOPE_CHOICES = [("one", "Only this event"), ("series", "This and every later event in the series")]


class EditEventForm(EventForm):
    scope = forms.ChoiceField(
        choices=SCOPE_CHOICES, initial="one", widget=forms.RadioSelect, label="Apply to"
    )


class SpeedPlanForm(StyledFormMixin, forms.Form):
    rounds = forms.IntegerField(min_value=1, max_value=20, initial=4, label="Rounds")
