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
