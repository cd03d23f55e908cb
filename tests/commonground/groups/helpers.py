"""Small builders for group tests."""

from __future__ import annotations

from typing import Any

from commonground.groups import services
from commonground.groups.models import Group, Membership
from commonground.profiles.models import Profile
from tests.commonground.factories import InterestFactory


def make_group(owner: Profile, *interests: Any, **fields: Any) -> Group:
    chosen = list(interests) or [InterestFactory()]
    fields.setdefault("name", "Kitten Bacon Club")
    return services.group_create(user=owner.user, interests=chosen, **fields)


def membership(group: Group, profile: Profile) -> Membership | None:
    return Membership.objects.filter(group=group, user=profile.user).first()
