"""Adding people to a small-group conversation: its creator only, up to 8 others in all,
each someone the creator may message. Someone added sees the messages from then on."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.models import User
from commonground.messaging.errors import ConversationNotFound, MessageInvalid, NotCreator
from commonground.messaging.models import MAX_OTHERS, Conversation, Participant
from commonground.messaging.selectors import (
    conversation_get,
    display_name_of,
    message_permission,
)
from commonground.messaging.services.conversations import recipients_for, refusal_error
from commonground.notifications.services import notify
from commonground.profiles.selectors import Viewer


def conversation_participants_add(
    *, user: User, conversation_public_id: str, member_public_ids: Sequence[str]
) -> list[User]:
    """Add members to a small-group conversation the user started; answers those added
    (members already in it are left as they are)."""
    view = conversation_get(viewer=Viewer.for_user(user), public_id=conversation_public_id)
    if not view.is_group:
        raise MessageInvalid(
            "A one-to-one conversation stays between the two of you. Start a new conversation "
            "with everyone instead.",
            field="to",
        )
    if not view.is_creator:
        raise NotCreator("Only the member who started this conversation can add people.")
    wanted = recipients_for(sender=user, public_ids=member_public_ids)
    with transaction.atomic():
        # One writer at a time per conversation, so two additions cannot pass the cap.
        list(Conversation.objects.select_for_update().filter(pk=view.conversation.pk))
        active = set(
            Participant.objects.filter(
                conversation=view.conversation, left_at__isnull=True
            ).values_list("user_id", flat=True)
        )
        if user.pk not in active:
            # Left (from another tab) since the check above: no longer theirs to add to.
            raise ConversationNotFound("No such conversation.")
        new = [member for member in wanted if member.pk not in active]
        if len(active - {user.pk}) + len(new) > MAX_OTHERS:
            raise MessageInvalid(
                f"A conversation takes at most {MAX_OTHERS} people besides you.", field="to"
            )
        for member in new:
            permission = message_permission(sender_id=user.pk, recipient_id=member.pk)
            if not permission.allowed:
                raise refusal_error(permission, recipient_id=member.pk)
        now = timezone.now()
        for member in new:
            Participant.objects.update_or_create(
                conversation=view.conversation,
                user=member,
                defaults={
                    "joined_at": now,
                    "left_at": None,
                    "last_read_at": None,
                    "unread_count": 0,
                },
            )
        subject = view.conversation.subject
        where = f"“{subject}”" if subject else "a conversation"
        text = f"{display_name_of(user.pk)} added you to {where}"
        url = reverse("messaging:thread", args=[view.public_id])
        for member in new:
            notify(
                recipient=member,
                kind="messaging.message",
                text=text[:200],
                url=url,
                actor=user,
                thread_key=f"conversation:{view.public_id}",
            )
    return new
