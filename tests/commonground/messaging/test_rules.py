"""The one rule of who may message whom: relations × the recipient's setting × blocks."""

from __future__ import annotations

import pytest

from commonground.groups import services as group_services
from commonground.messaging import services
from commonground.messaging.selectors import can_message, message_permission
from commonground.network.services import member_block
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.messaging.helpers import connected_pair, shared_group

pytestmark = pytest.mark.django_db


def _reason(sender, recipient) -> tuple[bool, str]:
    permission = message_permission(sender_id=sender.user_id, recipient_id=recipient.user_id)
    return permission.allowed, permission.reason


def _set(profile, allow_from: str) -> None:
    services.messaging_settings_update(user=profile.user, allow_from=allow_from)


@pytest.mark.parametrize(
    ("allow_from", "connection", "group", "stranger"),
    [
        (
            "connections_and_groups",
            (True, "connection"),
            (True, "group"),
            (False, "no_relation"),
        ),
        (
            "connections",
            (True, "connection"),
            (False, "connections_only"),
            (False, "connections_only"),
        ),
        ("nobody_new", (False, "nobody_new"), (False, "nobody_new"), (False, "nobody_new")),
    ],
)
def test_the_recipients_setting_decides_who_may_start(allow_from, connection, group, stranger):
    # given: a recipient with a connection, a group co-member and a stranger
    recipient = ProfileFactory()
    friend, co_member, outsider = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(recipient, friend)
    shared_group(recipient, co_member)
    _set(recipient, allow_from)

    # when / then
    assert _reason(friend, recipient) == connection
    assert _reason(co_member, recipient) == group
    assert _reason(outsider, recipient) == stranger


def test_the_default_setting_is_connections_and_groups():
    # given
    recipient, co_member = ProfileFactory(), ProfileFactory()
    shared_group(recipient, co_member)

    # then
    assert can_message(sender_id=co_member.user_id, recipient_id=recipient.user_id) is True


def test_a_pending_group_membership_is_not_a_shared_group():
    # given: a private group the sender only asked to join
    owner, asker = ProfileFactory(), ProfileFactory()
    group = shared_group(owner)
    group.visibility = "private"
    group.save()
    group_services.group_join(user=asker.user, slug=group.slug)

    # then
    assert _reason(asker, owner) == (False, "no_relation")


def test_a_conversation_already_started_goes_on_whatever_the_setting():
    # given: connections who talked, then the recipient allows nobody new
    a, b = connected_pair()
    services.conversation_start(sender=a.user, recipient_public_ids=[b.user.public_id], body="Hi")
    _set(b, "nobody_new")

    # then
    assert _reason(a, b) == (True, "conversation")


def test_members_an_introduction_opened_a_conversation_for_may_talk():
    # given: three members an accepted introduction put in one conversation
    introducer, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()
    services.conversation_open(
        members=[introducer.user, x.user, y.user], origin="introduction", subject="Meet!"
    )
    _set(y, "nobody_new")

    # then
    assert _reason(x, y) == (True, "introduction")


def test_a_block_either_way_is_absolute():
    # given: connections who talked, and share a group
    a, b = connected_pair()
    shared_group(a, b)
    services.conversation_start(sender=a.user, recipient_public_ids=[b.user.public_id], body="Hi")

    # when
    member_block(user=b.user, member_public_id=a.user.public_id)

    # then
    assert _reason(a, b) == (False, "blocked")
    assert _reason(b, a) == (False, "blocked")


def test_nobody_may_message_themself():
    me = ProfileFactory()
    assert _reason(me, me) == (False, "self")
