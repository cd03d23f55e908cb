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


TITLE_MAX_LENGTH = 140
POST_MAX_LENGTH = 10_000
COMMENT_MAX_LENGTH = 4_000
LINK_MAX_LENGTH = 500
HASHTAG_MAX_LENGTH = 50


class Hashtag(models.Model):
    """A hashtag, stored case-folded: #Kittens and #kittens are one tag."""

    name = models.CharField(max_length=HASHTAG_MAX_LENGTH, unique=True)

    def __str__(self) -> str:
        return f"#{self.name}"


class Post(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_posts"
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(max_length=POST_MAX_LENGTH)
    link_url = models.URLField(max_length=LINK_MAX_LENGTH, blank=True)
    hashtags = models.ManyToManyField(Hashtag, related_name="posts", blank=True)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    # Soft removal by an organizer: the post stays in place as "removed by an organizer".
    removed_at = models.DateTimeField(null=True, blank=True)
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["group", "-pinned", "-created_at"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self) -> str:
        # Not the title: a private group's posts are for its members (the admin shows this).
        return self.public_id

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class Comment(models.Model):
    public_id = models.CharField(max_length=16, unique=True, default=new_public_id, editable=False)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_comments"
    )
    body = models.TextField(max_length=COMMENT_MAX_LENGTH)
    removed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["post", "created_at"])]

    def __str__(self) -> str:
        return self.public_id

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class Emoji(models.TextChoices):
    THUMBS_UP = "thumbs_up", "👍"
    HEART = "heart", "❤️"
    PARTY = "party", "🎉"
    IDEA = "idea", "💡"
    LAUGH = "laugh", "😂"


class Reaction(models.Model):
    """One member's emoji on a post or a comment; the database keeps each one unique."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_reactions"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions"
    )
    emoji = models.CharField(max_length=10, choices=Emoji.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=(models.Q(post__isnull=False) & models.Q(comment__isnull=True))
                | (models.Q(post__isnull=True) & models.Q(comment__isnull=False)),
                name="reaction_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(emoji__in=["thumbs_up", "heart", "party", "idea", "laugh"]),
                name="reaction_emoji_valid",
            ),
            models.UniqueConstraint(
                fields=["user", "post", "emoji"],
                condition=models.Q(post__isnull=False),
                name="reaction_unique_on_post",
            ),
            models.UniqueConstraint(
                fields=["user", "comment", "emoji"],
                condition=models.Q(comment__isnull=False),
                name="reaction_unique_on_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.emoji}"


class Announcement(models.Model):
    """An organizer announcing a new group to the members who match it."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="announcements")
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_announcements"
    )
    # Members who match the group when it is announced; the background job notifies them.
    reached = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["group", "-created_at"]),
            models.Index(fields=["organizer", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} by {self.organizer_id}"


class NicheLevel(models.TextChoices):
    REGION = "region", "Region"
    COUNTRY = "country", "Country"
    EVERYWHERE = "everywhere", "Everywhere"


class UnmetNiche(models.Model):
    """A combination of 2–3 interests that enough members of a place share and no group
    covers. Replaced as a whole by each mining run."""

    level = models.CharField(max_length=10, choices=NicheLevel.choices)
    country_key = models.CharField(max_length=80, blank=True)
    region_key = models.CharField(max_length=80, blank=True)
    place = models.CharField(max_length=170, blank=True)
    interest_a = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="+")
    interest_b = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="+")
    interest_c = models.ForeignKey(
        Interest, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    member_count = models.PositiveIntegerField()
    # How many times more members share the combination than if interests were independent:
    # a high lift is a real niche, a low one two popular interests that meet by chance.
    lift = models.FloatField(default=1.0)
    mined_at = models.DateTimeField()

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["level", "country_key", "region_key", "-member_count"]),
        ]

    def __str__(self) -> str:
        return f"{self.place or self.level}: {self.member_count}"

    @property
    def interest_ids(self) -> list[int]:
        ids = [self.interest_a_id, self.interest_b_id, self.interest_c_id]
        return [i for i in ids if i is not None]
