from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from commonground.core.visibility import Visibility


class Reach(models.TextChoices):
    LOCAL = "local", "Local: my city"
    REGIONAL = "regional", "Regional: my region"
    NATIONAL = "national", "National: my country"
    VIRTUAL = "virtual", "Virtual: anywhere, online"


class OpenTo(models.TextChoices):
    FRIENDS = "friends", "Making friends"
    FIND_MENTOR = "find_mentor", "Finding a mentor"
    MENTORING = "mentoring", "Mentoring others"
    HIRING = "hiring", "Hiring"
    JOB_SEEKING = "job_seeking", "Job seeking"
    FREELANCE = "freelance", "Freelance work"
    COLLABORATIONS = "collaborations", "Collaborations"


# Each field group a member can hide, and the profile fields in it.
VISIBILITY_GROUPS: dict[str, tuple[str, ...]] = {
    "headline": ("headline",),
    "bio": ("bio",),
    "work": ("profession", "industry", "organization"),
    "location": ("city", "region", "country"),
    "open_to": ("open_to",),
    "interests": ("interests",),
}
DEFAULT_VISIBILITY: dict[str, str] = {
    "headline": Visibility.EVERYONE,
    "bio": Visibility.MEMBERS,
    "work": Visibility.MEMBERS,
    "location": Visibility.MEMBERS,
    "open_to": Visibility.MEMBERS,
    "interests": Visibility.MEMBERS,
}


def _visibility_field(group: str) -> models.CharField[str, str]:
    return models.CharField(
        max_length=12, choices=Visibility.choices, default=DEFAULT_VISIBILITY[group]
    )


class Profile(models.Model):
    class OnboardingStep(models.IntegerChoices):
        ABOUT = 1, "About you"
        INTERESTS = 2, "Your interests"
        OPEN_TO = 3, "Open to"
        DONE = 4, "Done"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=80, blank=True)
    headline = models.CharField(max_length=140, blank=True)
    bio = models.TextField(max_length=2000, blank=True)
    profession = models.CharField(max_length=80, blank=True)
    industry = models.CharField(max_length=80, blank=True)
    organization = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=80, blank=True)
    region = models.CharField(max_length=80, blank=True)
    country = models.CharField(max_length=80, blank=True)
    # Lower-cased copies for exact, indexable location and profession filters.
    city_key = models.CharField(max_length=80, blank=True, db_index=True)
    region_key = models.CharField(max_length=80, blank=True, db_index=True)
    country_key = models.CharField(max_length=80, blank=True, db_index=True)
    profession_key = models.CharField(max_length=80, blank=True, db_index=True)
    reach = models.CharField(max_length=10, choices=Reach.choices, default=Reach.REGIONAL)
    open_to = models.JSONField(default=list, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    onboarding_step = models.PositiveSmallIntegerField(
        choices=OnboardingStep.choices, default=OnboardingStep.ABOUT
    )
    headline_visibility = _visibility_field("headline")
    bio_visibility = _visibility_field("bio")
    work_visibility = _visibility_field("work")
    location_visibility = _visibility_field("location")
    open_to_visibility = _visibility_field("open_to")
    interests_visibility = _visibility_field("interests")
    # The warm-up path's next gentle step on the home page; members can hide it.
    show_warmup = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["interests_visibility"]),
        ]

    def __str__(self) -> str:
        return self.display_name or f"Member {self.user_id}"

    @property
    def is_onboarded(self) -> bool:
        return self.onboarding_step >= self.OnboardingStep.DONE

    def visibility_of(self, group: str) -> str:
        return str(getattr(self, f"{group}_visibility"))
