"""Small builders for ask tests."""

from __future__ import annotations

from typing import Any

from commonground.asks import services
from commonground.asks.models import Ask
from commonground.groups import services as group_services
from commonground.groups.models import Group
from commonground.profiles.models import Profile
from tests.commonground.factories import InterestFactory


def make_ask(author: Profile, *interests: Any, **fields: Any) -> Ask:
    fields.setdefault("title", "Advice on moving into data science")
    return services.ask_create(user=author.user, interests=list(interests), **fields)


def make_group(owner: Profile, *members: Profile, visibility: str = "public") -> Group:
    group = group_services.group_create(
        user=owner.user, name="Data people", interests=[InterestFactory()], visibility=visibility
    )
    for member in members:
        group_services.group_invite(
            user=owner.user, slug=group.slug, member_public_id=member.user.public_id
        )
        group_services.group_invite_accept(user=member.user, slug=group.slug)
    return group
