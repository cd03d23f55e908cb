"""/api/v1/messages: routing, permissions and exact answers."""

from __future__ import annotations

import pytest

from commonground.messaging.models import Conversation, Message, Participant
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.messaging.helpers import connected_pair, conversation_of, start

pytestmark = pytest.mark.django_db


def test_the_api_needs_authentication(api_as):
    response = api_as().get("/messages")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_start_answers_the_message_and_list_shows_the_conversation(api_as):
    # given
    me, friend = connected_pair()
    friend.display_name = "Frida Kahlo"
    friend.save()
    api = api_as(me)

    # when
    created = api.post("/messages", {"to": [friend.user.public_id], "body": "Hello Frida"})
    listed = api.get("/messages")

    # then
    assert created.status_code == 201
    conversation = Conversation.objects.get()
    message = Message.objects.get()
    body = created.json()
    assert body == {
        "type": "message",
        "id": message.public_id,
        "conversation": conversation.public_id,
        "sender": {"id": me.user.public_id, "display_name": me.display_name},
        "body": "Hello Frida",
        "created_at": body["created_at"],
    }
    assert listed.status_code == 200
    page = listed.json()
    assert (page["count"], page["page"], page["pages"]) == (1, 1, 1)
    [item] = page["results"]
    assert item["id"] == conversation.public_id
    assert (item["kind"], item["origin"], item["title"], item["unread_count"]) == (
        "direct",
        "direct",
        "Frida Kahlo",
        0,
    )
    assert item["others"] == [{"id": friend.user.public_id, "display_name": "Frida Kahlo"}]
    assert item["last_message"]["body"] == "Hello Frida"


def test_the_thread_is_paginated_newest_first_and_reading_is_explicit(api_as):
    # given
    me, friend = connected_pair()
    conversation = conversation_of(start(friend, me, body="one"))
    api_as(friend).post(f"/messages/{conversation.public_id}/messages", {"body": "two"})
    api = api_as(me)

    # when
    first = api.get(f"/messages/{conversation.public_id}", page_size=1)
    read = api.post(f"/messages/{conversation.public_id}/read")
    after = api.get(f"/messages/{conversation.public_id}", page=2, page_size=1)

    # then
    assert first.status_code == 200
    assert first.json()["conversation"]["unread_count"] == 2
    assert [m["body"] for m in first.json()["results"]] == ["two"]
    assert (first.json()["count"], first.json()["pages"]) == (2, 2)
    assert read.status_code == 204
    assert after.json()["conversation"]["unread_count"] == 0
    assert [m["body"] for m in after.json()["results"]] == ["one"]


def test_send_answers_201_with_the_message(api_as):
    me, friend = connected_pair()
    conversation = conversation_of(start(friend, me))
    response = api_as(me).post(f"/messages/{conversation.public_id}/messages", {"body": "Yes!"})
    assert response.status_code == 201
    assert response.json()["body"] == "Yes!"
    assert response.json()["conversation"] == conversation.public_id
    assert Participant.objects.get(conversation=conversation, user=friend.user).unread_count == 1


def test_an_outsider_gets_404_on_every_endpoint_identical_to_a_missing_conversation(api_as):
    # given
    a, b = connected_pair()
    conversation = conversation_of(start(a, b, body="canary-91bd"))
    api = api_as(ProfileFactory())

    # when
    answers = [
        api.get(f"/messages/{conversation.public_id}"),
        api.post(f"/messages/{conversation.public_id}/messages", {"body": "hi"}),
        api.post(f"/messages/{conversation.public_id}/read"),
        api.post(f"/messages/{conversation.public_id}/leave"),
    ]
    missing = api.get("/messages/NoSuchThing1")

    # then
    expected = {
        "code": "conversation_not_found",
        "message": "No such conversation.",
        "field": None,
    }
    assert missing.status_code == 404
    assert missing.json() == expected
    for response in answers:
        assert response.status_code == 404
        assert response.json() == expected
        assert b"canary-91bd" not in response.content
    assert api.get("/messages").json()["count"] == 0
    assert Message.objects.count() == 1


