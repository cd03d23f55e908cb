"""Permission is read under the sender's lock, inside the write's transaction (no TOCTOU)."""

from __future__ import annotations

import pytest

from commonground.core.errors import NotFound
from commonground.messaging import services
from commonground.messaging.models import Message, Participant
from commonground.messaging.services import messages as message_services
from commonground.messaging.services import participants as participant_services
from commonground.network.services import member_block
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.messaging.helpers import connected_pair, conversation_of, start

pytestmark = pytest.mark.django_db


def test_a_block_committed_while_a_send_waits_for_the_lock_stops_the_send(monkeypatch):
    # given: a one-to-one conversation, and a block that lands while the send waits for
    # its lock (the block takes the same lock, so it commits first)
    a, b = connected_pair()
    conversation = conversation_of(start(a, b))
    real_lock = message_services.lock_sender

    def block_then_lock(user_id: int) -> None:
        member_block(user=b.user, member_public_id=a.user.public_id)
        real_lock(user_id)

    monkeypatch.setattr(message_services, "lock_sender", block_then_lock)
    # when
    with pytest.raises(NotFound):
        services.message_send(
            sender=a.user, conversation_public_id=conversation.public_id, body="Still there?"
        )
    # then: nothing stored, nothing counted for the blocker
    assert Message.objects.filter(conversation=conversation).count() == 1
    assert Participant.objects.get(conversation=conversation, user=b.user).unread_count == 1


def test_a_creator_who_left_while_adding_people_adds_nobody(monkeypatch):
    # given: a small group the creator leaves (another tab) while an addition is under way
    a, b = connected_pair()
    c, d = ProfileFactory(), ProfileFactory()
    connect(a, c)
    connect(a, d)
    conversation = conversation_of(start(a, b, c))
    real_recipients_for = participant_services.recipients_for

    def leave_then_resolve(**kwargs):
        services.conversation_leave(user=a.user, conversation_public_id=conversation.public_id)
        return real_recipients_for(**kwargs)

    monkeypatch.setattr(participant_services, "recipients_for", leave_then_resolve)
    # when
    with pytest.raises(NotFound):
        services.conversation_participants_add(
            user=a.user,
            conversation_public_id=conversation.public_id,
            member_public_ids=[d.user.public_id],
        )
    # then
    assert not Participant.objects.filter(conversation=conversation, user=d.user).exists()
