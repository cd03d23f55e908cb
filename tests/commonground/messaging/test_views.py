"""Messaging pages: routing, permissions, the no-JavaScript form and what each page shows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonground.messaging import services
from commonground.messaging.models import Conversation, Message, MessagingSettings, Participant
from commonground.network.services import member_block
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.messaging.helpers import (
    connected_pair,
    conversation_of,
    login,
    shared_group,
    start,
)

pytestmark = pytest.mark.django_db


def test_messaging_pages_need_a_signed_in_member():
    a, b = connected_pair()
    conversation = conversation_of(start(a, b))
    for url in (
        "/messages/",
        "/messages/new/",
        "/messages/settings/",
        f"/messages/{conversation.public_id}/",
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_index_lists_conversations_with_unread_counts():
    # given
    me, friend = connected_pair()
    friend.display_name = "Frida Kahlo"
    friend.save()
    start(friend, me, body="Coffee on Tuesday?")

    # when
    page = login(me).get("/messages/").content.decode()

    # then
    assert "Frida Kahlo" in page
    assert "Coffee on Tuesday?" in page
    assert 'aria-label="1 unread"' in page


def test_the_index_query_count_does_not_grow_with_conversations():
    me = ProfileFactory()
    client = login(me)

    def add(n: int) -> None:
        for _ in range(n):
            friend = ProfileFactory()
            connect(me, friend)
            start(friend, me)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/messages/").status_code == 200
        return len(captured)

    add(2)
    small = queries()
    add(10)
    assert queries() == small


def test_reading_a_thread_shows_its_messages_and_marks_it_read():
    # given
    me, friend = connected_pair()
    conversation = conversation_of(start(friend, me, body="Line one\nhttps://example.org/x"))

    # when
    response = login(me).get(f"/messages/{conversation.public_id}/")

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line one<br>" in page
    assert '<a href="https://example.org/x" rel="nofollow">https://example.org/x</a>' in page
    assert Participant.objects.get(conversation=conversation, user=me.user).unread_count == 0
    assert 'data-conversation="' + conversation.public_id + '"' in page
    assert "messaging/live.js" in page


def test_message_text_is_escaped():
    me, friend = connected_pair()
    conversation = conversation_of(start(friend, me, body="<script>alert('x')</script>"))
    page = login(me).get(f"/messages/{conversation.public_id}/").content.decode()
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def _without_csrf(content: bytes) -> bytes:
    content = re.sub(rb'"X-CSRFToken": "[^"]*"', b"", content)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def test_an_outsider_gets_the_same_404_as_for_a_missing_conversation():
    # given
    a, b = connected_pair()
    conversation = conversation_of(start(a, b, body="canary-7f3a"))
    client = login(ProfileFactory())

    # when
    hidden = client.get(f"/messages/{conversation.public_id}/")
    missing = client.get("/messages/NoSuchThing1/")
    posted = client.post(f"/messages/{conversation.public_id}/", {"body": "let me in"})
    odd = client.get("/messages/%20%3Cx%3E/")

    # then
    assert hidden.status_code == missing.status_code == posted.status_code == odd.status_code
    assert hidden.status_code == 404
    assert _without_csrf(hidden.content) == _without_csrf(missing.content)
    assert b"canary-7f3a" not in hidden.content
    assert Message.objects.count() == 1


def test_sending_with_the_plain_form_redirects_back_to_the_thread():
    # given
    me, friend = connected_pair()
    conversation = conversation_of(start(friend, me))

    # when
    response = login(me).post(f"/messages/{conversation.public_id}/", {"body": "Sounds good"})

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/messages/{conversation.public_id}/#latest"
    assert conversation.messages.latest("created_at").body == "Sounds good"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "This field is required."),
        ("x" * 5001, "Ensure this value has at most 5000 characters (it has 5001)."),
        ("bad\x00", "Null characters are not allowed."),
    ],
)
def test_a_bad_message_re_renders_with_the_error_and_writes_nothing(body, error):
    me, friend = connected_pair()
    conversation = conversation_of(start(friend, me))
    response = login(me).post(f"/messages/{conversation.public_id}/", {"body": body})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert conversation.messages.count() == 1


def test_past_the_rate_limit_the_form_says_so_with_a_429(settings):
    # given
    settings.MESSAGING_MESSAGES_PER_MINUTE = 1
    me, friend = connected_pair()
    conversation = conversation_of(start(me, friend))

    # when
    response = login(me).post(f"/messages/{conversation.public_id}/", {"body": "again"})

    # then
    assert response.status_code == 429
    assert "at most 1 a minute" in response.content.decode()
    assert conversation.messages.count() == 1


def test_new_with_a_member_reuses_the_direct_conversation():
    me, friend = connected_pair()
    conversation = conversation_of(start(friend, me))
    response = login(me).get(f"/messages/new/?to={friend.user.public_id}")
    assert response.status_code == 302
    assert response["Location"] == f"/messages/{conversation.public_id}/"


def test_new_with_a_member_starts_a_conversation_on_post():
    # given
    me, friend = connected_pair()
    friend.display_name = "Frida Kahlo"
    friend.save()
    client = login(me)

    # when
    form = client.get(f"/messages/new/?to={friend.user.public_id}")
    response = client.post(
        f"/messages/new/?to={friend.user.public_id}",
        {"to": friend.user.public_id, "body": "Hello Frida"},
    )

    # then
    assert form.status_code == 200
    assert "Message Frida Kahlo" in form.content.decode()
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/messages/{conversation.public_id}/#latest"
    assert conversation.messages.get().body == "Hello Frida"


def test_new_explains_when_the_member_does_not_take_messages_from_you():
    # given
    me, stranger = ProfileFactory(), ProfileFactory(display_name="Sam Stranger")
    client = login(me)

    # when
    page = client.get(f"/messages/new/?to={stranger.user.public_id}").content.decode()
    posted = client.post(
        f"/messages/new/?to={stranger.user.public_id}",
        {"to": stranger.user.public_id, "body": "hi"},
    )

    # then
    assert "Sam Stranger is none of these yet: ask to connect first." in page
    assert "<textarea" not in page
    assert posted.status_code == 400
    assert Conversation.objects.count() == 0


def test_new_for_a_member_who_blocked_you_is_a_404():
    me, blocker = connected_pair()
    member_block(user=blocker.user, member_public_id=me.user.public_id)
    assert login(me).get(f"/messages/new/?to={blocker.user.public_id}").status_code == 404
    assert login(me).get("/messages/new/?to=NoSuchMember").status_code == 404


def test_new_with_several_people_by_profile_link_makes_a_group_conversation():
    # given
    me, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(me, x)
    shared_group(me, y)

    # when
    response = login(me).post(
        "/messages/new/",
        {
            "to": f"/people/{x.user.public_id}/, {y.user.public_id}",
            "subject": "Trivia night",
            "body": "Who's in?",
        },
    )

    # then
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert (conversation.kind, conversation.subject, conversation.origin) == (
        "group",
        "Trivia night",
        "group",
    )
    assert conversation.participants.count() == 3


def test_new_names_a_missing_member_on_the_to_field():
    response = login(ProfileFactory()).post(
        "/messages/new/", {"to": "NoSuchMember", "body": "hello"}
    )
    assert response.status_code == 404
    assert "No such member." in response.content.decode()


def test_leaving_a_group_conversation_from_its_page():
    me, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(me, x)
    connect(me, y)
    conversation = conversation_of(start(me, x, y))
    client = login(x)
    response = client.post(f"/messages/{conversation.public_id}/leave/")
    assert response.status_code == 302
    assert response["Location"] == "/messages/"
    assert client.get(f"/messages/{conversation.public_id}/").status_code == 404


def test_settings_page_saves_the_choice():
    me = ProfileFactory()
    client = login(me)
    assert "connections_and_groups" in client.get("/messages/settings/").content.decode()
    response = client.post("/messages/settings/", {"allow_from": "connections"})
    assert response.status_code == 302
    assert MessagingSettings.objects.get(user=me.user).allow_from == "connections"
    bad = client.post("/messages/settings/", {"allow_from": "everyone"})
    assert bad.status_code == 200
    assert "Select a valid choice." in bad.content.decode()


def test_the_header_badge_counts_unread_messages():
    me, friend = connected_pair()
    start(friend, me)
    page = login(me).get("/messages/settings/").content.decode()
    assert '<span class="count" aria-label="1 unread">1</span>' in page


def test_a_member_cannot_post_into_someone_else_s_conversation_by_its_id():
    a, b = connected_pair()
    c, d = connected_pair()
    theirs = conversation_of(start(c, d, body="private"))
    start(a, b)
    response = login(a).post(f"/messages/{theirs.public_id}/", {"body": "x"})
    assert response.status_code == 404
    assert theirs.messages.count() == 1


def test_the_thread_query_count_does_not_grow_with_messages_or_people():
    # given
    me, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(me, x)
    connect(me, y)
    conversation = conversation_of(start(me, x, y))
    client = login(me)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/messages/{conversation.public_id}/").status_code == 200
        return len(captured)

    small = queries()
    for n in range(10):
        services.message_send(
            sender=(x if n % 2 else y).user,
            conversation_public_id=conversation.public_id,
            body=f"#{n}",
        )

    # then
    assert queries() == small
