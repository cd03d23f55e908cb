"""/api/v1/opportunities and /api/v1/referrals."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from commonground.api.errors import ERRORS, WRITE_ERRORS, ErrorOut
from commonground.api.schemas import Text
from commonground.core.http import member_of
from commonground.interests.selectors import interest_get_many
from commonground.opportunities import services
from commonground.opportunities.models import (
    COMPENSATION_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MAX_AUDIENCE_GROUPS,
    MAX_AUDIENCE_MEMBERS,
    MAX_TAGS,
    NOTE_MAX_LENGTH,
    ORGANIZATION_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Referral,
)
from commonground.opportunities.selectors import (
    OpportunityView,
    opportunity_get,
    opportunity_list,
    opportunity_list_for_you,
    people_who_fit,
)
from commonground.opportunities.selectors.referrals import (
    referral_view_fields,
    referrals_visible_to,
)
from commonground.profiles.api import PUBLIC_ID_PATTERN
from commonground.profiles.selectors import Viewer

router = Router(tags=["opportunities"])
PublicId = Annotated[str, Field(max_length=16, pattern=PUBLIC_ID_PATTERN)]
MemberId = Annotated[str, Field(max_length=32, pattern=PUBLIC_ID_PATTERN)]
InterestSlug = Annotated[str, Field(max_length=90, pattern=r"^[a-z0-9_-]+$")]
KindChoice = Literal["job", "freelance", "collaboration", "volunteer"]
AudienceChoice = Literal["everyone", "connections", "second_degree", "groups", "named"]
StatusChoice = Literal["open", "filled", "closed"]
ReferralStatusChoice = Literal[
    "awaiting_candidate",
    "submitted",
    "reviewing",
    "interviewing",
    "hired",
    "declined",
    "withdrawn",
]


class TagOut(Schema):
    slug: str
    name: str


class OpportunityOut(Schema):
    id: str
    kind: KindChoice
    title: str
    organization: str
    description: str
    skills: list[TagOut]
    interests: list[TagOut]
    remote: bool
    city: str
    region: str
    country: str
    compensation: str
    expires_at: datetime
    status: StatusChoice = Field(description="closed when past its closing date")
    poster: str
    poster_name: str
    is_poster: bool
    audience: AudienceChoice | None = Field(None, description="Shown to the poster only")
    fit: float = 0.0
    reason: str = ""
    created_at: datetime


class OpportunityPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[OpportunityOut]


class OpportunityQuery(Schema):
    q: Annotated[Text, Field("", max_length=100)] = ""
    skills: Annotated[Text, Field("", max_length=500, description="Skill slugs, all required")] = ""
    kind: KindChoice | None = None
    remote: bool | None = None
    for_you: bool = Field(False, description="Rank by fit, with reasons (other filters ignored)")
    page: Annotated[int, Field(1, ge=1, le=10_000)] = 1
    page_size: Annotated[int, Field(20, ge=1, le=100)] = 20


class OpportunityIn(Schema):
    kind: KindChoice
    title: Text = Field(max_length=TITLE_MAX_LENGTH)
    organization: Text = Field("", max_length=ORGANIZATION_MAX_LENGTH)
    description: Text = Field("", max_length=DESCRIPTION_MAX_LENGTH)
    skills: list[InterestSlug] = Field([], max_length=MAX_TAGS)
    interests: list[InterestSlug] = Field([], max_length=MAX_TAGS)
    remote: bool = False
    city: Text = Field("", max_length=PLACE_MAX_LENGTH)
    region: Text = Field("", max_length=PLACE_MAX_LENGTH)
    country: Text = Field("", max_length=PLACE_MAX_LENGTH)
    compensation: Text = Field("", max_length=COMPENSATION_MAX_LENGTH)
    expires_at: datetime = Field(description="With a time zone; within a year")
    audience: AudienceChoice
    audience_groups: list[PublicId] = Field([], max_length=MAX_AUDIENCE_GROUPS)
    audience_members: list[MemberId] = Field([], max_length=MAX_AUDIENCE_MEMBERS)


class StatusIn(Schema):
    status: StatusChoice


class NoteIn(Schema):
    note: Text = Field("", max_length=NOTE_MAX_LENGTH)


class PersonOut(Schema):
    id: str
    display_name: str
    fit: float
    reason: str
    path: list[str] = Field(description="Members between you and them, nearest you first")


class InterestOut(Schema):
    opportunity: str
    note: str
    created_at: datetime


class MemberRefOut(Schema):
    id: str
    display_name: str


class ReferralOut(Schema):
    id: str
    opportunity: str
    opportunity_title: str
    referrer: MemberRefOut
    candidate: MemberRefOut
    note: str
    status: ReferralStatusChoice
    candidate_agreed_at: datetime | None = None
    created_at: datetime
    mine_as: Literal["referrer", "candidate", "poster"]


class ReferralIn(Schema):
    opportunity: PublicId
    candidate: MemberId
    note: Text = Field("", max_length=NOTE_MAX_LENGTH)


class AnswerIn(Schema):
    agree: bool


class ReferralStatusIn(Schema):
    status: Literal["reviewing", "interviewing", "hired", "declined"]


def opportunity_out(view: OpportunityView) -> dict[str, object]:
    o = view.opportunity
    return {
        "id": o.public_id,
        "kind": o.kind,
        "title": o.title,
        "organization": o.organization,
        "description": o.description,
        "skills": [{"slug": i.slug, "name": i.name} for i in view.skills],
        "interests": [{"slug": i.slug, "name": i.name} for i in view.interests],
        "remote": o.remote,
        "city": o.city,
        "region": o.region,
        "country": o.country,
        "compensation": o.compensation,
        "expires_at": o.expires_at,
        "status": o.status if view.is_open or o.status != "open" else "closed",
        "poster": view.poster_public_id,
        "poster_name": view.poster_name,
        "is_poster": view.is_poster,
        "audience": o.audience if view.is_poster else None,
        "fit": round(view.score, 4),
        "reason": view.reason,
        "created_at": o.created_at,
    }


@router.get(
    "/opportunities",
    response={200: OpportunityPageOut, **ERRORS},
    summary="Open opportunities you may see: newest first with the search filters, or ranked "
    "for you with reasons",
)
def opportunities_list(request: HttpRequest, filters: Query[OpportunityQuery]) -> dict[str, object]:
    viewer = Viewer.for_user(request.user)
    if filters.for_you:
        page = opportunity_list_for_you(viewer=viewer, page=filters.page, size=filters.page_size)
    else:
        slugs = [s for s in dict.fromkeys(p.strip() for p in filters.skills.split(",")) if s]
        skills = interest_get_many(slugs=slugs) if slugs else []
        page = opportunity_list(
            viewer=viewer,
            text=filters.q,
            skill_ids=[i.pk for i in skills],
            kind=filters.kind or "",
            remote=filters.remote,
            page=filters.page,
            size=filters.page_size,
        )
    return {
        "count": page.total,
        "page": page.number,
        "pages": page.pages,
        "results": [opportunity_out(v) for v in page.items],
    }


@router.post("/opportunities", response={201: OpportunityOut, **WRITE_ERRORS}, summary="Share one")
def opportunity_create(request: HttpRequest, payload: OpportunityIn) -> Status:
    user = member_of(request)
    opportunity = services.opportunity_create(
        user=user,
        kind=payload.kind,
        title=payload.title,
        organization=payload.organization,
        description=payload.description,
        skills=interest_get_many(slugs=list(dict.fromkeys(payload.skills))),
        interests=interest_get_many(slugs=list(dict.fromkeys(payload.interests))),
        remote=payload.remote,
        city=payload.city,
        region=payload.region,
        country=payload.country,
        compensation=payload.compensation,
        expires_at=payload.expires_at,
        audience=payload.audience,
        audience_groups=payload.audience_groups,
        audience_members=payload.audience_members,
    )
    view = opportunity_get(viewer=Viewer.for_user(user), public_id=opportunity.public_id)
    return Status(201, opportunity_out(view))


@router.get("/opportunities/{public_id}", response={200: OpportunityOut, **ERRORS}, summary="One")
def opportunity_detail(request: HttpRequest, public_id: PublicId) -> dict[str, object]:
    return opportunity_out(
        opportunity_get(viewer=Viewer.for_user(request.user), public_id=public_id)
    )


@router.post(
    "/opportunities/{public_id}/status",
    response={200: OpportunityOut, **WRITE_ERRORS},
    summary="Mark it filled or closed, or open it again (the poster)",
)
def opportunity_status(
    request: HttpRequest, public_id: PublicId, payload: StatusIn
) -> dict[str, object]:
    user = member_of(request)
    services.opportunity_status_set(user=user, public_id=public_id, status=payload.status)
    return opportunity_out(opportunity_get(viewer=Viewer.for_user(user), public_id=public_id))


@router.get(
    "/opportunities/{public_id}/people",
    response={200: list[PersonOut], **ERRORS, 403: ErrorOut},
    summary="Members who fit and how you reach them (the poster)",
)
def opportunity_people(request: HttpRequest, public_id: PublicId) -> list[dict[str, object]]:
    viewer = Viewer.for_user(request.user)
    view = opportunity_get(viewer=viewer, public_id=public_id)
    return [
        {
            "id": p.public_id,
            "display_name": p.display_name,
            "fit": round(p.score, 4),
            "reason": p.reason,
            "path": p.path,
        }
        for p in people_who_fit(viewer=viewer, view=view)
    ]


@router.post(
    "/opportunities/{public_id}/interest",
    response={200: InterestOut, **WRITE_ERRORS},
    summary="Tell the poster directly that you are interested",
)
def opportunity_interest(
    request: HttpRequest, public_id: PublicId, payload: NoteIn
) -> dict[str, object]:
    user = member_of(request)
    row = services.interest_express(user=user, opportunity_public_id=public_id, note=payload.note)
    return {"opportunity": public_id, "note": row.note, "created_at": row.created_at}


def _referral_out(referral: Referral, viewer: Viewer) -> dict[str, object]:
    return referral_view_fields(referral, viewer=viewer)


@router.get(
    "/referrals",
    response={200: list[ReferralOut], **ERRORS},
    summary="Referrals you made, of you, and (once agreed) to what you shared",
)
def referrals_list(request: HttpRequest) -> list[dict[str, object]]:
    viewer = Viewer.for_user(request.user)
    rows = referrals_visible_to(viewer).order_by("-created_at", "-pk")[:200]
    return [_referral_out(r, viewer) for r in rows]


@router.post(
    "/referrals",
    response={201: ReferralOut, **WRITE_ERRORS},
    summary="Refer one of your connections; they are asked to agree first",
)
def referral_create(request: HttpRequest, payload: ReferralIn) -> Status:
    user = member_of(request)
    referral = services.referral_create(
        user=user,
        opportunity_public_id=payload.opportunity,
        candidate_public_id=payload.candidate,
        note=payload.note,
    )
    return Status(201, _referral_out(referral, Viewer.for_user(user)))


@router.post(
    "/referrals/{public_id}/answer",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="As the candidate: agree (the poster then sees it) or decline",
)
def referral_answer(
    request: HttpRequest, public_id: PublicId, payload: AnswerIn
) -> dict[str, object]:
    user = member_of(request)
    referral = services.referral_candidate_answer(
        user=user, public_id=public_id, agree=payload.agree
    )
    return _referral_out(referral, Viewer.for_user(user))


@router.post(
    "/referrals/{public_id}/status",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="As the poster: reviewing, interviewing, hired or declined",
)
def referral_status(
    request: HttpRequest, public_id: PublicId, payload: ReferralStatusIn
) -> dict[str, object]:
    user = member_of(request)
    referral = services.referral_status_set(user=user, public_id=public_id, status=payload.status)
    return _referral_out(referral, Viewer.for_user(user))


@router.post(
    "/referrals/{public_id}/withdraw",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="As the referrer: take it back before the poster moves it along",
)
def referral_withdraw(request: HttpRequest, public_id: PublicId) -> dict[str, object]:
    user = member_of(request)
    referral = services.referral_withdraw(user=user, public_id=public_id)
    return _referral_out(referral, Viewer.for_user(user))
