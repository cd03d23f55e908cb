"""Messaging services: starting, sending, reading, leaving, limits and notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commonground.core.errors import ApplicationError
from commonground.messaging import services
from commonground.messaging.models import (
    Conversation,
    Message,
    MessagingSettings,
    Participant,
)
from commonground.messaging.selectors import message_unread_count
from commonground.network.services import member_block, member_mute
from commonground.notifications.models import Notification
from commonground.profiles.errors import MemberNotFound
from tests.commonground.factories import NewMemberFactory, ProfileFactory, connect
from tests.commonground.messaging.helpers import (
    connected_pair,
    conversation_of,
    shared_group,
    start,
)

pytestmark = pytest.mark.django_db


def _seat(conversation: Conversation, profile) -> Participant:
    return Participant.objects.get(conversation=conversation, user=profile.user)


def test_writing_to_a_connection_starts_one_direct_conversation_and_reuses_it():
    # given
    a, b = connected_pair()

    # when
    first = start(a, b, body="Hi Bea!")
    second = start(b, a, body="Hi Al!")

    # then
    [conversation] = Conversation.objects.all()
    assert conversation.kind == "direct"
    assert conversation.origin == "direct"
    assert conversation.created_by_id == a.user_id
    assert conversation.to_non_connection is False
    assert (conversation.user_low_id, conversation.user_high_id) == tuple(
        sorted((a.user_id, b.user_id))
    )
    assert first.conversation_id == second.conversation_id == conversation.pk
    assert list(conversation.messages.order_by("created_at").values_list("body", flat=True)) == [
        "Hi Bea!",
        "Hi Al!",
    ]
    assert conversation.last_message_at == second.created_at


def test_a_message_counts_as_unread_for_the_others_and_read_for_the_sender():
    # given
    a, b = connected_pair()
    conversation = conversation_of(start(a, b))

    # when
    services.message_send(
        sender=a.user, conversation_public_id=conversation.public_id, body="Still there?"
    )

    # then
    assert _seat(conversation, b).unread_count == 2
    assert _seat(conversation, a).unread_count == 0
    assert _seat(conversation, a).last_read_at is not None
    assert message_unread_count(user=b.user) == 2
    assert message_unread_count(user=a.user) == 0


def test_marking_read_clears_the_count():
    # given
    a, b = connected_pair()
    conversation = conversation_of(start(a, b))

    # when
    services.conversation_mark_read(user=b.user, conversation_public_id=conversation.public_id)

    # then
    seat = _seat(conversation, b)
    assert seat.unread_count == 0
    assert seat.last_read_at is not None
    assert message_unread_count(user=b.user) == 0


def test_a_small_group_conversation_takes_the_creator_and_up_to_8_they_may_message():
    # given
    me = ProfileFactory()
    friends = ProfileFactory.create_batch(9)
    for friend in friends:
        connect(me, friend)

    # when
    message = start(me, *friends[:8], body="Picnic Saturday?", subject="Picnic")

    # then
    conversation = conversation_of(message)
    assert conversation.kind == "group"
    assert conversation.subject == "Picnic"
    assert conversation.participants.count() == 9
    with pytest.raises(ApplicationError) as error:
        start(me, *friends, body="Too many")
    assert error.value.code == "invalid"
    assert error.value.message == "A conversation takes at most 8 people besides you."
    assert Conversation.objects.count() == 1


def test_a_group_conversation_refuses_anyone_the_creator_may_not_message_and_writes_nothing():
    # given
    me, friend, stranger = ProfileFactory(), ProfileFactory(), ProfileFactory()
    stranger.display_name = "Sam Stranger"
    stranger.save()
    connect(me, friend)

    # when
    with pytest.raises(ApplicationError) as error:
        start(me, friend, stranger)

    # then
    assert error.value.code == "messaging_not_allowed"
    assert error.value.status == 403
    assert error.value.field == "to"
    assert "Sam Stranger is none of these yet" in error.value.message
    assert Conversation.objects.count() == 0
    assert Message.objects.count() == 0


def test_a_blocked_or_missing_or_unfinished_member_is_not_found():
    # given
    me, blocker = ProfileFactory(), ProfileFactory()
    connect(me, blocker)
    member_block(user=blocker.user, member_public_id=me.user.public_id)
    unfinished = NewMemberFactory()

    # then: all three answer the same
    for public_id in (blocker.user.public_id, "NoSuchMember1", unfinished.user.public_id):
        with pytest.raises(MemberNotFound) as error:
            services.conversation_start(
                sender=me.user, recipient_public_ids=[public_id], body="Hello"
            )
        assert (error.value.code, error.value.message, error.value.field) == (
            "member_not_found",
            "No such member.",
            "to",
        )
    assert Conversation.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "This field is required."),
        ("   \n ", "This field is required."),
        ("a" * 5001, "Use at most 5000 characters (you used 5001)."),
        ("nul\x00byte", "Control characters are not allowed."),
    ],
)
def test_bad_bodies_get_a_clear_error_and_write_nothing(body, message):
    # given
    a, b = connected_pair()

    # when
    with pytest.raises(ApplicationError) as error:
        start(a, b, body=body)

    # then
    assert (error.value.code, error.value.message, error.value.field) == (
        "invalid",
        message,
        "body",
    )
    assert Conversation.objects.count() == 0


def test_a_body_of_exactly_5000_characters_is_fine():
    a, b = connected_pair()
    assert len(start(a, b, body="x" * 5000).body) == 5000


def test_at_most_30_messages_a_minute(settings):
    # given: 30 messages in the last minute, and older ones that no longer count
    a, b = connected_pair()
    conversation = conversation_of(start(a, b))
    Message.objects.create(
        conversation=conversation,
        sender=a.user,
        body="old",
        created_at=timezone.now() - timedelta(minutes=2),
    )
    for n in range(29):
        services.message_send(
            sender=a.user, conversation_public_id=conversation.public_id, body=f"#{n}"
        )

    # when
    with pytest.raises(ApplicationError) as error:
        services.message_send(
            sender=a.user, conversation_public_id=conversation.public_id, body="one too many"
        )

    # then
    assert error.value.status == 429
    assert error.value.code == "rate_limited"
    assert error.value.message == (
        "You're sending messages too fast: at most 30 a minute. Wait a moment, then send it again."
    )
    assert Message.objects.filter(sender=a.user).count() == 31
    # the other member is not limited by it
    services.message_send(sender=b.user, conversation_public_id=conversation.public_id, body="ok")


def test_at_most_20_new_conversations_a_day_with_group_co_members():
    # given: 21 members who share a group with me, none a connection, and one connection
    me = ProfileFactory()
    others = ProfileFactory.create_batch(21)
    shared_group(me, *others)
    friend = ProfileFactory()
    connect(me, friend)
    for other in others[:20]:
        start(me, other)

    # when
    with pytest.raises(ApplicationError) as error:
        start(me, others[20])

    # then
    assert error.value.status == 429
    assert error.value.message == (
        "You can start at most 20 conversations a day with members who are not your "
        "connections. Try again tomorrow, or ask to connect first."
    )
    assert Conversation.objects.filter(created_by=me.user, to_non_connection=True).count() == 20
    # connections and conversations already started are not limited
    start(me, friend)
    start(me, others[0], body="Following up")
    assert Conversation.objects.filter(created_by=me.user).count() == 21


def test_yesterdays_conversations_do_not_count(settings):
    # given
    settings.MESSAGING_NEW_CONVERSATIONS_PER_DAY = 1
    me, first, second = ProfileFactory(), ProfileFactory(), ProfileFactory()
    shared_group(me, first, second)
    Conversation.objects.filter(pk=conversation_of(start(me, first)).pk).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )

    # when
    start(me, second)

    # then
    assert Conversation.objects.filter(to_non_connection=True).count() == 2


def test_leaving_a_group_conversation_stops_delivery_and_hides_it():
    # given
    me, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(me, x)
    connect(me, y)
    conversation = conversation_of(start(me, x, y))

    # when
    services.conversation_leave(user=y.user, conversation_public_id=conversation.public_id)
    services.message_send(sender=me.user, conversation_public_id=conversation.public_id, body="?")

    # then
    seat = _seat(conversation, y)
    assert seat.left_at is not None
    assert seat.unread_count == 0
    assert _seat(conversation, x).unread_count == 2
    with pytest.raises(ApplicationError) as error:
        services.message_send(
            sender=y.user, conversation_public_id=conversation.public_id, body="back?"
        )
    assert error.value.code == "conversation_not_found"


def test_a_direct_conversation_cannot_be_left():
    a, b = connected_pair()
    conversation = conversation_of(start(a, b))
    with pytest.raises(ApplicationError) as error:
        services.conversation_leave(user=a.user, conversation_public_id=conversation.public_id)
    assert error.value.code == "invalid"
    assert _seat(conversation, a).left_at is None


def test_an_outsider_cannot_send_into_a_conversation():
    # given
    a, b = connected_pair()
    conversation = conversation_of(start(a, b))
    outsider = ProfileFactory()

    # when
    with pytest.raises(ApplicationError) as error:
        services.message_send(
            sender=outsider.user, conversation_public_id=conversation.public_id, body="hi"
        )

    # then
    assert (error.value.status, error.value.code, error.value.message) == (
        404,
        "conversation_not_found",
        "No such conversation.",
    )
    assert Message.objects.count() == 1


def test_after_a_block_the_direct_conversation_is_gone_for_both():
    # given
    a, b = connected_pair()
    conversation = conversation_of(start(a, b))

    # when
    member_block(user=a.user, member_public_id=b.user.public_id)

    # then
    for sender in (a, b):
        with pytest.raises(ApplicationError) as error:
            services.message_send(
                sender=sender.user, conversation_public_id=conversation.public_id, body="hi"
            )
        assert error.value.code == "conversation_not_found"
    assert message_unread_count(user=b.user) == 0


def test_in_a_group_a_blocked_member_s_messages_do_not_count_or_notify(
    django_capture_on_commit_callbacks,
):
    # given
    me, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(me, x)
    connect(me, y)
    conversation = conversation_of(start(me, x, y))
    member_block(user=y.user, member_public_id=x.user.public_id)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(
            sender=x.user, conversation_public_id=conversation.public_id, body="hey all"
        )

    # then
    assert _seat(conversation, y).unread_count == 1
    assert _seat(conversation, me).unread_count == 1
    assert Notification.objects.filter(recipient=y.user, actor=x.user).count() == 0
    assert Notification.objects.filter(recipient=me.user, actor=x.user).count() == 1


def test_each_other_participant_is_notified_with_the_conversation_as_thread(
    django_capture_on_commit_callbacks,
):
    # given
    a, b = connected_pair()
    a.display_name = "Alex Rivera"
    a.save()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        message = start(a, b, body="A secret plan")

    # then
    conversation = conversation_of(message)
    [notification] = Notification.objects.all()
    assert notification.recipient_id == b.user_id
    assert notification.kind == "messaging.message"
    assert notification.text == "Alex Rivera sent you a message"
    assert notification.url == f"/messages/{conversation.public_id}/"
    assert notification.thread_key == f"conversation:{conversation.public_id}"
    assert "secret" not in notification.text


def test_a_muted_sender_s_messages_arrive_without_notifying(django_capture_on_commit_callbacks):
    # given
    a, b = connected_pair()
    member_mute(user=b.user, member_public_id=a.user.public_id)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        conversation = conversation_of(start(a, b))

    # then
    assert _seat(conversation, b).unread_count == 1
    assert Notification.objects.filter(recipient=b.user).count() == 0


def test_conversation_open_for_an_introduction_is_idempotent_per_exact_member_set():
    # given
    introducer, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()

    # when
    first = services.conversation_open(
        members=[introducer.user, x.user, y.user], origin="introduction", subject="Meet Y"
    )
    again = services.conversation_open(
        members=[y.user, x.user, introducer.user, x.user], origin="introduction"
    )
    pair = services.conversation_open(members=[x.user, y.user], origin="introduction")

    # then
    assert isinstance(first, str)
    assert first == again
    conversation = Conversation.objects.get(public_id=first)
    assert (conversation.kind, conversation.origin, conversation.subject) == (
        "group",
        "introduction",
        "Meet Y",
    )
    assert conversation.participants.count() == 3
    assert pair != first
    assert Conversation.objects.get(public_id=pair).kind == "direct"
    assert services.conversation_open(members=[y.user, x.user], origin="direct") == pair
    assert Conversation.objects.count() == 2


def test_conversation_open_refuses_fewer_than_two_members_or_an_unknown_origin():
    me = ProfileFactory()
    with pytest.raises(ApplicationError):
        services.conversation_open(members=[me.user, me.user], origin="introduction")
    with pytest.raises(ApplicationError):
        services.conversation_open(members=[me.user, ProfileFactory().user], origin="nope")
    assert Conversation.objects.count() == 0


def test_settings_accept_the_three_choices_only():
    me = ProfileFactory()
    services.messaging_settings_update(user=me.user, allow_from="nobody_new")
    assert MessagingSettings.objects.get(user=me.user).allow_from == "nobody_new"
    with pytest.raises(ApplicationError) as error:
        services.messaging_settings_update(user=me.user, allow_from="everyone")
    assert error.value.field == "allow_from"
    assert MessagingSettings.objects.get(user=me.user).allow_from == "nobody_new"
