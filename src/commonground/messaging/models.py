"""Conversations (one-to-one and small groups), their participants and messages."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from commonground.accounts.models import new_public_id

BODY_MAX_LENGTH = 5_000
SUBJECT_MAX_LENGTH = 140
# A small-group conversation: its creator and at most this many others.
MAX_OTHERS = 8


class ConversationKind(models.TextChoices):
    DIRECT = "direct", "One-to-one"
    GROUP = "group", "Small group"


class ConversationOrigin(models.TextChoices):
    DIRECT = "direct", "Started by a member"
    INTRODUCTION = "introduction", "Opened by an introduction"
    GROUP = "group", "Started among group members"


class AllowFrom(models.TextChoices):
    CONNECTIONS = "connections", "My connections and people I'm introduced to"
    CONNECTIONS_AND_GROUPS = (
        "connections_and_groups",
        "My connections, introductions and members of my groups",
    )
    NOBODY_NEW = "nobody_new", "Nobody new: only conversations I already have"


class Conversation(models.Model):
    """A conversation. A one-to-one conversation is unique per pair of members (the pair is
    stored ordered, lower id first, and the database allows one); an introduction's
    conversation is unique per exact set of members (members_key)."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    kind = models.CharField(max_length=6, choices=ConversationKind.choices)
    origin = models.CharField(
        max_length=12, choices=ConversationOrigin.choices, default=ConversationOrigin.DIRECT
    )
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_low = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user_high = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    members_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # Started with someone who is not the creator's connection: counted by the daily limit.
    to_non_connection = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["user_low", "user_high"],
                condition=models.Q(kind="direct"),
                name="conversation_one_direct_per_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="group")
                | models.Q(
                    user_low__isnull=False,
                    user_high__isnull=False,
                    user_low__lt=models.F("user_high"),
                ),
                name="conversation_direct_has_ordered_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["direct", "group"]), name="conversation_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(origin__in=["direct", "introduction", "group"]),
                name="conversation_origin_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["created_by", "to_non_connection", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} conversation {self.public_id}"


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_seats"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)
    # Messages from others since last read, kept by the send service with F() updates, so the
    # header badge is one indexed SUM and the list needs no per-row count.
    unread_count = models.PositiveIntegerField(default=0)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["conversation", "user"], name="participant_unique"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["user", "left_at", "unread_count"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class Message(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["conversation", "-created_at", "-id"]),
            models.Index(fields=["sender", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"message {self.public_id}"


class MessagingSettings(models.Model):
    """Who may start a conversation with this member. No row means the default."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging_settings"
    )
    allow_from = models.CharField(
        max_length=24, choices=AllowFrom.choices, default=AllowFrom.CONNECTIONS_AND_GROUPS
    )

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(
                    allow_from__in=["connections", "connections_and_groups", "nobody_new"]
                ),
                name="messaging_settings_allow_from_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.allow_from}"
