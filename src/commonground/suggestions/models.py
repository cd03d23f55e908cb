from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class Suggestion(models.Model):
    """One of a member's precomputed 'people for you', best first."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions"
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "candidate"], name="suggestion_unique_pair"),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["user", "rank"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.candidate_id} (#{self.rank})"


class Dismissal(models.Model):
    """'Not for me': remembered, and the pair is never suggested again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dismissals"
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "candidate"], name="dismissal_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ✕ {self.candidate_id}"


class LearnedRanking(models.Model):
    """The engine's learned re-ranking model from the last full match (one row).

    Refreshing one member's list after an edit reuses it instead of learning again (the
    learning costs about four passes over every member); ``commonground match`` learns it
    afresh each time. See docs/decisions/0003."""

    key = models.CharField(max_length=32, unique=True, default="people-for-you")
    model = models.JSONField()
    members = models.PositiveIntegerField()  # community size when it was learned
    learned_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"learned ranking of {self.members} members, {self.learned_at:%Y-%m-%d %H:%M}"
