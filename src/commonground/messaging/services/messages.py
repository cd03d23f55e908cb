"""Sending messages, marking a conversation read.

Every message goes through `deliver`: it is stored, counted as unread for the others, and
pushed over websockets and notified after the transaction commits.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.validation import clean_text
from commonground.messaging.errors import MessagingNotAllowed
from commonground.messaging.models import (
    BODY_MAX_LENGTH,
    Conversation,
    ConversationKind,
    Message,
    Participant,
)
from commonground.messaging.selectors import (
    conversation_get,
    display_name_of,
    message_payload,
)
from commonground.messaging.services.delivery import push
from commonground.messaging.services.limits import check_message_rate, lock_sender
from commonground.network.models import Mute
from commonground.notifications.services import notify
from commonground.profiles.selectors import Viewer


def clean_body(body: str | None) -> str:
    return clean_text(body, field="body", max_length=BODY_MAX_LENGTH, required=True)


def message_send(*, sender: User, conversation_public_id: str, body: str) -> Message:
    """Send a message in a conversation the sender takes part in (404 for any other)."""
    body = clean_body(body)
    with transaction.atomic():
        lock_sender(sender.pk)
        # Read blocks under the lock a block also takes: a block committed before this send
        # hides the conversation; one read before the lock would be stale (TOCTOU).
        viewer = Viewer.for_user(sender)
        view = conversation_get(viewer=viewer, public_id=conversation_public_id)
        return deliver(sender=sender, viewer=viewer, conversation=view.conversation, body=body)


def deliver(*, sender: User, viewer: Viewer, conversation: Conversation, body: str) -> Message:
    """Store and deliver a message. The caller holds the sender's lock in its transaction and
    has checked the sender takes part in the conversation."""
    if conversation.kind == ConversationKind.DIRECT:
        other_id = (
            conversation.user_high_id
            if conversation.user_low_id == sender.pk
            else conversation.user_low_id
        )
        if other_id is None or not User.objects.filter(pk=other_id, is_active=True).exists():
            raise MessagingNotAllowed("This member is no longer here.", field="body")
    check_message_rate(sender.pk)
    now = timezone.now()
    message = Message.objects.create(
        conversation=conversation, sender=sender, body=body, created_at=now
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    recipients = sorted(
        set(
            Participant.objects.filter(conversation=conversation, left_at__isnull=True)
            .exclude(user_id=sender.pk)
            .values_list("user_id", flat=True)
        )
        - viewer.blocked
    )
    Participant.objects.filter(conversation=conversation, user_id__in=recipients).update(
        unread_count=F("unread_count") + 1
    )
    Participant.objects.filter(conversation=conversation, user_id=sender.pk).update(
        last_read_at=now, unread_count=0
    )
    payload = message_payload(message, conversation=conversation)
    transaction.on_commit(lambda: push(user_ids=[*recipients, sender.pk], payload=payload))
    _notify(sender=sender, conversation=conversation, recipients=recipients)
    return message


def _notify(*, sender: User, conversation: Conversation, recipients: list[int]) -> None:
    """Tell each other participant, except those who muted the sender: a mute delivers
    quietly."""
    muting = set(
        Mute.objects.filter(muter_id__in=recipients, muted_id=sender.pk).values_list(
            "muter_id", flat=True
        )
    )
    name = display_name_of(sender.pk)
    if conversation.kind == ConversationKind.GROUP:
        text = f"{name} wrote in a conversation you're in"
    else:
        text = f"{name} sent you a message"
    url = reverse("messaging:thread", args=[conversation.public_id])
    for recipient in User.objects.filter(pk__in=[r for r in recipients if r not in muting]):
        notify(
            recipient=recipient,
            kind="messaging.message",
            text=text,
            url=url,
            actor=sender,
            thread_key=f"conversation:{conversation.public_id}",
        )


def conversation_mark_read(*, user: User, conversation_public_id: str) -> None:
    view = conversation_get(viewer=Viewer.for_user(user), public_id=conversation_public_id)
    Participant.objects.filter(pk=view.seat.pk).update(last_read_at=timezone.now(), unread_count=0)
    view.seat.unread_count = 0
