"""Profile writes. Each validates everything before it writes anything."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.db import transaction

from commonground.accounts.models import User
from commonground.core.errors import ValidationFailed
from commonground.core.validation import clean_text
from commonground.core.visibility import Visibility
from commonground.interests.models import MemberInterest
from commonground.profiles.errors import OnboardingIncomplete
from commonground.profiles.models import VISIBILITY_GROUPS, OpenTo, Profile, Reach

MIN_ONBOARDING_INTERESTS = 3

# field → (max length, required)
_TEXT_FIELDS: dict[str, tuple[int, bool]] = {
    "display_name": (80, True),
    "headline": (140, False),
    "bio": (2000, False),
    "profession": (80, False),
    "industry": (80, False),
    "organization": (120, False),
    "city": (80, False),
    "region": (80, False),
    "country": (80, False),
}


def profile_ensure(*, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def _clean_profile_fields(values: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name in _TEXT_FIELDS:
            max_length, required = _TEXT_FIELDS[name]
            cleaned[name] = clean_text(value, field=name, max_length=max_length, required=required)
        elif name == "reach":
            if value not in Reach.values:
                raise ValidationFailed(f"“{value}” is not a reach we know.", field="reach")
            cleaned[name] = value
        elif name == "time_zone":
            if value not in zoneinfo.available_timezones():
                raise ValidationFailed(f"“{value}” is not a time zone.", field="time_zone")
            cleaned[name] = value
        elif name == "open_to":
            cleaned[name] = _clean_open_to(value)
        else:
            raise ValidationFailed(f"“{name}” cannot be changed here.", field=name)
    return cleaned


def _clean_open_to(value: Any) -> list[str]:
    if not isinstance(value, list | tuple | set):
        raise ValidationFailed("Choose from the listed options.", field="open_to")
    unknown = [item for item in value if item not in OpenTo.values]
    if unknown:
        raise ValidationFailed(f"“{unknown[0]}” is not an option.", field="open_to")
    return [item for item in OpenTo.values if item in set(value)]


def profile_update(*, user: User, **values: Any) -> Profile:
    """Change profile fields; all are validated first, so a failure changes nothing."""
    cleaned = _clean_profile_fields(values)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(user=user)
        for name, value in cleaned.items():
            setattr(profile, name, value)
        profile.city_key = profile.city.casefold()
        profile.region_key = profile.region.casefold()
        profile.country_key = profile.country.casefold()
        profile.profession_key = profile.profession.casefold()
        profile.save()
    return profile


def profile_set_visibility(*, user: User, **levels: str) -> Profile:
    for group, level in levels.items():
        if group not in VISIBILITY_GROUPS:
            raise ValidationFailed(f"“{group}” is not a profile section.", field=group)
        if level not in Visibility.values:
            raise ValidationFailed(f"“{level}” is not a visibility level.", field=group)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(user=user)
        for group, level in levels.items():
            setattr(profile, f"{group}_visibility", level)
        profile.save()
    return profile


def onboarding_complete_step(*, user: User, step: int) -> Profile:
    """Mark an onboarding step done, checking what that step needs."""
    profile = Profile.objects.get(user=user)
    if step > profile.onboarding_step:
        raise OnboardingIncomplete("Finish the earlier steps first.", field="step")
    if step == Profile.OnboardingStep.ABOUT and not profile.display_name:
        raise OnboardingIncomplete("Tell us the name to show.", field="display_name")
    if step == Profile.OnboardingStep.INTERESTS:
        count = MemberInterest.objects.filter(user=user).count()
        if count < MIN_ONBOARDING_INTERESTS:
            raise OnboardingIncomplete(
                f"Add at least {MIN_ONBOARDING_INTERESTS} interests ({count} so far).",
                field="interest",
            )
    next_step = max(profile.onboarding_step, step + 1)
    Profile.objects.filter(pk=profile.pk).update(onboarding_step=next_step)
    profile.onboarding_step = next_step
    return profile


def profile_warmup_show(*, user: User, show: bool) -> Profile:
    """Show or hide the warm-up path's next step on the member's home page."""
    profile = profile_ensure(user=user)
    Profile.objects.filter(pk=profile.pk).update(show_warmup=show)
    profile.show_warmup = show
    return profile
