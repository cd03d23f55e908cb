"""The websocket at /ws/messages/: one per signed-in tab.

A socket joins only its own member's group; what reaches it is decided by the send service,
never by a conversation id a client names. Sending over the socket goes through the same
service and rule as the page and the API.
"""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from commonground.accounts.models import User
from commonground.core.errors import ApplicationError
from commonground.messaging import services
from commonground.messaging.services.delivery import user_group

# Close codes in the application range (4000-4999): the client does not retry these.
UNAUTHENTICATED = 4401
MAX_FRAME = 20_000


class MessagesConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=UNAUTHENTICATED)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data) > MAX_FRAME:
            await self.send_json({"type": "error", "code": "invalid", "message": "Bad frame."})
            return
        await super().receive(text_data=text_data)

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        try:
            return json.loads(text_data)
        except ValueError:
            return None

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or content.get("type") not in ("send", "read"):
            await self.send_json(
                {"type": "error", "code": "invalid", "message": "Send {type: send|read}."}
            )
            return
        conversation = content.get("conversation")
        body = content.get("body", "")
        if not isinstance(conversation, str) or not isinstance(body, str):
            await self.send_json(
                {"type": "error", "code": "invalid", "message": "Name a conversation."}
            )
            return
        # The socket may outlive the account: a member deactivated since it opened (or
        # deleted) writes nothing more, as their next request would be refused too.
        user = await self._active_user()
        if user is None:
            await self.close(code=UNAUTHENTICATED)
            return
        try:
            if content["type"] == "send":
                await self._send(user, conversation, body)
            else:
                await self._read(user, conversation)
        except ApplicationError as error:
            await self.send_json({"type": "error", **error.as_dict(), "conversation": conversation})

    @database_sync_to_async
    def _active_user(self) -> User | None:
        return User.objects.filter(pk=self.scope["user"].pk, is_active=True).first()

    @database_sync_to_async
    def _send(self, user: User, conversation: str, body: str) -> None:
        services.message_send(sender=user, conversation_public_id=conversation, body=body)

    @database_sync_to_async
    def _read(self, user: User, conversation: str) -> None:
        services.conversation_mark_read(user=user, conversation_public_id=conversation)

    async def message_event(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
