"""Interest groups: a set of interests (all required), a scope and place, a visibility."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from commonground.accounts.models import new_public_id
from commonground.interests.models import Interest

NAME_MAX_LENGTH = 80
DESCRIPTION_MAX_LENGTH = 4000
MAX_GROUP_INTERESTS = 5


class GroupScope(models.TextChoices):
    LOCAL = "local", "Local: one city"
    REGIONAL = "regional", "Regional: one region"
    NATIONAL = "national", "National: one country"
    VIRTUAL = "virtual", "Virtual: anywhere, online"


class GroupVisibility(models.TextChoices):
    PUBLIC = "public", "Public: anyone can join"
    PRIVATE = "private", "Private: listed, members join on approval"
    SECRET = "secret", "Secret: unlisted, by invitation only"


class Group(models.Model):
    # The public id is the slug: URLs never carry a guessable or meaningful key.
    slug = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    description = models.TextField(max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    interests = models.ManyToManyField(Interest, related_name="groups")
    scope = models.CharField(max_length=10, choices=GroupScope.choices, default=GroupScope.VIRTUAL)
    city = models.CharField(max_length=80, blank=True)
    region = models.CharField(max_length=80, blank=True)
    country = models.CharField(max_length=80, blank=True)
    # Lower-cased copies for exact place comparisons, as on profiles.
    city_key = models.CharField(max_length=80, blank=True)
    region_key = models.CharField(max_length=80, blank=True)
    country_key = models.CharField(max_length=80, blank=True)
    visibility = models.CharField(
        max_length=8, choices=GroupVisibility.choices, default=GroupVisibility.PUBLIC
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groups_created",
    )
    # Active members, kept current by the membership services with F() updates.
    member_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(scope__in=["local", "regional", "national", "virtual"]),
                name="group_scope_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=["public", "private", "secret"]),
                name="group_visibility_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["visibility", "scope"])]

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.city, self.region, self.country) if part)


class MembershipRole(models.TextChoices):
    OWNER = "owner", "Owner"
    ORGANIZER = "organizer", "Organizer"
    MEMBER = "member", "Member"


class MembershipState(models.TextChoices):
    ACTIVE = "active", "Member"
    REQUESTED = "requested", "Asked to join"
    INVITED = "invited", "Invited"


class Membership(models.Model):
    """One row per (group, member) whatever the state: the database keeps it unique, so
    concurrent joins, requests and invitations cannot make a second one."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(
        max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    state = models.CharField(
        max_length=10, choices=MembershipState.choices, default=MembershipState.ACTIVE
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["group", "user"], name="membership_unique"),
            # At most one owner per group; the services keep it exactly one.
            models.UniqueConstraint(
                fields=["group"],
                condition=models.Q(role="owner"),
                name="membership_one_owner",
            ),
            # Only active members hold a role above member.
            models.CheckConstraint(
                condition=models.Q(role="member") | models.Q(state="active"),
                name="membership_role_needs_active",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["owner", "organizer", "member"]),
                name="membership_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["active", "requested", "invited"]),
                name="membership_state_valid",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["user", "state"]),
            models.Index(fields=["group", "state", "role"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id} ({self.role}, {self.state})"

    @property
    def is_active(self) -> bool:
        return self.state == MembershipState.ACTIVE

    @property
    def is_organizer(self) -> bool:
        return self.is_active and self.role in (MembershipRole.OWNER, MembershipRole.ORGANIZER)

    @property
    def is_owner(self) -> bool:
        return self.is_active and self.role == MembershipRole.OWNER
