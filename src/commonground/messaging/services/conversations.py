"""Starting, opening and leaving conversations.

A one-to-one conversation is unique per pair (a database constraint on the ordered pair), so
concurrent "start a conversation" calls make one and the others answer with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.validation import clean_text
from commonground.messaging.errors import MessageInvalid, MessagingNotAllowed
from commonground.messaging.models import (
    MAX_OTHERS,
    SUBJECT_MAX_LENGTH,
    Conversation,
    ConversationKind,
    ConversationOrigin,
    Message,
    Participant,
)
from commonground.messaging.selectors import (
    Permission,
    conversation_get,
    direct_conversation_between,
    display_name_of,
    message_permission,
)
from commonground.messaging.services.limits import check_new_conversation_rate, lock_sender
from commonground.messaging.services.messages import clean_body, deliver
from commonground.network.services.members import member_for
from commonground.profiles.errors import MemberNotFound
from commonground.profiles.selectors import Viewer


def refusal_error(permission: Permission, *, recipient_id: int) -> Exception:
    name = display_name_of(recipient_id)
    if permission.reason == "blocked":
        return MemberNotFound("No such member.", field="to")
    if permission.reason == "self":
        return MessageInvalid("You can't write to yourself.", field="to")
    if permission.reason == "nobody_new":
        return MessagingNotAllowed(f"{name} isn't taking new conversations.", field="to")
    if permission.reason == "connections_only":
        return MessagingNotAllowed(
            f"{name} takes messages from connections only. Ask to connect first.", field="to"
        )
    return MessagingNotAllowed(
        f"You can write to your connections, people you're introduced to, and members of a "
        f"group you share. {name} is none of these yet: ask to connect first.",
        field="to",
    )


def recipients_for(*, sender: User, public_ids: Sequence[str]) -> list[User]:
    wanted = list(dict.fromkeys(p.strip() for p in public_ids if p and p.strip()))
    if not wanted:
        raise MessageInvalid("Choose who to write to.", field="to")
    if sender.public_id in wanted:
        raise MessageInvalid("You can't write to yourself.", field="to")
    if len(wanted) > MAX_OTHERS:
        raise MessageInvalid(
            f"A conversation takes at most {MAX_OTHERS} people besides you.", field="to"
        )
    viewer = Viewer.for_user(sender)
    try:
        return [member_for(viewer=viewer, public_id=public_id) for public_id in wanted]
    except MemberNotFound as error:
        error.field = "to"
        raise


def conversation_start(
    *, sender: User, recipient_public_ids: Sequence[str], body: str, subject: str = ""
) -> Message:
    """Write to one member (their one-to-one conversation, started or continued) or to a few
    (a new small-group conversation). Each must be someone the sender may message."""
    body = clean_body(body)
    subject = clean_text(subject, field="subject", max_length=SUBJECT_MAX_LENGTH)
    recipients = recipients_for(sender=sender, public_ids=recipient_public_ids)
    with transaction.atomic():
        lock_sender(sender.pk)
        permissions = []
        for recipient in recipients:
            permission = message_permission(sender_id=sender.pk, recipient_id=recipient.pk)
            if not permission.allowed:
                raise refusal_error(permission, recipient_id=recipient.pk)
            permissions.append(permission)
        new_contact = any(p.counts_as_new_contact for p in permissions)
        if len(recipients) == 1:
            conversation = _direct(sender=sender, other=recipients[0], new_contact=new_contact)
        else:
            if new_contact:
                check_new_conversation_rate(sender.pk)
            conversation = _create(
                kind=ConversationKind.GROUP,
                origin=ConversationOrigin.GROUP if new_contact else ConversationOrigin.DIRECT,
                members=[sender, *recipients],
                subject=subject,
                created_by=sender,
                to_non_connection=new_contact,
            )
        viewer = Viewer.for_user(sender)
        return deliver(sender=sender, viewer=viewer, conversation=conversation, body=body)


def _direct(*, sender: User, other: User, new_contact: bool) -> Conversation:
    existing = direct_conversation_between(user_id=sender.pk, other_id=other.pk)
    if existing is not None:
        return existing
    if new_contact:
        check_new_conversation_rate(sender.pk)
    return _create_direct(
        members=[sender, other],
        origin=ConversationOrigin.GROUP if new_contact else ConversationOrigin.DIRECT,
        created_by=sender,
        to_non_connection=new_contact,
    )


def _create_direct(
    *,
    members: list[User],
    origin: str,
    created_by: User | None,
    to_non_connection: bool = False,
    subject: str = "",
) -> Conversation:
    low, high = sorted(m.pk for m in members)
    try:
        with transaction.atomic():
            return _create(
                kind=ConversationKind.DIRECT,
                origin=origin,
                members=members,
                subject=subject,
                created_by=created_by,
                to_non_connection=to_non_connection,
                pair=(low, high),
            )
    except IntegrityError:
        # A concurrent start for this pair won: answer with its conversation.
        return Conversation.objects.get(
            kind=ConversationKind.DIRECT, user_low_id=low, user_high_id=high
        )


def _create(
    *,
    kind: str,
    origin: str,
    members: list[User],
    subject: str,
    created_by: User | None,
    to_non_connection: bool = False,
    pair: tuple[int, int] | None = None,
    members_key: str | None = None,
) -> Conversation:
    now = timezone.now()
    conversation = Conversation.objects.create(
        kind=kind,
        origin=origin,
        subject=subject,
        created_by=created_by,
        to_non_connection=to_non_connection,
        user_low_id=pair[0] if pair else None,
        user_high_id=pair[1] if pair else None,
        members_key=members_key,
        created_at=now,
    )
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user=m, joined_at=now) for m in members]
    )
    return conversation


def conversation_open(*, members: list[User], origin: str, subject: str = "") -> str:
    """Open (or find) the conversation among exactly these members, for a caller that has
    decided they may talk (an accepted introduction). Returns its public id. Two members share
    their one-to-one conversation; more share one conversation per exact set and origin."""
    unique = list({m.pk: m for m in members}.values())
    if len(unique) < 2:
        raise MessageInvalid("A conversation needs at least two members.", field="members")
    if len(unique) > MAX_OTHERS + 1:
        raise MessageInvalid(
            f"A conversation takes at most {MAX_OTHERS + 1} members.", field="members"
        )
    if origin not in ConversationOrigin.values:
        raise MessageInvalid("Unknown origin.", field="origin")
    subject = clean_text(subject, field="subject", max_length=SUBJECT_MAX_LENGTH)
    if len(unique) == 2:
        existing = direct_conversation_between(user_id=unique[0].pk, other_id=unique[1].pk)
        if existing is not None:
            return existing.public_id
        with transaction.atomic():
            created = _create_direct(
                members=unique, origin=origin, created_by=None, subject=subject
            )
        return created.public_id
    key = f"{origin}:" + "-".join(str(pk) for pk in sorted(m.pk for m in unique))
    found = Conversation.objects.filter(members_key=key).values_list("public_id", flat=True)
    if public_id := found.first():
        return public_id
    try:
        with transaction.atomic():
            conversation = _create(
                kind=ConversationKind.GROUP,
                origin=origin,
                members=unique,
                subject=subject,
                created_by=None,
                members_key=key,
            )
    except IntegrityError:
        return Conversation.objects.get(members_key=key).public_id
    return conversation.public_id


def conversation_leave(*, user: User, conversation_public_id: str) -> None:
    """Leave a small-group conversation: its messages stop reaching you, and it leaves your
    list. A one-to-one conversation cannot be left (block the member instead)."""
    view = conversation_get(viewer=Viewer.for_user(user), public_id=conversation_public_id)
    if not view.is_group:
        raise MessageInvalid(
            "You can't leave a one-to-one conversation. Block the member if they bother you.",
            field="conversation",
        )
    Participant.objects.filter(pk=view.seat.pk, left_at__isnull=True).update(
        left_at=timezone.now(), unread_count=0
    )
