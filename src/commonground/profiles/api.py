"""/api/v1/me and /api/v1/members."""

from __future__ import annotations

from typing import Annotated

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from commonground.api.errors import ERRORS
from commonground.api.errors import SESSION_WRITE_ERRORS as WRITE_ERRORS
from commonground.api.schemas import MemberOut, MemberPageOut, MeOut, MePatchIn, Text
from commonground.core.http import member_of
from commonground.interests.selectors import interest_get_many
from commonground.profiles import services
from commonground.profiles.directory import DirectoryFilter, member_search
from commonground.profiles.models import VISIBILITY_GROUPS, Profile
from commonground.profiles.selectors import (
    InterestRef,
    MemberView,
    Viewer,
    member_get,
    profile_for_user,
)

router = Router(tags=["members"])
# Public ids are secrets.token_urlsafe: anything else is no member (and never reaches the DB).
PUBLIC_ID_PATTERN = r"^[A-Za-z0-9_-]+$"


# The profile fields shown in sections, each governed by its section's visibility.
SECTION_FIELDS = (
    "headline",
    "bio",
    "profession",
    "industry",
    "organization",
    "city",
    "region",
    "country",
    "reach",
    "open_to",
)


def me_out(profile: Profile) -> dict[str, object]:
    return {
        "id": profile.user.public_id,
        "email": profile.user.email,
        "display_name": profile.display_name,
        **{name: getattr(profile, name) for name in SECTION_FIELDS},
        "time_zone": profile.time_zone,
        "onboarded": profile.is_onboarded,
        "visibility": {group: profile.visibility_of(group) for group in VISIBILITY_GROUPS},
    }


def member_out(view: MemberView) -> dict[str, object]:
    def refs(items: list[InterestRef]) -> list[dict[str, object]]:
        return [
            {"slug": r.slug, "name": r.name, "kind": r.kind, "weight": round(r.weight, 4)}
            for r in items
        ]

    return {
        "id": view.public_id,
        "display_name": view.display_name,
        **{name: getattr(view, name) for name in SECTION_FIELDS},
        "interests": refs(view.interests) if view.interests is not None else None,
        "shared_interests": refs(view.shared),
        "score": round(view.score, 4),
        "is_connection": view.is_connection,
    }


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Your own profile")
def me_get(request: HttpRequest) -> dict[str, object]:
    return me_out(profile_for_user(user=member_of(request)))


@router.patch("/me", response={200: MeOut, **WRITE_ERRORS}, summary="Change your profile")
def me_patch(request: HttpRequest, payload: MePatchIn) -> dict[str, object]:
    data = payload.model_dump(exclude_unset=True)
    visibility = data.pop("visibility", None) or {}
    # One transaction: a failure in either part leaves the profile as it was.
    with transaction.atomic():
        if data:
            services.profile_update(user=member_of(request), **data)
        levels = {k: v for k, v in visibility.items() if v is not None}
        if levels:
            services.profile_set_visibility(user=member_of(request), **levels)
    return me_out(profile_for_user(user=member_of(request)))


class MemberQuery(Schema):
    # Text rejects NUL and control characters: PostgreSQL refuses them in a query (a 500).
    interests: Annotated[
        Text | None,
        Field(None, max_length=500, description="Comma-separated interest slugs, ALL required"),
    ] = None
    near: Annotated[
        str | None,
        Field(None, pattern="^(city|region|country)$", description="city, region or country"),
    ] = None
    profession: Annotated[Text | None, Field(None, max_length=80)] = None
    page: Annotated[int, Field(1, ge=1, le=10_000)] = 1
    page_size: Annotated[int, Field(20, ge=1, le=100)] = 20


@router.get(
    "/members",
    response={200: MemberPageOut, **ERRORS},
    summary="Search members: interests combined with AND, ranked by shared rare interests",
)
def members_search(request: HttpRequest, filters: Query[MemberQuery]) -> dict[str, object]:
    slugs = [s.strip() for s in (filters.interests or "").split(",") if s.strip()]
    interests = interest_get_many(slugs=list(dict.fromkeys(slugs)))
    result = member_search(
        viewer=Viewer.for_user(request.user),
        viewer_profile=profile_for_user(user=member_of(request)),
        flt=DirectoryFilter(
            interest_ids=tuple(i.pk for i in interests),
            near=filters.near or "",
            profession=(filters.profession or "").strip(),
        ),
        page=filters.page,
        size=filters.page_size,
    )
    return {
        "count": result.total,
        "page": result.number,
        "pages": result.pages,
        "results": [member_out(v) for v in result.items],
    }


@router.get("/members/{member_id}", response={200: MemberOut, **ERRORS}, summary="One member")
def member_detail(
    request: HttpRequest, member_id: Annotated[str, Field(max_length=32, pattern=PUBLIC_ID_PATTERN)]
) -> dict[str, object]:
    view = member_get(viewer=Viewer.for_user(request.user), public_id=member_id)
    return member_out(view)
