"""Asks and offers: a member asks their network, a group or the community for help (or offers
it), others answer, and the asker marks what helped. AskRouting records who was asked."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from commonground.accounts.models import new_public_id
from commonground.groups.models import Group
from commonground.interests.models import Interest

TITLE_MAX_LENGTH = 140
BODY_MAX_LENGTH = 5000
MAX_ASK_INTERESTS = 5
ASKS_PER_DAY = 5
ROUTED_PER_ASK = 10
REASON_MAX_LENGTH = 200


class AskKind(models.TextChoices):
    ASK = "ask", "Ask for help"
    OFFER = "offer", "Offer help"


class AskTopic(models.TextChoices):
    ADVICE = "advice", "Advice"
    INTRODUCTION = "introduction", "An introduction"
    REFERRAL = "referral", "A referral"
    FEEDBACK = "feedback", "Feedback"
    OTHER = "other", "Something else"


class AskAudience(models.TextChoices):
    NETWORK = "network", "My network: my connections"
    GROUP = "group", "One of my groups"
    COMMUNITY = "community", "The whole community"


class AskStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


class Ask(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asks"
    )
    kind = models.CharField(max_length=5, choices=AskKind.choices, default=AskKind.ASK)
    topic = models.CharField(max_length=12, choices=AskTopic.choices, default=AskTopic.ADVICE)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    body = models.TextField(max_length=BODY_MAX_LENGTH, blank=True)
    interests = models.ManyToManyField(Interest, related_name="asks", blank=True)
    audience = models.CharField(
        max_length=9, choices=AskAudience.choices, default=AskAudience.COMMUNITY
    )
    # Set exactly when the audience is a group (a check constraint holds it).
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="asks"
    )
    status = models.CharField(max_length=8, choices=AskStatus.choices, default=AskStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["ask", "offer"]), name="ask_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    topic__in=["advice", "introduction", "referral", "feedback", "other"]
                ),
                name="ask_topic_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "resolved", "closed"]),
                name="ask_status_valid",
            ),
            models.CheckConstraint(
                condition=(models.Q(audience="group") & models.Q(group__isnull=False))
                | (models.Q(audience__in=["network", "community"]) & models.Q(group__isnull=True)),
                name="ask_group_iff_group_audience",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "kind", "-created_at"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == AskStatus.OPEN

    @property
    def is_offer(self) -> bool:
        return self.kind == AskKind.OFFER


class Answer(models.Model):
    """One per (ask, member): answering again edits the answer (a database constraint)."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ask_answers"
    )
    body = models.TextField(max_length=BODY_MAX_LENGTH, blank=True)
    helpful = models.BooleanField(default=False)
    marked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["ask", "author"], name="answer_one_per_member"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["author", "helpful"]),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.ask_id}"


class AskRouting(models.Model):
    """Who the engine asked to help, why, and when they were told."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="routings")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ask_routings"
    )
    score = models.FloatField()
    reason = models.CharField(max_length=REASON_MAX_LENGTH)
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["ask", "member"], name="ask_routing_unique"),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["member", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.ask_id} → {self.member_id}"
