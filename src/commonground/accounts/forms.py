from django import forms

from commonground.core.forms import StyledFormMixin


class TokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        max_length=80, label="Token name", help_text="What will use it, e.g. “my calendar script”."
    )
