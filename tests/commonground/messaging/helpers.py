"""Small builders for messaging tests."""

from __future__ import annotations

from django.test import Client

from commonground.groups import services as group_services
from commonground.groups.models import Group
from commonground.messaging import services
from commonground.messaging.models import Conversation, Message
from commonground.profiles.models import Profile
from tests.commonground.factories import PASSWORD, InterestFactory, ProfileFactory, connect


def login(profile: Profile) -> Client:
    client = Client()
    assert client.login(email=profile.user.email, password=PASSWORD)
    return client


def connected_pair() -> tuple[Profile, Profile]:
    a, b = ProfileFactory(), ProfileFactory()
    connect(a, b)
    return a, b


def shared_group(*members: Profile) -> Group:
    """A public group the first member owns and the others joined."""
    owner, *others = members
    group = group_services.group_create(
        user=owner.user, name="Kitten Bacon Club", interests=[InterestFactory()]
    )
    for member in others:
        group_services.group_join(user=member.user, slug=group.slug)
    return group


def start(
    sender: Profile, *recipients: Profile, body: str = "Hello!", subject: str = ""
) -> Message:
    return services.conversation_start(
        sender=sender.user,
        recipient_public_ids=[r.user.public_id for r in recipients],
        body=body,
        subject=subject,
    )


def conversation_of(message: Message) -> Conversation:
    return Conversation.objects.get(pk=message.conversation_id)