def test_writing_to_someone_who_takes_no_messages_from_you_is_a_403(api_as):
    me, stranger = ProfileFactory(), ProfileFactory(display_name="Sam Stranger")
    response = api_as(me).post("/messages", {"to": [stranger.user.public_id], "body": "hi"})
    assert response.status_code == 403
    assert response.json() == {
        "code": "messaging_not_allowed",
        "message": "You can write to your connections, people you're introduced to, and "
        "members of a group you share. Sam Stranger is none of these yet: ask to connect "
        "first.",
        "field": "to",
    }
    assert Conversation.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"to": [], "body": "hi"}, "to"),
        ({"to": ["bad id!"], "body": "hi"}, "to.0"),
        ({"to": ["x"] * 9, "body": "hi"}, "to"),
        ({"to": ["abc"], "body": ""}, "body"),
        ({"to": ["abc"], "body": "x" * 5001}, "body"),
        ({"to": ["abc"], "body": "nul\u0000"}, "body"),
        ({"to": ["abc"], "body": "hi", "subject": "s" * 141}, "subject"),
        ({"to": "abc", "body": "hi"}, "to"),
    ],
)
def test_bad_input_gets_a_422_naming_the_field(api_as, payload, field):
    response = api_as(ProfileFactory()).post("/messages", payload)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == field
    assert Conversation.objects.count() == 0


def test_a_body_of_only_spaces_is_a_400(api_as):
    me, friend = connected_pair()
    response = api_as(me).post("/messages", {"to": [friend.user.public_id], "body": "   "})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "This field is required.",
        "field": "body",
    }


def test_past_the_message_rate_the_api_answers_429(api_as, settings):
    # given
    settings.MESSAGING_MESSAGES_PER_MINUTE = 2
    me, friend = connected_pair()
    api = api_as(me)
    conversation = conversation_of(start(me, friend))
    api.post(f"/messages/{conversation.public_id}/messages", {"body": "2"})

    # when
    response = api.post(f"/messages/{conversation.public_id}/messages", {"body": "3"})

    # then
    assert response.status_code == 429
    assert response.json() == {
        "code": "rate_limited",
        "message": "You're sending messages too fast: at most 2 a minute. "
        "Wait a moment, then send it again.",
        "field": None,
    }
    assert Message.objects.count() == 2


def test_settings_get_and_put(api_as):
    api = api_as(ProfileFactory())
    assert api.get("/messages/settings").json() == {"allow_from": "connections_and_groups"}
    response = api.client.put(
        "/api/v1/messages/settings",
        '{"allow_from": "nobody_new"}',
        content_type="application/json",
        **api.headers,
    )
    assert response.status_code == 200
    assert response.json() == {"allow_from": "nobody_new"}
    assert api.get("/messages/settings").json() == {"allow_from": "nobody_new"}
    bad = api.client.put(
        "/api/v1/messages/settings",
        '{"allow_from": "everyone"}',
        content_type="application/json",
        **api.headers,
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "allow_from"


def test_leave_a_group_conversation(api_as):
    me, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(me, x)
    connect(me, y)
    conversation = conversation_of(start(me, x, y))
    api = api_as(x)
    assert api.post(f"/messages/{conversation.public_id}/leave").status_code == 204
    assert api.get(f"/messages/{conversation.public_id}").status_code == 404
    assert api.get("/messages").json()["count"] == 0


def test_the_session_needs_csrf_for_writes(client):
    me, friend = connected_pair()
    from tests.commonground.factories import PASSWORD

    csrf_client = type(client)(enforce_csrf_checks=True)
    assert csrf_client.login(email=me.user.email, password=PASSWORD)
    response = csrf_client.post(
        "/api/v1/messages",
        {"to": [friend.user.public_id], "body": "hi"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Conversation.objects.count() == 0
