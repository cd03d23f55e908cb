"""Rate limits on messaging, counted in the database while the sender's row is locked, so
concurrent sends by one member count exactly (SQLite serializes writers already)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from commonground.accounts.models import User
from commonground.messaging.errors import TooManyMessages, TooManyNewConversations
from commonground.messaging.models import Conversation, Message

MESSAGES_PER_MINUTE = 30
NEW_CONVERSATIONS_PER_DAY = 20


def messages_per_minute() -> int:
    return int(getattr(settings, "MESSAGING_MESSAGES_PER_MINUTE", MESSAGES_PER_MINUTE))


def new_conversations_per_day() -> int:
    return int(getattr(settings, "MESSAGING_NEW_CONVERSATIONS_PER_DAY", NEW_CONVERSATIONS_PER_DAY))


def lock_sender(user_id: int) -> None:
    """Serialize one member's sends (NO KEY UPDATE: rows that merely reference the member are
    not blocked). Call inside the transaction that counts and inserts."""
    list(User.objects.select_for_update(no_key=True).filter(pk=user_id).values_list("pk"))


def check_message_rate(sender_id: int) -> None:
    limit = messages_per_minute()
    since = timezone.now() - timedelta(minutes=1)
    if Message.objects.filter(sender_id=sender_id, created_at__gt=since).count() >= limit:
        raise TooManyMessages(
            f"You're sending messages too fast: at most {limit} a minute. "
            "Wait a moment, then send it again."
        )


def check_new_conversation_rate(sender_id: int) -> None:
    limit = new_conversations_per_day()
    since = timezone.now() - timedelta(days=1)
    started = Conversation.objects.filter(
        created_by_id=sender_id, to_non_connection=True, created_at__gt=since
    ).count()
    if started >= limit:
        raise TooManyNewConversations(
            f"You can start at most {limit} conversations a day with members who are not "
            "your connections. Try again tomorrow, or ask to connect first.",
            field="to",
        )
