from __future__ import annotations

from django import forms

from commonground.core.forms import StyledFormMixin
from commonground.network.models import NOTE_MAX_LENGTH


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
