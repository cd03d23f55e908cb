from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models


class InterestKind(models.TextChoices):
    HOBBY = "hobby", "Hobby"
    SPORT = "sport", "Sport"
    SPORTS_TEAM = "sports_team", "Sports team"
    LEAGUE = "league", "League"
    TV = "tv", "TV & podcasts"
    FILM = "film", "Film"
    BOOK = "book", "Books"
    GAME = "game", "Games"
    MUSIC = "music", "Music"
    FOOD = "food", "Food & drink"
    CAUSE = "cause", "Cause"
    PROFESSIONAL = "professional", "Professional topic"
    SKILL = "skill", "Skill"
    SCIENCE = "science", "Science"
    ARTS = "arts", "Arts"
    OUTDOORS = "outdoors", "Outdoors"
    TECH = "tech", "Technology"
    OTHER = "other", "Other"


class InterestStatus(models.TextChoices):
    CANONICAL = "canonical", "Canonical"
    PENDING = "pending", "Community-added, awaiting review"
    MERGED = "merged", "Merged into another interest"


class Interest(models.Model):
    name = models.CharField(max_length=80)
    name_key = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=90, unique=True)
    kind = models.CharField(max_length=16, choices=InterestKind.choices, default=InterestKind.OTHER)
    description = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=InterestStatus.choices, default=InterestStatus.CANONICAL
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interests_added",
    )
    # Kept current by the member-interest services (F() updates), so rarity weights and
    # counts never need a scan of the member-interest table.
    member_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["name"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["status", "-member_count"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pending(self) -> bool:
        return self.status == InterestStatus.PENDING


class InterestAlias(models.Model):
    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=80)
    alias_key = models.CharField(max_length=80, unique=True)

    class Meta:
        verbose_name_plural = "interest aliases"

    def __str__(self) -> str:
        return f"{self.alias} → {self.interest_id}"


class MemberInterestKind(models.TextChoices):
    PASSION = "passion", "Passion"
    SKILL = "skill", "Skill I can share"
    LEARN = "learn", "Want to learn"


class Intensity(models.IntegerChoices):
    CURIOUS = 1, "Curious"
    ENTHUSIAST = 2, "Enthusiast"
    EXPERT = 3, "Expert"


class MemberInterest(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_interests"
    )
    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(
        max_length=8, choices=MemberInterestKind.choices, default=MemberInterestKind.PASSION
    )
    intensity = models.PositiveSmallIntegerField(
        choices=Intensity.choices, default=Intensity.ENTHUSIAST
    )
    # The member's side of the engine's interest cosine: intensity weight / ||member's row||
    # (kept by member_interest_norms_refresh), so the directory ranks without a join.
    engine_weight = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["user", "interest"], name="member_interest_unique"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            # Covers the directory's ranking aggregate (interest → member, weight): no row look-ups.
            models.Index(fields=["interest", "user", "engine_weight"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.interest_id}"


class MemberInterestNorm(models.Model):
    """A member's interest row length as the engine weighs it, so pages can rank by its cosine.

    Written when the member edits their interests and for everybody by ``commonground match``
    (rarity drifts as the community grows); see :mod:`commonground.interests.weights`.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="interest_norm",
    )
    inverse = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return f"{self.user_id} · {self.inverse:.4f}"
