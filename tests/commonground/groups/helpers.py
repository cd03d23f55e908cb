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


def add_member(group: Group, profile: Profile) -> Membership:
    """Make a member of any group (invited by its owner, then joined)."""
    owner = group.memberships.get(role="owner").user
    services.group_invite(user=owner, slug=group.slug, member_public_id=profile.user.public_id)
    return services.group_join(user=profile.user, slug=group.slug)
