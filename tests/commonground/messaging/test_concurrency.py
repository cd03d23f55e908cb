"""Concurrent starts make exactly one one-to-one conversation, and never a server error.

Each thread uses its own database connection (closed at its end), as concurrent requests do.
Run on SQLite by default and on PostgreSQL with DATABASE_URL.
"""

from __future__ import annotations

import pytest

from commonground.messaging import services
from commonground.messaging.models import Conversation, Message, Participant
from tests.commonground.concurrency import race
from tests.commonground.messaging.helpers import connected_pair

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 40


def test_both_members_starting_at_once_share_one_conversation(file_database):
    # given
    a, b = connected_pair()

    def from_a() -> object:
        return services.conversation_start(
            sender=a.user, recipient_public_ids=[b.user.public_id], body="from a"
        ).conversation_id

    def from_b() -> object:
        return services.conversation_start(
            sender=b.user, recipient_public_ids=[a.user.public_id], body="from b"
        ).conversation_id

    # when
    answers, handled, unexpected = race([from_a, from_b] * (THREADS // 2), file_database)

    # then
    assert unexpected == []
    assert handled == []
    [only] = Conversation.objects.all()
    assert answers == [only.pk] * THREADS
    assert Participant.objects.filter(conversation=only).count() == 2
    assert Message.objects.filter(conversation=only).count() == THREADS


def test_concurrent_sends_past_the_rate_limit_store_exactly_the_limit(file_database, settings):
    # given
    settings.MESSAGING_MESSAGES_PER_MINUTE = 10
    a, b = connected_pair()
    public_id = services.conversation_start(
        sender=a.user, recipient_public_ids=[b.user.public_id], body="first"
    ).conversation.public_id

    def send() -> object:
        return services.message_send(sender=a.user, conversation_public_id=public_id, body="hi")

    # when
    answers, handled, unexpected = race([send] * 20, file_database)

    # then
    assert unexpected == []
    assert len(answers) == 9
    assert handled == ["rate_limited"] * 11
    assert Message.objects.filter(sender=a.user).count() == 10
    assert Participant.objects.get(user=b.user).unread_count == 10
