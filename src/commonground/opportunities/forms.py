from __future__ import annotations

from typing import Any

from django import forms

from commonground.core.forms import StyledFormMixin
from commonground.opportunities.models import (
    COMPENSATION_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    ORGANIZATION_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    SIGNAL_NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Audience,
    OpportunityKind,
    SignalAudience,
)


def public_ids_from_text(text: str) -> list[str]:
    """Profile links or bare member ids, separated by commas, spaces or new lines."""
    parts = [p.strip().rstrip("/") for p in text.replace("\n", ",").replace(" ", ",").split(",")]
    return [p.rsplit("/", 1)[-1] for p in parts if p]


class OpportunityForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=OpportunityKind.choices, initial=OpportunityKind.JOB)
    title = forms.CharField(max_length=TITLE_MAX_LENGTH)
    organization = forms.CharField(max_length=ORGANIZATION_MAX_LENGTH, required=False)
    description = forms.CharField(
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What it is, who it is for, how to apply. Markdown works.",
    )
    skills = forms.CharField(
        max_length=800,
        required=False,
        help_text="Comma-separated, e.g. “Python, Data visualization”.",
    )
    interests = forms.CharField(
        max_length=800, required=False, help_text="Topics it is about, comma-separated."
    )
    remote = forms.BooleanField(required=False, label="Remote")
    city = forms.CharField(max_length=PLACE_MAX_LENGTH, required=False)
    region = forms.CharField(max_length=PLACE_MAX_LENGTH, required=False)
    country = forms.CharField(max_length=PLACE_MAX_LENGTH, required=False)
    compensation = forms.CharField(max_length=COMPENSATION_MAX_LENGTH, required=False)
    expires_on = forms.DateField(
        label="Closes on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="It closes by itself at the end of that day; at most a year ahead.",
    )
    audience = forms.ChoiceField(
        choices=Audience.choices,
        initial=Audience.CONNECTIONS,
        widget=forms.RadioSelect,
        label="Who can see it",
    )
    audience_groups = forms.MultipleChoiceField(
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Groups (for “Members of specific groups”)",
    )
    audience_members = forms.CharField(
        max_length=2000,
        required=False,
        label="Members (for “Named members only”)",
        help_text="Their profile links or member ids, separated by commas.",
    )

    def __init__(self, *args: Any, group_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience_groups"].choices = group_choices  # type: ignore[attr-defined]


class SearchForm(forms.Form):
    q = forms.CharField(max_length=100, required=False, label="Words")
    skill = forms.CharField(max_length=80, required=False, label="Skill")
    kind = forms.ChoiceField(
        choices=[("", "Any kind"), *OpportunityKind.choices], required=False, label="Kind"
    )
    remote = forms.BooleanField(required=False, label="Remote only")
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)


class ReferForm(StyledFormMixin, forms.Form):
    candidate = forms.ChoiceField(choices=[], label="Which connection")
    note = forms.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why they fit (for the poster)",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = choices  # type: ignore[attr-defined]


class AskForm(StyledFormMixin, forms.Form):
    asked = forms.ChoiceField(choices=[], label="Who to ask")
    message = forms.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asked"].choices = choices  # type: ignore[attr-defined]


class InterestForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A note for the poster",
    )


class SignalForm(StyledFormMixin, forms.Form):
    kinds = forms.MultipleChoiceField(
        choices=OpportunityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="I am open to",
    )
    note = forms.CharField(
        max_length=SIGNAL_NOTE_MAX_LENGTH, required=False, label="In a few words"
    )
    audience = forms.ChoiceField(
        choices=SignalAudience.choices,
        initial=SignalAudience.ONLY_ME,
        widget=forms.RadioSelect,
        label="Who may know",
    )
    audience_members = forms.CharField(
        max_length=2000,
        required=False,
        label="Members (for “Named members only”)",
        help_text="Their profile links or member ids, separated by commas.",
    )
