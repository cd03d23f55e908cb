"""Adding people to a small-group conversation: creator only, the cap, the rule, history."""

from __future__ import annotations

import pytest

from commonground.core.errors import ApplicationError
from commonground.messaging import services
from commonground.messaging.models import Participant
from commonground.messaging.selectors import conversation_get, message_list
from commonground.notifications.models import Notification
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.messaging.helpers import connected_pair, conversation_of, login, start

pytestmark = pytest.mark.django_db


def _group(creator, *others, body="before"):
    for other in others:
        connect(creator, other)
    return conversation_of(start(creator, *others, body=body))


def test_the_creator_adds_a_connection_who_reads_from_then_on(
    django_capture_on_commit_callbacks,
):
    # given
    me, x, y, newcomer = (ProfileFactory() for _ in range(4))
    conversation = _group(me, x, y, body="said before")
    connect(me, newcomer)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        added = services.conversation_participants_add(
            user=me.user,
            conversation_public_id=conversation.public_id,
            member_public_ids=[newcomer.user.public_id, x.user.public_id],
        )
    services.message_send(sender=x.user, conversation_public_id=conversation.public_id, body="hi")

    # then
    assert added == [newcomer.user]
    viewer = Viewer.for_user(newcomer.user)
    view = conversation_get(viewer=viewer, public_id=conversation.public_id)
    assert [m.body for m in message_list(viewer=viewer, view=view).items] == ["hi"]
    assert view.unread_count == 1
    [note] = Notification.objects.filter(recipient=newcomer.user)
    assert note.text == f"{me.display_name} added you to a conversation"


def test_only_the_creator_adds_people():
    me, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()
    conversation = _group(me, x, y)
    friend_of_x = ProfileFactory()
    connect(x, friend_of_x)
    with pytest.raises(ApplicationError) as error:
        services.conversation_participants_add(
            user=x.user,
            conversation_public_id=conversation.public_id,
            member_public_ids=[friend_of_x.user.public_id],
        )
    assert (error.value.status, error.value.code) == (403, "not_creator")
    assert conversation.participants.count() == 3


def test_at_most_8_others_in_all():
    me = ProfileFactory()
    others = ProfileFactory.create_batch(9)
    conversation = _group(me, *others[:7])
    connect(me, others[7])
    connect(me, others[8])
    with pytest.raises(ApplicationError) as error:
        services.conversation_participants_add(
            user=me.user,
            conversation_public_id=conversation.public_id,
            member_public_ids=[others[7].user.public_id, others[8].user.public_id],
        )
    assert error.value.message == "A conversation takes at most 8 people besides you."
    assert conversation.participants.count() == 8


def test_someone_the_creator_may_not_message_is_refused_and_nobody_is_added():
    me, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()
    conversation = _group(me, x, y)
    friend, stranger = ProfileFactory(), ProfileFactory()
    connect(me, friend)
    with pytest.raises(ApplicationError) as error:
        services.conversation_participants_add(
            user=me.user,
            conversation_public_id=conversation.public_id,
            member_public_ids=[friend.user.public_id, stranger.user.public_id],
        )
    assert error.value.code == "messaging_not_allowed"
    assert conversation.participants.count() == 3


def test_a_direct_conversation_takes_nobody_else():
    me, friend = connected_pair()
    conversation = conversation_of(start(me, friend))
    other = ProfileFactory()
    connect(me, other)
    with pytest.raises(ApplicationError) as error:
        services.conversation_participants_add(
            user=me.user,
            conversation_public_id=conversation.public_id,
            member_public_ids=[other.user.public_id],
        )
    assert error.value.code == "invalid"
    assert conversation.participants.count() == 2


def test_someone_who_left_can_be_added_back_and_reads_from_the_new_start():
    me, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()
    conversation = _group(me, x, y)
    services.conversation_leave(user=y.user, conversation_public_id=conversation.public_id)
    services.message_send(sender=me.user, conversation_public_id=conversation.public_id, body="gap")
    services.conversation_participants_add(
        user=me.user,
        conversation_public_id=conversation.public_id,
        member_public_ids=[y.user.public_id],
    )
    seat = Participant.objects.get(conversation=conversation, user=y.user)
    assert seat.left_at is None
    viewer = Viewer.for_user(y.user)
    view = conversation_get(viewer=viewer, public_id=conversation.public_id)
    assert message_list(viewer=viewer, view=view).items == []


def test_the_thread_page_offers_adding_to_the_creator_only_and_adds():
    # given
    me, x, y, newcomer = (ProfileFactory() for _ in range(4))
    conversation = _group(me, x, y)
    connect(me, newcomer)

    # when
    mine = login(me).get(f"/messages/{conversation.public_id}/").content.decode()
    theirs = login(x).get(f"/messages/{conversation.public_id}/").content.decode()
    response = login(me).post(
        f"/messages/{conversation.public_id}/add/", {"to": f"/people/{newcomer.user.public_id}/"}
    )
    refused = login(x).post(
        f"/messages/{conversation.public_id}/add/", {"to": newcomer.user.public_id}, follow=True
    )

    # then
    assert "Add people" in mine
    assert "Add people" not in theirs
    assert response.status_code == 302
    assert conversation.participants.filter(user=newcomer.user, left_at__isnull=True).exists()
    assert "Only the member who started this conversation can add people." in (
        refused.content.decode()
    )


def test_the_api_adds_people_and_answers_the_conversation(api_as):
    me, x, y, newcomer = (ProfileFactory() for _ in range(4))
    conversation = _group(me, x, y)
    connect(me, newcomer)
    response = api_as(me).post(
        f"/messages/{conversation.public_id}/participants", {"to": [newcomer.user.public_id]}
    )
    assert response.status_code == 200
    assert newcomer.user.public_id in [o["id"] for o in response.json()["others"]]
    outsider = api_as(ProfileFactory()).post(
        f"/messages/{conversation.public_id}/participants", {"to": [newcomer.user.public_id]}
    )
    assert outsider.status_code == 404
