from __future__ import annotations

from typing import Any

from django import forms

from commonground.core.forms import StyledFormMixin
from commonground.network.followup_models import (
    ARTICLE_NOTE_MAX_LENGTH,
    ARTICLE_URL_MAX_LENGTH,
    CADENCE_CHOICES,
    CONTACT_NOTE_MAX_LENGTH,
)
from commonground.network.models import NOTE_MAX_LENGTH, REASON_MAX_LENGTH


class ConnectForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="A personal note",
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Say why you'd like to connect. We suggested a start from what you share.",
    )


class NetworkSearchForm(forms.Form):
    q = forms.CharField(label="Search your connections by name", max_length=80, required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)


class IntroduceForm(StyledFormMixin, forms.Form):
    members = forms.MultipleChoiceField(
        label="Who would you like to introduce?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Two people, or a small group of three or four.",
    )
    reason = forms.CharField(
        label="Why should they meet?",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Each person reads this before saying yes. Names are shared only when "
        "everyone has.",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        assert isinstance(members, forms.MultipleChoiceField)
        members.choices = choices


class NoteForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        label="A private note",
        max_length=CONTACT_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only you can read your notes.",
    )


class KeepInTouchForm(forms.Form):
    cadence_days = forms.TypedChoiceField(
        label="Keep in touch",
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "No reminders"), *((d, f"Every {d} days") for d in CADENCE_CHOICES)],
    )


class ArticleForm(StyledFormMixin, forms.Form):
    url = forms.CharField(
        label="Link to the article",
        max_length=ARTICLE_URL_MAX_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    note = forms.CharField(
        label="A note",
        max_length=ARTICLE_NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why you thought of them.",
    )
