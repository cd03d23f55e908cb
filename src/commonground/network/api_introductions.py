"""/api/v1/introductions: introduce two to four of your connections; answer introductions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from commonground.api.errors import ERRORS, WRITE_ERRORS
from commonground.api.schemas import InterestRefOut, Text
from commonground.core.http import member_of
from commonground.network import selectors_introductions as selectors
from commonground.network import services
from commonground.network.models import (
    INTRODUCTION_MAX_PEOPLE,
    INTRODUCTION_MIN_PEOPLE,
    REASON_MAX_LENGTH,
)
from commonground.profiles.api import PUBLIC_ID_PATTERN
from commonground.profiles.selectors import Viewer

router = Router(tags=["introductions"])
PublicId = Annotated[str, Field(max_length=32, pattern=PUBLIC_ID_PATTERN)]
StateChoice = Literal["pending", "accepted", "declined", "expired"]


class IntroducerOut(Schema):
    id: str
    display_name: str


class IntroduceeOut(Schema):
    id: str | None = Field(description="Shown once everyone accepted (always to the introducer)")
    display_name: str | None
    profession: str | None
    city: str | None
    shared_interests: list[InterestRefOut]


class IntroductionOut(Schema):
    id: str
    role: Literal["introducer", "introduced"]
    introducer: IntroducerOut
    reason: str
    state: StateChoice
    my_answer: Literal["pending", "accepted", "declined"] | None
    people: list[IntroduceeOut]
    accepted: int
    total: int
    created_at: datetime
    expires_at: datetime
    conversation_id: str


class IntroductionListOut(Schema):
    made: list[IntroductionOut]
    proposed: list[IntroductionOut]


class IntroductionIn(Schema):
    member_ids: list[PublicId] = Field(
        ..., min_length=INTRODUCTION_MIN_PEOPLE, max_length=INTRODUCTION_MAX_PEOPLE
    )
    reason: Text = Field(..., min_length=1, max_length=REASON_MAX_LENGTH)


def introduction_out(view: selectors.IntroductionView) -> dict[str, object]:
    return {
        "id": view.public_id,
        "role": view.role,
        "introducer": {
            "id": view.introducer.public_id,
            "display_name": view.introducer.display_name,
        },
        "reason": view.reason,
        "state": view.state,
        "my_answer": view.my_answer,
        "people": [
            {
                "id": p.public_id,
                "display_name": p.display_name,
                "profession": p.profession,
                "city": p.city,
                "shared_interests": [
                    {"slug": r.slug, "name": r.name, "kind": r.kind, "weight": round(r.weight, 4)}
                    for r in p.shared
                ],
            }
            for p in view.people
        ],
        "accepted": view.accepted,
        "total": view.total,
        "created_at": view.created_at,
        "expires_at": view.expires_at,
        "conversation_id": view.conversation_id,
    }


def _one(request: HttpRequest, public_id: str) -> dict[str, object]:
    viewer = Viewer.for_user(request.user)
    return introduction_out(selectors.introduction_get(viewer=viewer, public_id=public_id))


@router.get(
    "/introductions",
    response={200: IntroductionListOut, **ERRORS},
    summary="Introductions you made, and those proposed to you",
)
def introductions_list(request: HttpRequest) -> dict[str, object]:
    found = selectors.introduction_list(viewer=Viewer.for_user(request.user))
    return {
        "made": [introduction_out(v) for v in found.made],
        "proposed": [introduction_out(v) for v in found.proposed],
    }


@router.post(
    "/introductions",
    response={201: IntroductionOut, **WRITE_ERRORS},
    summary="Introduce two of your connections (or a small group of three or four), with a "
    "reason. Each is asked first, without the others' names. Repeating it answers the same "
    "pending introduction. At most 20 a day.",
)
def introduction_create(request: HttpRequest, payload: IntroductionIn) -> Status:
    made = services.introduction_create(
        introducer=member_of(request),
        member_public_ids=payload.member_ids,
        reason=payload.reason,
    )
    return Status(201, _one(request, made.public_id))


@router.get(
    "/introductions/{introduction_id}",
    response={200: IntroductionOut, **ERRORS},
    summary="One introduction you made or were introduced in",
)
def introduction_detail(request: HttpRequest, introduction_id: PublicId) -> dict[str, object]:
    return _one(request, introduction_id)


@router.post(
    "/introductions/{introduction_id}/accept",
    response={200: IntroductionOut, **WRITE_ERRORS},
    summary="Say yes. When everyone has, names are shared and a conversation opens.",
)
def introduction_accept(request: HttpRequest, introduction_id: PublicId) -> dict[str, object]:
    services.introduction_accept(user=member_of(request), introduction_public_id=introduction_id)
    return _one(request, introduction_id)


@router.post(
    "/introductions/{introduction_id}/decline",
    response={200: IntroductionOut, **WRITE_ERRORS},
    summary="Say no, quietly: nobody is told who declined.",
)
def introduction_decline(request: HttpRequest, introduction_id: PublicId) -> dict[str, object]:
    services.introduction_decline(user=member_of(request), introduction_public_id=introduction_id)
    return _one(request, introduction_id)
