from __future__ import annotations

from typing import Any

from django import forms

from commonground.asks.models import (
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    AskAudience,
    AskKind,
    AskTopic,
)
from commonground.core.forms import StyledFormMixin
from commonground.groups.models import Group


class AskForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        choices=AskKind.choices, initial=AskKind.ASK, widget=forms.RadioSelect, label="I want to"
    )
    topic = forms.ChoiceField(choices=AskTopic.choices, initial=AskTopic.ADVICE, label="About")
    title = forms.CharField(
        max_length=TITLE_MAX_LENGTH,
        label="In one line",
        help_text="e.g. “Advice on moving from research into data science”.",
    )
    body = forms.CharField(
        max_length=BODY_MAX_LENGTH,
        required=False,
        label="Details",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you have tried, what would help. Markdown works.",
    )
    interests = forms.CharField(
        max_length=400,
        required=False,
        help_text="Up to 5, comma-separated, e.g. “Data science, Sourdough baking”. "
        "We ask the members who know them.",
    )
    audience = forms.ChoiceField(
        choices=AskAudience.choices,
        initial=AskAudience.COMMUNITY,
        widget=forms.RadioSelect,
        label="Who can see it",
    )
    group = forms.ChoiceField(
        choices=[],
        required=False,
        label="Which group",
        help_text="Only with “One of my groups”: only its members will see it.",
    )

    def __init__(self, *args: Any, groups: list[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a group…")] + [(g.slug, g.name) for g in groups]
        if not groups:
            field.help_text = "You are not in any group yet, so ask your network or everyone."


class AnswerForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        max_length=BODY_MAX_LENGTH,
        required=False,
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown works.",
    )

    def __init__(self, *args: Any, offer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["body"]
        if offer:
            # An offer takes a plain "I'd like this"; a note is welcome, not needed.
            field.label = "A note to them"
            field.help_text = "What you would like help with. Markdown works."
        else:
            field.required = True
            field.error_messages["required"] = "Write your answer first."


class AskSearchForm(forms.Form):
    tab = forms.ChoiceField(
        choices=[("asks", "Asks"), ("offers", "Offers"), ("mine", "Mine")], required=False
    )
    q = forms.CharField(max_length=100, required=False, label="Words")
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)
