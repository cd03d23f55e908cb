"""The websocket at /ws/messages/, through the real ASGI application (origin check, session
auth, routing): participants receive, outsiders never do, anonymous sockets are closed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from commonground.asgi import application
from commonground.messaging import services
from commonground.messaging.consumers import UNAUTHENTICATED
from commonground.messaging.models import Message, Participant
from commonground.profiles.models import Profile
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.messaging.helpers import connected_pair, conversation_of, start

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = (b"origin", b"http://localhost")


def _session_cookie(profile: Profile) -> bytes:
    client = Client()
    client.force_login(profile.user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def _socket(
    profile: Profile | None, *, origin: tuple[bytes, bytes] = ORIGIN
) -> WebsocketCommunicator:
    headers = [origin]
    if profile is not None:
        # Database work from the test's event loop goes to the test's own thread (and its
        # connection), as the consumer's does.
        headers.append((b"cookie", await database_sync_to_async(_session_cookie)(profile)))
    return WebsocketCommunicator(application, "/ws/messages/", headers=headers)


def _run(scenario: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(scenario)()


send = database_sync_to_async(services.message_send)


def test_a_participant_receives_the_message_and_an_outsider_connected_at_once_does_not():
    # given
    a, b = connected_pair()
    b.display_name = "Bea"
    b.save()
    outsider = ProfileFactory()
    conversation = conversation_of(start(a, b, body="first"))

    async def scenario() -> None:
        receiver, stranger = await _socket(a), await _socket(outsider)
        assert (await receiver.connect())[0] is True
        assert (await stranger.connect())[0] is True

        # when
        message = await send(
            sender=b.user, conversation_public_id=conversation.public_id, body="canary-<b>hi</b>"
        )

        # then
        received = await receiver.receive_json_from(timeout=5)
        assert received == {
            "type": "message",
            "conversation": conversation.public_id,
            "id": message.public_id,
            "sender": {"id": b.user.public_id, "display_name": "Bea"},
            "body": "canary-<b>hi</b>",
            "created_at": message.created_at.isoformat(),
        }
        assert await stranger.receive_nothing(timeout=0.5) is True
        await receiver.disconnect()
        await stranger.disconnect()

    _run(scenario)


def test_an_anonymous_socket_is_closed():
    async def scenario() -> None:
        socket = await _socket(None)
        connected, code = await socket.connect()
        assert (connected, code) == (False, UNAUTHENTICATED)

    _run(scenario)


def test_a_socket_from_another_site_is_refused():
    me = ProfileFactory()

    async def scenario() -> None:
        socket = await _socket(me, origin=(b"origin", b"https://evil.example"))
        connected, _ = await socket.connect()
        assert connected is False

    _run(scenario)


def test_sending_over_the_socket_goes_through_the_same_service():
    # given
    a, b = connected_pair()
    conversation = conversation_of(start(a, b, body="first"))

    async def scenario() -> None:
        writer, reader = await _socket(b), await _socket(a)
        await writer.connect()
        await reader.connect()

        # when
        await writer.send_json_to(
            {"type": "send", "conversation": conversation.public_id, "body": "over the socket"}
        )

        # then: both the other participant and the writer's own tabs get it
        got = await reader.receive_json_from(timeout=5)
        echo = await writer.receive_json_from(timeout=5)
        assert got["body"] == echo["body"] == "over the socket"
        assert got["sender"]["id"] == b.user.public_id
        await writer.disconnect()
        await reader.disconnect()

    _run(scenario)
    assert Participant.objects.get(conversation=conversation, user=a.user).unread_count == 1


def test_a_client_cannot_send_into_or_subscribe_to_a_conversation_it_is_not_in():
    # given
    a, b = connected_pair()
    theirs = conversation_of(start(a, b, body="first"))
    outsider = ProfileFactory()

    async def scenario() -> None:
        socket, member = await _socket(outsider), await _socket(a)
        await socket.connect()
        await member.connect()

        # when
        await socket.send_json_to({"type": "send", "conversation": theirs.public_id, "body": "x"})
        await socket.send_json_to({"type": "read", "conversation": theirs.public_id})
        await socket.send_to(text_data="not json")
        await socket.send_json_to({"type": "subscribe", "conversation": theirs.public_id})

        # then
        refused = await socket.receive_json_from(timeout=5)
        assert refused == {
            "type": "error",
            "code": "conversation_not_found",
            "message": "No such conversation.",
            "field": None,
            "conversation": theirs.public_id,
        }
        assert (await socket.receive_json_from(timeout=5))["code"] == "conversation_not_found"
        assert (await socket.receive_json_from(timeout=5))["code"] == "invalid"
        assert (await socket.receive_json_from(timeout=5))["code"] == "invalid"
        await send(sender=b.user, conversation_public_id=theirs.public_id, body="still private")
        assert (await member.receive_json_from(timeout=5))["body"] == "still private"
        assert await socket.receive_nothing(timeout=0.5) is True
        await socket.disconnect()
        await member.disconnect()

    _run(scenario)
    assert list(theirs.messages.order_by("created_at").values_list("body", flat=True)) == [
        "first",
        "still private",
    ]


def test_leaving_a_group_conversation_stops_delivery():
    # given
    me, x, y = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(me, x)
    connect(me, y)
    conversation = conversation_of(start(me, x, y))
    services.conversation_leave(user=y.user, conversation_public_id=conversation.public_id)

    async def scenario() -> None:
        stayed, left = await _socket(x), await _socket(y)
        await stayed.connect()
        await left.connect()

        # when
        await send(sender=me.user, conversation_public_id=conversation.public_id, body="after")

        # then
        assert (await stayed.receive_json_from(timeout=5))["body"] == "after"
        assert await left.receive_nothing(timeout=0.5) is True
        await stayed.disconnect()
        await left.disconnect()

    _run(scenario)
    assert Message.objects.filter(conversation=conversation).count() == 2


def test_a_socket_whose_member_was_deactivated_since_sends_nothing_and_is_closed():
    # given: an open socket, then the member is deactivated (banned) by a moderator
    a, b = connected_pair()
    conversation = conversation_of(start(a, b, body="first"))

    async def scenario() -> None:
        writer = await _socket(b)
        assert (await writer.connect())[0] is True
        await database_sync_to_async(
            lambda: type(b.user).objects.filter(pk=b.user.pk).update(is_active=False)
        )()

        # when
        await writer.send_json_to(
            {"type": "send", "conversation": conversation.public_id, "body": "still here"}
        )

        # then
        closed = await writer.receive_output(timeout=5)
        assert closed == {"type": "websocket.close", "code": UNAUTHENTICATED}
        await writer.disconnect()

    _run(scenario)
    assert list(
        Message.objects.filter(conversation=conversation).values_list("body", flat=True)
    ) == ["first"]
