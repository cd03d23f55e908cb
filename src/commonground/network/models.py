from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from commonground.accounts.models import new_public_id

NOTE_MAX_LENGTH = 500


class Connection(models.Model):
    """An accepted, mutual connection, stored once with the lower user id first."""

    user_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    user_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["user_low", "user_high"], name="connection_unique_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(user_low__lt=models.F("user_high")),
                name="connection_ordered_pair",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["user_high", "user_low"])]

    def __str__(self) -> str:
        return f"{self.user_low_id} ↔ {self.user_high_id}"


class ConnectionRequest(models.Model):
    """A request to connect, with a personal note.

    The pair is also stored ordered (lower id first) so the database itself allows at most one
    pending request per pair, whichever way it points: concurrent identical requests, and two
    members requesting each other at the same moment, cannot both insert one.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    user_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    user_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # Requests to strangers (no mutual connection) are rate-limited; this is what is counted.
    to_stranger = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Set when the sender withdraws. A declined request the sender withdraws stays declined:
    # the sender was never told, and the decline still silences their later requests.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["user_low", "user_high"],
                condition=models.Q(state="pending"),
                name="connection_request_one_pending_per_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(user_low__lt=models.F("user_high")),
                name="connection_request_ordered_pair",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(sender=models.F("user_low"), recipient=models.F("user_high"))
                    | models.Q(sender=models.F("user_high"), recipient=models.F("user_low"))
                ),
                name="connection_request_pair_is_sender_and_recipient",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "accepted", "declined", "withdrawn"]),
                name="connection_request_state_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["recipient", "state"]),
            models.Index(fields=["sender", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.recipient_id} ({self.state})"


class Block(models.Model):
    """The blocker and the blocked no longer see each other anywhere."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["blocked", "blocker"])]

    def __str__(self) -> str:
        return f"{self.blocker_id} ⊘ {self.blocked_id}"


class Mute(models.Model):
    """The muter stays connected but no longer sees the muted member's activity."""

    muter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    muted = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(muter=models.F("muted")), name="mute_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} 🔇 {self.muted_id}"


REASON_MAX_LENGTH = 500
INTRODUCTION_MIN_PEOPLE = 2
INTRODUCTION_MAX_PEOPLE = 4


class Introduction(models.Model):
    """A member introduces two to four of their connections, with a reason (double opt-in).

    `participant_key` is the sorted participant ids joined by commas: with the partial unique
    constraint, the database allows one pending introduction of the same people by the same
    introducer, so concurrent identical introductions insert one row.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for answers"
        ACCEPTED = "accepted", "Everyone said yes"
        DECLINED = "declined", "Did not go ahead"
        EXPIRED = "expired", "Expired"

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    introducer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(max_length=REASON_MAX_LENGTH)
    participant_key = models.CharField(max_length=100)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    # The conversation opened when everyone accepted (the messaging app's public id).
    conversation_id = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["introducer", "participant_key"],
                condition=models.Q(state="pending"),
                name="introduction_one_pending_per_set",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "accepted", "declined", "expired"]),
                name="introduction_state_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["introducer", "created_at"]),
            models.Index(fields=["state", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.introducer_id} introduces {self.participant_key} ({self.state})"


class IntroductionParticipant(models.Model):
    class Answer(models.TextChoices):
        PENDING = "pending", "Not answered yet"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    introduction = models.ForeignKey(
        Introduction, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["introduction", "user"], name="introduction_participant_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(answer__in=["pending", "accepted", "declined"]),
                name="introduction_participant_answer_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["user", "introduction"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.introduction_id} ({self.answer})"


# Follow-ups live in their own module to keep this one short; imported so Django sees them.
from commonground.network.followup_models import (  # noqa: E402
    CADENCE_CHOICES,
    ContactNote,
    KeepInTouch,
    SharedArticle,
    ThankYouReminder,
)

__all__ = [
    "CADENCE_CHOICES",
    "INTRODUCTION_MAX_PEOPLE",
    "INTRODUCTION_MIN_PEOPLE",
    "NOTE_MAX_LENGTH",
    "REASON_MAX_LENGTH",
    "Block",
    "Connection",
    "ConnectionRequest",
    "ContactNote",
    "Introduction",
    "IntroductionParticipant",
    "KeepInTouch",
    "Mute",
    "SharedArticle",
    "ThankYouReminder",
]
