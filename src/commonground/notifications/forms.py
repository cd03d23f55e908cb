from __future__ import annotations

from typing import Any

from django import forms

from commonground.notifications.models import EmailFrequency
from commonground.notifications.preferences import Choices


def in_app_field(kind: str) -> str:
    return f"{kind}:in_app"


def email_field(kind: str) -> str:
    return f"{kind}:email"


class PreferencesForm(forms.Form):
    """One 'show here' checkbox and one email choice per kind, plus 'no email at all'."""

    email_paused = forms.BooleanField(required=False, label="Pause all email")

    def __init__(self, *args: Any, choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = list(choices.by_kind)
        self.fields["email_paused"].initial = choices.email_paused
        for kind, choice in choices.by_kind.items():
            self.fields[in_app_field(kind)] = forms.BooleanField(
                required=False, initial=choice.in_app, label=f"Show “{choice.label}” here"
            )
            self.fields[email_field(kind)] = forms.ChoiceField(
                choices=EmailFrequency.choices,
                initial=choice.email.value,
                label=f"Email for “{choice.label}”",
            )
