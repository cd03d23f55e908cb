"""Messaging reads: the visibility rule in every read, the list, unread counts, query counts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.core.errors import NotFound
from commonground.messaging import services
from commonground.messaging.models import Conversation
from commonground.messaging.selectors import (
    conversation_get,
    conversation_list,
    message_list,
    message_unread_count,
)
from commonground.network.services import member_block
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.messaging.helpers import connected_pair, conversation_of, start

pytestmark = pytest.mark.django_db


def _viewer(profile) -> Viewer:
    return Viewer.for_user(profile.user)


def test_the_list_is_newest_first_with_unread_counts_and_the_last_message():
    # given
    me = ProfileFactory()
    x, y = ProfileFactory(display_name="Xena"), ProfileFactory(display_name="Yuri")
    connect(me, x)
    connect(me, y)
    older = conversation_of(start(x, me, body="first from Xena"))
    services.message_send(sender=x.user, conversation_public_id=older.public_id, body="again")
    newer = conversation_of(start(me, y, body="hello Yuri"))

    # when
    page = conversation_list(viewer=_viewer(me))

    # then
    assert [v.public_id for v in page.items] == [newer.public_id, older.public_id]
    assert [v.title for v in page.items] == ["Yuri", "Xena"]
    assert [v.unread_count for v in page.items] == [0, 2]
    assert [(v.last_message.body, v.last_message.is_mine) for v in page.items] == [
        ("hello Yuri", True),
        ("again", False),
    ]
    assert page.total == 2


def test_the_list_query_count_does_not_grow_with_conversations(django_assert_num_queries):
    # given
    me = ProfileFactory()

    def add(n: int) -> None:
        for _ in range(n):
            friend, other = ProfileFactory(), ProfileFactory()
            connect(me, friend)
            connect(me, other)
            start(friend, me)
            start(me, friend, other, subject="Three of us")

    add(2)
    viewer = _viewer(me)
    with django_assert_num_queries(4):
        small = conversation_list(viewer=viewer)
    add(8)

    # when / then
    with django_assert_num_queries(4):
        large = conversation_list(viewer=viewer)
    assert len(small.items) == 4
    assert len(large.items) == 20
    assert large.total == 20


def test_the_thread_is_paginated_newest_first():
    # given
    a, b = connected_pair()
    conversation = conversation_of(start(a, b, body="m0"))
    for n in range(1, 5):
        services.message_send(
            sender=b.user, conversation_public_id=conversation.public_id, body=f"m{n}"
        )
    viewer = _viewer(a)
    view = conversation_get(viewer=viewer, public_id=conversation.public_id)

    # when
    first = message_list(viewer=viewer, view=view, page=1, size=3)
    second = message_list(viewer=viewer, view=view, page=2, size=3)

    # then
    assert [m.body for m in first.items] == ["m4", "m3", "m2"]
    assert [m.body for m in second.items] == ["m1", "m0"]
    assert [m.is_mine for m in second.items] == [False, True]
    assert (first.total, first.pages) == (5, 2)


def test_the_unread_badge_is_one_query(django_assert_num_queries):
    # given
    a, b = connected_pair()
    start(a, b)

    # then
    with django_assert_num_queries(1):
        assert message_unread_count(user=b.user) == 1
    with django_assert_num_queries(0):
        assert message_unread_count(user=AnonymousUser()) == 0


def test_in_a_group_a_blocked_member_and_their_messages_are_left_out_for_the_viewer():
    # given
    me, x, y = ProfileFactory(), ProfileFactory(display_name="Xavier"), ProfileFactory()
    connect(me, x)
    connect(me, y)
    conversation = conversation_of(start(me, x, y, body="hi both"))
    services.message_send(sender=x.user, conversation_public_id=conversation.public_id, body="x!")
    member_block(user=y.user, member_public_id=x.user.public_id)

    # when
    viewer = _viewer(y)
    view = conversation_get(viewer=viewer, public_id=conversation.public_id)
    bodies = [m.body for m in message_list(viewer=viewer, view=view).items]
    mine = conversation_get(viewer=_viewer(me), public_id=conversation.public_id)

    # then
    assert bodies == ["hi both"]
    assert [o.public_id for o in view.others] == [me.user.public_id]
    assert sorted(o.display_name for o in mine.others) == sorted(["Xavier", y.display_name])


_RELATIONS = st.sampled_from(
    ["participant", "outsider", "left", "blocked_by_other", "blocker", "anonymous"]
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(["direct", "group"]), relation=_RELATIONS)
def test_the_detail_rule_and_the_list_agree(kind, relation):
    # given: a conversation of a, b (and c), and a subject in some relation to it
    a, b, c, outsider = (ProfileFactory() for _ in range(4))
    for other in (b, c):
        connect(a, other)
    message = start(a, b) if kind == "direct" else start(a, b, c)
    public_id = conversation_of(message).public_id
    subject = b
    if relation == "outsider":
        subject = outsider
    elif relation == "left" and kind == "group":
        services.conversation_leave(user=b.user, conversation_public_id=public_id)
    elif relation == "blocked_by_other":
        member_block(user=a.user, member_public_id=b.user.public_id)
    elif relation == "blocker":
        member_block(user=b.user, member_public_id=a.user.public_id)
    viewer = Viewer(user_id=None) if relation == "anonymous" else _viewer(subject)

    # when
    try:
        conversation_get(viewer=viewer, public_id=public_id)
        detail = True
    except NotFound:
        detail = False
    listed = any(v.public_id == public_id for v in conversation_list(viewer=viewer).items)

    # then
    # a one-to-one conversation cannot be left; a block hides only a one-to-one conversation
    expected = relation == "participant" or (
        (kind == "direct" and relation == "left")
        or (kind == "group" and relation in ("blocked_by_other", "blocker"))
    )
    assert detail == listed == expected
    Conversation.objects.all().delete()


def test_a_deleted_account_leaves_its_group_messages_as_a_former_member():
    # given
    me, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(me, x)
    connect(me, y)
    group = conversation_of(start(me, x, y, body="hello"))
    services.message_send(sender=x.user, conversation_public_id=group.public_id, body="bye")
    direct = conversation_of(start(x, me, body="just us"))

    # when
    x.user.delete()

    # then: the one-to-one conversation goes with the account; the group keeps its words
    viewer = _viewer(me)
    assert not Conversation.objects.filter(pk=direct.pk).exists()
    view = conversation_get(viewer=viewer, public_id=group.public_id)
    messages = message_list(viewer=viewer, view=view).items
    assert [(m.sender.display_name, m.body) for m in messages] == [
        ("Former member", "bye"),
        (me.display_name, "hello"),
    ]
    assert [o.public_id for o in view.others] == [y.user.public_id]


def test_an_introduction_between_two_goes_by_the_other_member_with_its_subject_below():
    # given: an introduction opened a conversation for two members
    x, y = ProfileFactory(display_name="Xena"), ProfileFactory(display_name="Yuri")
    public_id = services.conversation_open(
        members=[x.user, y.user], origin="introduction", subject="Introduced by Alex"
    )

    # when
    view = conversation_get(viewer=_viewer(x), public_id=public_id)

    # then
    assert (view.title, view.conversation.subject, view.conversation.origin) == (
        "Yuri",
        "Introduced by Alex",
        "introduction",
    )
