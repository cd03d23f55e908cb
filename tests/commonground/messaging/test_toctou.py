"""Permission is read under the sender's lock, inside the write's transaction (no TOCTOU)."""

from __future__ import annotations

import pytest

from commonground.core.errors import NotFound
from commonground.messaging import services
from commonground.messaging.models import Message, Participant
from commonground.messaging.services import messages as message_services
from commonground.network.services import member_block
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
