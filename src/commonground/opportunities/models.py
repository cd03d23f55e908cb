"""Opportunities shared through the network, referrals, and quiet open-to signals."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from commonground.accounts.models import new_public_id
from commonground.groups.models import Group
from commonground.interests.models import Interest

TITLE_MAX_LENGTH = 140
ORGANIZATION_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 10_000
COMPENSATION_MAX_LENGTH = 120
PLACE_MAX_LENGTH = 80
NOTE_MAX_LENGTH = 1_000
SIGNAL_NOTE_MAX_LENGTH = 280
MAX_TAGS = 10
MAX_AUDIENCE_GROUPS = 10
MAX_AUDIENCE_MEMBERS = 50


class OpportunityKind(models.TextChoices):
    JOB = "job", "Job"
    FREELANCE = "freelance", "Freelance project"
    COLLABORATION = "collaboration", "Collaboration"
    VOLUNTEER = "volunteer", "Volunteer role"


class OpportunityStatus(models.TextChoices):
    OPEN = "open", "Open"
    FILLED = "filled", "Filled"
    CLOSED = "closed", "Closed"


class Audience(models.TextChoices):
    EVERYONE = "everyone", "All members"
    CONNECTIONS = "connections", "My connections"
    SECOND_DEGREE = "second_degree", "My connections and theirs"
    GROUPS = "groups", "Members of specific groups"
    NAMED = "named", "Named members only"


class Opportunity(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunities_posted"
    )
    kind = models.CharField(max_length=14, choices=OpportunityKind.choices)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    organization = models.CharField(max_length=ORGANIZATION_MAX_LENGTH, blank=True)
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    skills = models.ManyToManyField(Interest, related_name="+", blank=True)
    interests = models.ManyToManyField(Interest, related_name="+", blank=True)
    remote = models.BooleanField(default=False)
    city = models.CharField(max_length=PLACE_MAX_LENGTH, blank=True)
    region = models.CharField(max_length=PLACE_MAX_LENGTH, blank=True)
    country = models.CharField(max_length=PLACE_MAX_LENGTH, blank=True)
    # Lower-cased copies for exact place comparisons, as on profiles.
    city_key = models.CharField(max_length=PLACE_MAX_LENGTH, blank=True)
    region_key = models.CharField(max_length=PLACE_MAX_LENGTH, blank=True)
    country_key = models.CharField(max_length=PLACE_MAX_LENGTH, blank=True)
    compensation = models.CharField(max_length=COMPENSATION_MAX_LENGTH, blank=True)
    expires_at = models.DateTimeField()
    status = models.CharField(
        max_length=8, choices=OpportunityStatus.choices, default=OpportunityStatus.OPEN
    )
    audience = models.CharField(max_length=14, choices=Audience.choices)
    audience_groups = models.ManyToManyField(Group, related_name="+", blank=True)
    audience_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "opportunities"
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["job", "freelance", "collaboration", "volunteer"]),
                name="opportunity_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "filled", "closed"]),
                name="opportunity_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    audience__in=["everyone", "connections", "second_degree", "groups", "named"]
                ),
                name="opportunity_audience_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["audience", "status"]),
            models.Index(fields=["poster", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.region, self.country) if part)


class ReferralStatus(models.TextChoices):
    AWAITING_CANDIDATE = "awaiting_candidate", "Waiting for the candidate"
    SUBMITTED = "submitted", "Submitted"
    REVIEWING = "reviewing", "Reviewing"
    INTERVIEWING = "interviewing", "Interviewing"
    HIRED = "hired", "Hired"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A referral stays "active" (blocking a second one for the same candidate) until it ends.
ENDED_REFERRAL_STATES = ("declined", "withdrawn")


class Referral(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="referrals")
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_made"
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals_received"
    )
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    status = models.CharField(
        max_length=18, choices=ReferralStatus.choices, default=ReferralStatus.AWAITING_CANDIDATE
    )
    candidate_agreed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["opportunity", "candidate"],
                condition=~models.Q(status__in=ENDED_REFERRAL_STATES),
                name="referral_one_active_per_candidate",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values),
                name="referral_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(referrer=models.F("candidate")),
                name="referral_not_self",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["candidate", "opportunity"]),
            models.Index(fields=["referrer", "created_at"]),
            models.Index(fields=["opportunity", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.referrer_id} refers {self.candidate_id} to {self.opportunity_id}"


class ReferralRequestStatus(models.TextChoices):
    OPEN = "open", "Waiting"
    REFERRED = "referred", "Referred"
    DECLINED = "declined", "Declined"


class ReferralRequest(models.Model):
    """A member asks a connection who works at the organization to refer them."""

    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="referral_requests"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    asked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    status = models.CharField(
        max_length=8, choices=ReferralRequestStatus.choices, default=ReferralRequestStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["opportunity", "requester", "asked"],
                name="referral_request_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} asks {self.asked_id} about {self.opportunity_id}"


class InterestExpression(models.Model):
    """A member tells the poster directly that they are interested."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="interest_expressions"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["opportunity", "member"], name="interest_expression_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} is interested in {self.opportunity_id}"


class MatchNotice(models.Model):
    """A member was told about a new opportunity that fits them: once, whatever retries."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["opportunity", "user"], name="match_notice_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} told of {self.opportunity_id}"


class SignalAudience(models.TextChoices):
    ONLY_ME = "only_me", "Only me"
    CONNECTIONS = "connections", "My connections"
    NAMED = "named", "Named members only"


class OpenToSignal(models.Model):
    """What a member is quietly open to, visible only to whom they choose."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="open_to_signal"
    )
    kinds = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=SIGNAL_NOTE_MAX_LENGTH, blank=True)
    audience = models.CharField(
        max_length=12, choices=SignalAudience.choices, default=SignalAudience.ONLY_ME
    )
    audience_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(audience__in=["only_me", "connections", "named"]),
                name="open_to_signal_audience_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} open to {self.kinds}"
