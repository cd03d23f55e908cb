"""Wire formats of the API. Inputs validate lengths, enums and NUL bytes at the edge."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field

from commonground.core.visibility import Visibility


def _no_control_chars(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise ValueError("Control characters are not allowed.")
    return value


Text = Annotated[str, AfterValidator(_no_control_chars)]
VisibilityLevel = Literal["everyone", "members", "connections", "only_me"]
ReachChoice = Literal["local", "regional", "national", "virtual"]
OpenToChoice = Literal[
    "friends", "find_mentor", "mentoring", "hiring", "job_seeking", "freelance", "collaborations"
]
InterestKindChoice = Literal["passion", "skill", "learn"]

assert set(VisibilityLevel.__args__) == set(Visibility.values)  # type: ignore[attr-defined]


class InterestOut(Schema):
    slug: str
    name: str
    kind: str
    description: str = ""
    status: str = "canonical"
    member_count: int = 0


class InterestSuggestionOut(Schema):
    slug: str
    name: str
    kind: str
    matched: str | None = None
    how: str
    member_count: int


class InterestRefOut(Schema):
    slug: str
    name: str
    kind: str
    weight: float = 0.0


class MemberInterestOut(Schema):
    slug: str
    name: str
    interest_kind: str
    kind: InterestKindChoice
    intensity: int
    pending_review: bool = False


class MemberOut(Schema):
    id: str
    display_name: str
    headline: str | None = None
    bio: str | None = None
    profession: str | None = None
    industry: str | None = None
    organization: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None
    reach: str | None = None
    open_to: list[str] | None = None
    interests: list[InterestRefOut] | None = None
    shared_interests: list[InterestRefOut] = []
    score: float = 0.0
    is_connection: bool = False


class MemberPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[MemberOut]


class VisibilityOut(Schema):
    headline: str
    bio: str
    work: str
    location: str
    open_to: str
    interests: str


class MeOut(Schema):
    id: str
    email: str
    display_name: str
    headline: str
    bio: str
    profession: str
    industry: str
    organization: str
    city: str
    region: str
    country: str
    reach: str
    open_to: list[str]
    time_zone: str
    onboarded: bool
    visibility: VisibilityOut


class VisibilityIn(Schema):
    headline: VisibilityLevel | None = None
    bio: VisibilityLevel | None = None
    work: VisibilityLevel | None = None
    location: VisibilityLevel | None = None
    open_to: VisibilityLevel | None = None
    interests: VisibilityLevel | None = None


class MePatchIn(Schema):
    display_name: Text | None = Field(None, min_length=1, max_length=80)
    headline: Text | None = Field(None, max_length=140)
    bio: Text | None = Field(None, max_length=2000)
    profession: Text | None = Field(None, max_length=80)
    industry: Text | None = Field(None, max_length=80)
    organization: Text | None = Field(None, max_length=120)
    city: Text | None = Field(None, max_length=80)
    region: Text | None = Field(None, max_length=80)
    country: Text | None = Field(None, max_length=80)
    reach: ReachChoice | None = None
    open_to: list[OpenToChoice] | None = Field(None, max_length=7)
    time_zone: Text | None = Field(None, max_length=64)
    visibility: VisibilityIn | None = None


class MemberInterestIn(Schema):
    interest: Text = Field(
        ..., min_length=1, max_length=80, description="A name, nickname, alias, slug or typo."
    )
    kind: InterestKindChoice = "passion"
    intensity: int = Field(2, ge=1, le=3, description="1 curious, 2 enthusiast, 3 expert")
    create_if_missing: bool = Field(
        False, description="Add it as a new, community-added interest when nothing matches."
    )


class MemberInterestPatchIn(Schema):
    kind: InterestKindChoice | None = None
    intensity: int | None = Field(None, ge=1, le=3)
