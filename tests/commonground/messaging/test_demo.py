"""Demo conversations: deterministic, idempotent, one unread for Alex."""

from __future__ import annotations

import pytest

from commonground.messaging.demo import seed_demo
from commonground.messaging.models import Conversation, Message
from commonground.messaging.selectors import conversation_list, message_unread_count
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import ProfileFactory, UserFactory, connect

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_alex_three_conversations_one_unread_and_is_idempotent():
    # given: the demo logins, connected, and a connection of Alex's
    alex = ProfileFactory(user=UserFactory(email="alex@demo.example"), display_name="Alex")
    sam = ProfileFactory(user=UserFactory(email="sam@demo.example"), display_name="Sam")
    other = ProfileFactory(display_name="Olu")
    connect(alex, sam)
    connect(alex, other)

    # when
    seed_demo(seed=7)
    seed_demo(seed=7)

    # then
    assert Conversation.objects.count() == 3
    assert Message.objects.count() == 12
    assert message_unread_count(user=alex.user) == 2
    assert message_unread_count(user=sam.user) == 0
    titles = [v.title for v in conversation_list(viewer=Viewer.for_user(alex.user)).items]
    assert titles == ["Sam", "Star Trek watch-along", "Olu"]


def test_seed_demo_does_nothing_without_the_demo_logins():
    seed_demo(seed=1)
    assert Conversation.objects.count() == 0
