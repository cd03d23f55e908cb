"""Demo conversations for the demo logins (invented content only).

Idempotent: a conversation that exists (one-to-one per pair, or a small group by subject
among the same creator) is left as it is. Alex has one unread conversation from Sam.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from commonground.accounts.models import User
from commonground.messaging.models import (
    Conversation,
    ConversationKind,
    Message,
    Participant,
)
from commonground.network.models import Connection

# (sender: "alex" / "sam" / "other", text) in order; the last line's reader has not read it.
ALEX_AND_SAM = [
    ("alex", "Sam! Great to finally connect. Were you at the Caps game on Saturday?"),
    ("sam", "I was, section 108. That third period was something else."),
    ("alex", "Ha, we were two sections over. Next home game we should meet up."),
    ("sam", "Deal. Also: I'm running a stargazing night for the astronomy group in May."),
    (
        "sam",
        "Would you like to come? No telescope needed, we bring spares.\n"
        "Details: https://example.org/star-party",
    ),
]
ALEX_AND_OTHER = [
    ("other", "Hi Alex, I saw we're both into podcasts. Any favourites lately?"),
    ("alex", "The Tony Kornheiser Show, always. You?"),
    ("other", "Mostly science ones. I'll give Tony a try on my commute."),
]
GROUP_SUBJECT = "Star Trek watch-along"
GROUP = [
    ("alex", "Who's up for a Deep Space Nine rewatch, one episode a week?"),
    ("sam", "Count me in. Starting from season 1, or skipping ahead?"),
    ("other", "Season 1! The early episodes have their charm."),
    ("alex", "Season 1 it is. Thursday evenings?"),
]


def _demo_user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _a_connection_of(alex: User, *, exclude: set[int], rng: random.Random) -> User | None:
    rows = Connection.objects.filter(Q(user_low=alex) | Q(user_high=alex)).values_list(
        "user_low_id", "user_high_id"
    )
    ids = sorted({high if low == alex.pk else low for low, high in rows} - exclude)
    if not ids:
        return None
    return User.objects.filter(pk=rng.choice(ids[:50]), is_active=True).first()


def _write(
    *,
    kind: str,
    members: dict[str, User],
    lines: list[tuple[str, str]],
    start: timedelta,
    subject: str = "",
    read_all: bool = True,
) -> None:
    """One conversation with its messages, backdated, and true unread counts."""
    now = timezone.now()
    first = now - start
    creator = members[lines[0][0]]
    pair = sorted(u.pk for u in members.values()) if kind == ConversationKind.DIRECT else None
    conversation = Conversation.objects.create(
        kind=kind,
        subject=subject,
        created_by=creator,
        user_low_id=pair[0] if pair else None,
        user_high_id=pair[1] if pair else None,
        created_at=first,
    )
    step = start / (len(lines) + 1)
    created = first
    for who, text in lines:
        created += step
        Message.objects.create(
            conversation=conversation, sender=members[who], body=text, created_at=created
        )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=created)
    last_sender = members[lines[-1][0]]
    for user in members.values():
        unread = 0
        if not read_all and user != last_sender:
            unread = sum(1 for who, _ in lines[-2:] if members[who] == last_sender)
        Participant.objects.create(
            conversation=conversation,
            user=user,
            joined_at=first,
            last_read_at=None if unread else created,
            unread_count=unread,
        )


def seed_demo(*, seed: int) -> None:
    alex, sam = _demo_user("alex@demo.example"), _demo_user("sam@demo.example")
    if alex is None or sam is None:
        return
    rng = random.Random(seed)
    other = _a_connection_of(alex, exclude={sam.pk}, rng=rng)
    with transaction.atomic():
        low, high = sorted((alex.pk, sam.pk))
        if not Conversation.objects.filter(
            kind=ConversationKind.DIRECT, user_low_id=low, user_high_id=high
        ).exists():
            _write(
                kind=ConversationKind.DIRECT,
                members={"alex": alex, "sam": sam},
                lines=ALEX_AND_SAM,
                start=timedelta(hours=20),
                read_all=False,
            )
        if other is None:
            return
        low, high = sorted((alex.pk, other.pk))
        if not Conversation.objects.filter(
            kind=ConversationKind.DIRECT, user_low_id=low, user_high_id=high
        ).exists():
            _write(
                kind=ConversationKind.DIRECT,
                members={"alex": alex, "other": other},
                lines=ALEX_AND_OTHER,
                start=timedelta(days=3),
            )
        if not Conversation.objects.filter(created_by=alex, subject=GROUP_SUBJECT).exists():
            _write(
                kind=ConversationKind.GROUP,
                members={"alex": alex, "sam": sam, "other": other},
                lines=GROUP,
                start=timedelta(days=2),
                subject=GROUP_SUBJECT,
            )
