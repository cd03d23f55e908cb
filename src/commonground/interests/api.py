"""/api/v1/interests and /api/v1/me/interests."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from commonground.api.errors import ErrorOut
from commonground.api.schemas import (
    InterestOut,
    InterestSuggestionOut,
    MemberInterestIn,
    MemberInterestOut,
    MemberInterestPatchIn,
)
from commonground.core.http import member_of
from commonground.interests import selectors, services
from commonground.interests.models import MemberInterest

router = Router(tags=["interests"])
# Slugs as Django's slug converter: NUL and other junk never reach the database (PostgreSQL
# refuses NUL in a query with a 500).
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
Slug = Annotated[str, Field(max_length=90, pattern=SLUG_PATTERN)]
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
# Writes over the session also answer 403 when the CSRF token is missing or wrong.
WRITE_ERRORS = {**ERRORS, 403: ErrorOut}


def member_interest_out(mi: MemberInterest) -> dict[str, object]:
    return {
        "slug": mi.interest.slug,
        "name": mi.interest.name,
        "interest_kind": mi.interest.kind,
        "kind": mi.kind,
        "intensity": mi.intensity,
        "pending_review": mi.interest.is_pending,
    }


class InterestQuery(Schema):
    q: Annotated[str, Field(min_length=1, max_length=80, description="What is being typed")]
    limit: Annotated[int, Field(8, ge=1, le=50)] = 8


@router.get(
    "/interests",
    response={200: list[InterestSuggestionOut], **ERRORS},
    summary="Search and autocomplete interests (typos, case and nicknames forgiven)",
)
def interests_search(request: HttpRequest, query: Query[InterestQuery]) -> list[dict[str, object]]:
    return [
        {
            "slug": s.interest.slug,
            "name": s.interest.name,
            "kind": s.interest.kind,
            "matched": s.matched_text,
            "how": s.how,
            "member_count": s.interest.member_count,
        }
        for s in selectors.interest_autocomplete(text=query.q, limit=query.limit)
    ]


@router.get("/interests/{slug}", response={200: InterestOut, **ERRORS}, summary="One interest")
def interest_detail(request: HttpRequest, slug: Slug) -> object:
    return selectors.interest_get(slug=slug)


@router.get(
    "/me/interests", response={200: list[MemberInterestOut], **ERRORS}, summary="Your interests"
)
def my_interests(request: HttpRequest) -> list[dict[str, object]]:
    return [
        member_interest_out(mi)
        for mi in selectors.member_interest_list(user_id=member_of(request).pk)
    ]


@router.post(
    "/me/interests",
    response={201: MemberInterestOut, **WRITE_ERRORS},
    summary="Add an interest by what you type: name, nickname or typo",
)
def my_interest_add(request: HttpRequest, payload: MemberInterestIn) -> Status:
    interest = services.interest_for_text(
        text=payload.interest,
        user=member_of(request),
        allow_new=payload.create_if_missing,
    )
    mi = services.member_interest_add(
        user=member_of(request),
        interest=interest,
        kind=payload.kind,
        intensity=payload.intensity,
    )
    return Status(201, member_interest_out(mi))


@router.patch(
    "/me/interests/{slug}", response={200: MemberInterestOut, **WRITE_ERRORS}, summary="Change one"
)
def my_interest_update(
    request: HttpRequest, slug: Slug, payload: MemberInterestPatchIn
) -> dict[str, object]:
    mi = services.member_interest_update(
        user=member_of(request),
        interest_slug=slug,
        kind=payload.kind,
        intensity=payload.intensity,
    )
    return member_interest_out(mi)


@router.delete("/me/interests/{slug}", response={204: None, **WRITE_ERRORS}, summary="Remove one")
def my_interest_remove(request: HttpRequest, slug: Slug) -> Status:
    services.member_interest_remove(user=member_of(request), interest_slug=slug)
    return Status(204, None)
