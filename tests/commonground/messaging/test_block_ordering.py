"""A member blocked either way cannot be seen writing in a shared group conversation: not by
its place in the list, nor by its time on the page or in the API."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.messaging import services
from commonground.messaging.selectors import conversation_list
from commonground.network.services import member_block
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.messaging.helpers import conversation_of, start

pytestmark = pytest.mark.django_db


def _setup():
    me, friend, blocked = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(friend, me)
    connect(friend, blocked)
    connect(me, friend)
    group = conversation_of(start(friend, me, blocked, subject="Kites", body="hello all"))
    direct = conversation_of(start(friend, me, body="just us"))
    member_block(user=me.user, member_public_id=blocked.user.public_id)
    late = services.message_send(
        sender=blocked.user, conversation_public_id=group.public_id, body="canary-91c"
    )
    return me, group, direct, late


def test_a_blocked_members_message_does_not_move_the_conversation_up():
    # given
    me, group, direct, _late = _setup()
    # when
    page = conversation_list(viewer=Viewer.for_user(me.user))
    # then
    assert [c.public_id for c in page.items] == [direct.public_id, group.public_id]
    assert page.items[1].last_message is not None
    assert page.items[1].last_message.body == "hello all"


def test_the_api_and_page_show_the_time_of_the_last_message_the_viewer_may_read():
    # given
    me, group, _direct, late = _setup()
    client = Client()
    client.force_login(me.user)
    # when
    listed = client.get("/api/v1/messages").json()
    page = client.get("/messages/").content.decode()
    # then
    by_id = {c["id"]: c for c in listed["results"]}
    assert (
        by_id[group.public_id]["last_message_at"]
        == by_id[group.public_id]["last_message"]["created_at"]
    )
    assert late.created_at.isoformat() not in page
    assert "canary-91c" not in page
