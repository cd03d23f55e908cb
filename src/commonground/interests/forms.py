from __future__ import annotations

from django import forms

from commonground.core.forms import StyledFormMixin
from commonground.interests.models import Intensity, MemberInterestKind


class AddInterestForm(StyledFormMixin, forms.Form):
    interest = forms.CharField(
        max_length=80,
        label="Add an interest",
        widget=forms.TextInput(
            attrs={"placeholder": "Try “Star Trek”, “Caps”, “sourdough”…", "autocomplete": "off"}
        ),
    )
    kind = forms.ChoiceField(
        choices=MemberInterestKind.choices, initial=MemberInterestKind.PASSION, label="It's a…"
    )
    intensity = forms.TypedChoiceField(
        choices=Intensity.choices, coerce=int, initial=Intensity.ENTHUSIAST, label="I'm…"
    )
    new = forms.BooleanField(required=False, label="Add it as a new interest if it isn't listed")
