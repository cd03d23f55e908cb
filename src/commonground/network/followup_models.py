"""Follow-ups, a member's private relationship memory: notes, keep-in-touch cadences,
thank-you reminders, and articles shared with a contact.

Notes, cadences and reminders belong to their owner alone: no other member reads them on any
channel. Imported by `commonground.network.models`.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from commonground.accounts.models import new_public_id

CONTACT_NOTE_MAX_LENGTH = 5_000
ARTICLE_NOTE_MAX_LENGTH = 500
ARTICLE_URL_MAX_LENGTH = 2_000
THANK_YOU_REASON_MAX_LENGTH = 200
CADENCE_CHOICES = (14, 30, 60, 90, 180)


class ContactNote(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(max_length=CONTACT_NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("contact")), name="contact_note_not_self"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["owner", "contact", "created_at"])
        ]

    def __str__(self) -> str:
        return f"note {self.owner_id} → {self.contact_id}"


class KeepInTouch(models.Model):
    """Stay in touch with a contact every `cadence_days`.

    `due_at` is last contact (or the start) plus the cadence, kept by the services so the
    reminder sweep is one indexed query on any database; `reminded_at` after `due_at` means
    this lapse was already reminded of (the sweep is idempotent).
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    cadence_days = models.PositiveSmallIntegerField(
        choices=[(days, f"Every {days} days") for days in CADENCE_CHOICES]
    )
    last_contact_at = models.DateTimeField(null=True, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["owner", "contact"], name="keep_in_touch_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("contact")), name="keep_in_touch_not_self"
            ),
            models.CheckConstraint(
                condition=models.Q(cadence_days__in=CADENCE_CHOICES),
                name="keep_in_touch_cadence_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["due_at"])]

    def __str__(self) -> str:
        return f"{self.owner_id} ↺ {self.contact_id} every {self.cadence_days} days"


class ThankYouReminder(models.Model):
    """Send a thank-you note: after connecting, or after meeting at an event."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=THANK_YOU_REASON_MAX_LENGTH)  # "connected", "met at …"
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    dismissed = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["owner", "contact", "reason"], name="thank_you_unique_reason"
            ),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("contact")), name="thank_you_not_self"
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["owner", "done_at", "due_at"]),
            models.Index(fields=["due_at"]),
        ]

    def __str__(self) -> str:
        return f"thank {self.contact_id} ({self.reason})"


class SharedArticle(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(max_length=ARTICLE_URL_MAX_LENGTH)
    note = models.TextField(max_length=ARTICLE_NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["recipient", "created_at"]),
            models.Index(fields=["sender", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.recipient_id}: {self.url}"
