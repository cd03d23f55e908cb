from __future__ import annotations

from django import forms

from commonground.core.forms import StyledFormMixin
from commonground.messaging.models import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH, AllowFrom


class MessageForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        label="Message",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Write a message…"}),
    )


class NewConversationForm(StyledFormMixin, forms.Form):
    to = forms.CharField(
        label="To",
        max_length=2_000,
        help_text="Profile links or member ids, separated by commas (up to 8 people).",
    )
    subject = forms.CharField(
        max_length=SUBJECT_MAX_LENGTH,
        required=False,
        help_text="For a conversation with several people.",
    )
    body = MessageForm.base_fields["body"]

    def clean_to(self) -> list[str]:
        parts = [p.strip().rstrip("/") for p in str(self.cleaned_data["to"]).split(",")]
        return [p.rsplit("/", 1)[-1] for p in parts if p]


class AddPeopleForm(StyledFormMixin, forms.Form):
    to = forms.CharField(
        label="Add people",
        max_length=2_000,
        help_text="Profile links or member ids, separated by commas.",
    )
    clean_to = NewConversationForm.clean_to


class SettingsForm(StyledFormMixin, forms.Form):
    allow_from = forms.ChoiceField(
        label="Who may start a conversation with you",
        choices=AllowFrom.choices,
        widget=forms.RadioSelect,
    )
