"""Real-time delivery: each signed-in socket listens on its member's own channel-layer group.

A message is pushed after its transaction commits, to the groups of the participants who may
read it, never to a group named by a client.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"messages.user.{user_id}"


def push(*, user_ids: Iterable[int], payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    send = async_to_sync(layer.group_send)
    for user_id in sorted(set(user_ids)):
        try:
            send(user_group(user_id), {"type": "message.event", "payload": payload})
        except Exception:
            # Real time is a convenience: the message is stored and the page shows it. A
            # channel layer that is down must not turn a sent message into an error.
            logger.exception("Could not push a %s event", payload.get("type"))
