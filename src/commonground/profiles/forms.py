from __future__ import annotations

import zoneinfo

from django import forms

from commonground.core.forms import StyledFormMixin
from commonground.core.visibility import Visibility
from commonground.profiles.models import OpenTo, Reach

_TIME_ZONES = sorted(zoneinfo.available_timezones())


class AboutForm(StyledFormMixin, forms.Form):
    display_name = forms.CharField(
        label="Name to show", max_length=80, help_text="How other members will see you."
    )
    headline = forms.CharField(
        max_length=140,
        required=False,
        help_text="One line, e.g. “Policy analyst who never misses a Caps game”.",
    )
    profession = forms.CharField(max_length=80, required=False)
    industry = forms.CharField(max_length=80, required=False)
    organization = forms.CharField(max_length=120, required=False)
    city = forms.CharField(max_length=80, required=False)
    region = forms.CharField(
        max_length=80, required=False, label="Region", help_text="State, province or county."
    )
    country = forms.CharField(max_length=80, required=False)
    reach = forms.ChoiceField(
        choices=Reach.choices,
        initial=Reach.REGIONAL,
        label="Who would you like to meet?",
        widget=forms.RadioSelect,
    )


class ProfileForm(AboutForm):
    bio = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 5}))
    time_zone = forms.ChoiceField(choices=[(tz, tz) for tz in _TIME_ZONES], initial="UTC")
    open_to = forms.MultipleChoiceField(
        choices=OpenTo.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class OpenToForm(StyledFormMixin, forms.Form):
    open_to = forms.MultipleChoiceField(
        choices=OpenTo.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="I'm open to…",
    )


class PrivacyForm(StyledFormMixin, forms.Form):
    headline = forms.ChoiceField(choices=Visibility.choices, label="Headline")
    bio = forms.ChoiceField(choices=Visibility.choices, label="About me")
    work = forms.ChoiceField(choices=Visibility.choices, label="Profession, industry, organization")
    location = forms.ChoiceField(choices=Visibility.choices, label="Location")
    open_to = forms.ChoiceField(choices=Visibility.choices, label="What I'm open to")
    interests = forms.ChoiceField(
        choices=Visibility.choices,
        label="My interests",
        help_text="Only people who can see your interests can find you by them.",
    )


class DirectoryForm(forms.Form):
    i = forms.CharField(required=False)
    near = forms.ChoiceField(
        required=False,
        label="Where",
        choices=[
            ("", "Anywhere"),
            ("city", "In my city"),
            ("region", "In my region"),
            ("country", "In my country"),
        ],
    )
    profession = forms.CharField(required=False, max_length=80)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)
