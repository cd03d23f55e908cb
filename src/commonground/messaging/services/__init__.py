"""Messaging writes. One module per sub-domain.

Contract used by other apps:

    conversation_open(members=[a, b, c], origin="introduction", subject="…") -> str

opens (or returns the existing) conversation among exactly these members, for callers that
have already decided the members may talk (an accepted introduction), and returns its public
id. Members of a conversation an introduction opened may then message each other whatever
their settings (`selectors.message_permission`), until either blocks the other.
"""

from commonground.messaging.services.conversations import (
    conversation_leave,
    conversation_open,
    conversation_start,
)
from commonground.messaging.services.messages import (
    conversation_mark_read,
    message_send,
)
from commonground.messaging.services.participants import conversation_participants_add
from commonground.messaging.services.preferences import messaging_settings_update

__all__ = [
    "conversation_leave",
    "conversation_mark_read",
    "conversation_open",
    "conversation_participants_add",
    "conversation_start",
    "message_send",
    "messaging_settings_update",
]
