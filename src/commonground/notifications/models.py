"""Notifications, and each member's preferences for how they hear about each kind."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from commonground.accounts.models import new_public_id

TEXT_MAX_LENGTH = 300
URL_MAX_LENGTH = 500
THREAD_KEY_MAX_LENGTH = 120
KIND_MAX_LENGTH = 64
# A preference row with this kind stands for "no email at all" (unsubscribe from everything).
ALL_KINDS = "all"


class EmailFrequency(models.TextChoices):
    OFF = "off", "Never"
    IMMEDIATE = "immediate", "Right away"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"


class Delivery(models.TextChoices):
    """How one notification reaches the member's inbox, decided when it is written."""

    NONE = "none", "No email"
    IMMEDIATE = "immediate", "Email right away"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"


class Digest(models.Model):
    """One digest email: claimed notifications point at it, so a retried or concurrent run
    sends what was claimed once, and never claims a notification twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=10)
    created_at = models.DateTimeField(default=timezone.now)
    # A lease: the run sending it set this; another run takes over only after it expires.
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(period__in=["daily", "weekly"]), name="digest_period_valid"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(
                fields=["period", "created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="digest_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} digest for {self.recipient_id}"


class Notification(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=KIND_MAX_LENGTH)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.CharField(max_length=TEXT_MAX_LENGTH)
    url = models.CharField(max_length=URL_MAX_LENGTH, blank=True)
    thread_key = models.CharField(max_length=THREAD_KEY_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Off when the member wants this kind by email only: then it never shows in the list.
    in_app = models.BooleanField(default=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.NONE)
    emailed_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(delivery__in=["none", "immediate", "daily", "weekly"]),
                name="notification_delivery_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True, in_app=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["delivery", "recipient"],
                condition=models.Q(digest__isnull=True, emailed_at__isnull=True),
                name="notification_undigested",
            ),
            models.Index(fields=["recipient", "thread_key"], name="notification_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.text[:40]}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A member's choice for one kind. Without a row, the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=KIND_MAX_LENGTH)
    in_app = models.BooleanField(default=True)
    email = models.CharField(max_length=10, choices=EmailFrequency.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique"),
            models.CheckConstraint(
                condition=models.Q(email__in=["off", "immediate", "daily", "weekly"]),
                name="notification_preference_email_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: in_app={self.in_app} email={self.email}"
