"""A canary in a conversation never reaches anyone outside it: roles × channels."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from commonground.accounts.services import api_token_create
from commonground.asgi import application
from commonground.messaging import services
from commonground.network.services import member_block
from commonground.notifications.models import Notification
from commonground.profiles.models import Profile
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.messaging.helpers import conversation_of, start

pytestmark = [pytest.mark.authz_matrix, pytest.mark.django_db(transaction=True)]
CANARY = "canary-5d2e9c"
ROLES = ["stranger", "connection_of_both", "left", "blocked_by_member", "anonymous"]


def _world(role: str) -> tuple[str, Profile, Profile, Profile | None]:
    """A small-group conversation of a, b and c with a canary; the outsider in `role`."""
    a, b, c = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(a, b)
    connect(a, c)
    outsider: Profile | None = None
    if role == "stranger":
        outsider = ProfileFactory()
    elif role == "connection_of_both":
        outsider = ProfileFactory()
        connect(outsider, a)
        connect(outsider, b)
    elif role == "left":
        outsider = c
    elif role == "blocked_by_member":
        outsider = ProfileFactory()
        connect(outsider, a)
    public_id = conversation_of(start(a, b, c, body=f"first {CANARY}")).public_id
    if role == "left":
        services.conversation_leave(user=c.user, conversation_public_id=public_id)
    if role == "blocked_by_member" and outsider is not None:
        member_block(user=a.user, member_public_id=outsider.user.public_id)
    return public_id, a, b, outsider


def _http(outsider: Profile | None, public_id: str) -> list[tuple[str, int, bytes]]:
    client = Client()
    if outsider is not None:
        client.force_login(outsider.user)
    pages = [
        f"/messages/{public_id}/",
        "/messages/",
        "/messages/new/",
        "/notifications/",
        "/api/v1/messages",
        f"/api/v1/messages/{public_id}",
    ]
    answers = [(url, *_get(client, url)) for url in pages]
    if outsider is not None:
        key = api_token_create(user=outsider.user, name="canary").key
        token = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        answers += [
            (f"token {url}", *_get(token, url))
            for url in ("/api/v1/messages", f"/api/v1/messages/{public_id}")
        ]
        posted = client.post(f"/messages/{public_id}/", {"body": "hello?"})
        answers.append(("post thread", posted.status_code, posted.content))
    return answers


def _told(outsider: Profile | None, public_id: str) -> int:
    if outsider is None:
        return 0
    return Notification.objects.filter(recipient=outsider.user, url__contains=public_id).count()


def _get(client: Client, url: str) -> tuple[int, bytes]:
    response = client.get(url, follow=True)
    return response.status_code, response.content


@pytest.mark.parametrize("role", ROLES)
def test_the_canary_never_reaches_an_outsider(role):
    # given
    public_id, _, b, outsider = _world(role)
    told_before = _told(outsider, public_id)
    cookie = None
    if outsider is not None:
        client = Client()
        client.force_login(outsider.user)
        cookie = f"sessionid={client.cookies['sessionid'].value}".encode()

    # when: the outsider listens on a socket while a member writes another canary
    async def listen() -> tuple[bool, bool]:
        headers = [(b"origin", b"http://localhost")]
        if cookie is not None:
            headers.append((b"cookie", cookie))
        socket = WebsocketCommunicator(application, "/ws/messages/", headers=headers)
        connected, _ = await socket.connect()
        await database_sync_to_async(services.message_send)(
            sender=b.user, conversation_public_id=public_id, body=f"second {CANARY}"
        )
        heard = connected and not await socket.receive_nothing(timeout=0.5)
        if connected:
            await socket.disconnect()
        return connected, heard

    connected, heard = async_to_sync(listen)()
    answers = _http(outsider, public_id)

    # then
    assert connected is (outsider is not None)
    assert heard is False
    for channel, status, content in answers:
        assert CANARY.encode() not in content, channel
        assert status in (200, 401, 404), channel
    thread = {channel: status for channel, status, _ in answers}
    expected = 200 if outsider is None else 404  # anonymous: the login page
    assert thread[f"/messages/{public_id}/"] == expected
    if outsider is not None:
        assert thread[f"/api/v1/messages/{public_id}"] == 404
        assert thread[f"token /api/v1/messages/{public_id}"] == 404
        assert thread["post thread"] == 404
    assert _told(outsider, public_id) == told_before
