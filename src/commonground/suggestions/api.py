"""/api/v1/suggestions."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from commonground.api.errors import ERRORS
from commonground.api.errors import SESSION_WRITE_ERRORS as WRITE_ERRORS
from commonground.api.schemas import MemberOut
from commonground.core.http import member_of
from commonground.profiles.api import PUBLIC_ID_PATTERN, member_out
from commonground.profiles.selectors import Viewer
from commonground.suggestions.selectors import suggestion_list
from commonground.suggestions.services import suggestion_dismiss

router = Router(tags=["suggestions"])


class SuggestionOut(Schema):
    rank: int
    member: MemberOut
    why: str
    icebreakers: list[str]
    mutual_connections: int


@router.get("/suggestions", response={200: list[SuggestionOut], **ERRORS}, summary="People for you")
def suggestions(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "rank": s.rank,
            "member": member_out(s.member),
            "why": s.why,
            "icebreakers": s.icebreakers,
            "mutual_connections": s.mutual_connections,
        }
        for s in suggestion_list(viewer=Viewer.for_user(request.user))
    ]


@router.post(
    "/suggestions/{member_id}/dismiss",
    response={204: None, **WRITE_ERRORS},
    summary="Not for me: never suggest this member again",
)
def dismiss(
    request: HttpRequest, member_id: Annotated[str, Field(max_length=32, pattern=PUBLIC_ID_PATTERN)]
) -> Status:
    suggestion_dismiss(user=member_of(request), candidate_public_id=member_id)
    return Status(204, None)
