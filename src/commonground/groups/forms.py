from __future__ import annotations

from django import forms

from commonground.core.forms import StyledFormMixin
from commonground.groups.models import (
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    LINK_MAX_LENGTH,
    NAME_MAX_LENGTH,
    POST_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    GroupScope,
    GroupVisibility,
)


class GroupForm(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=NAME_MAX_LENGTH, min_length=3)
    description = forms.CharField(
        max_length=DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the group is about and who it is for. Markdown works.",
    )
    interests = forms.CharField(
        max_length=400,
        help_text="Comma-separated, e.g. “Kittens, Bacon”. Members share ALL of them.",
    )
    scope = forms.ChoiceField(choices=GroupScope.choices, initial=GroupScope.VIRTUAL)
    city = forms.CharField(max_length=80, required=False)
    region = forms.CharField(max_length=80, required=False)
    country = forms.CharField(max_length=80, required=False)
    visibility = forms.ChoiceField(
        choices=GroupVisibility.choices,
        initial=GroupVisibility.PUBLIC,
        widget=forms.RadioSelect,
    )


class GroupSearchForm(forms.Form):
    scope = forms.ChoiceField(choices=[("", "Any scope"), *GroupScope.choices], required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)


class InviteForm(StyledFormMixin, forms.Form):
    member = forms.CharField(
        max_length=200,
        label="Invite a member",
        help_text="Their profile link or member id, e.g. /people/AbC123xyz/",
    )

    def clean_member(self) -> str:
        value = str(self.cleaned_data["member"]).strip().rstrip("/")
        return value.rsplit("/", 1)[-1]


class PostForm(StyledFormMixin, forms.Form):
    title = forms.CharField(max_length=TITLE_MAX_LENGTH, required=False)
    body = forms.CharField(
        max_length=POST_MAX_LENGTH,
        label="Your post",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown works. Add #hashtags to file it under a topic.",
    )
    link_url = forms.CharField(
        max_length=LINK_MAX_LENGTH,
        required=False,
        label="Link to an article",
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
    )


class CommentForm(StyledFormMixin, forms.Form):
    body = forms.CharField(
        max_length=COMMENT_MAX_LENGTH,
        label="Add a comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown works.",
    )
