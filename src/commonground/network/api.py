"""/api/v1/connections, /api/v1/blocks and /api/v1/mutes; introductions, follow-ups and
articles come from api_introductions and api_followups."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from commonground.accounts.models import User
from commonground.api.errors import ERRORS, WRITE_ERRORS
from commonground.api.schemas import MemberPageOut, Text
from commonground.core.http import member_of
from commonground.network import selectors, services
from commonground.network.api_followups import router as followups_router
from commonground.network.api_introductions import router as introductions_router
from commonground.network.models import NOTE_MAX_LENGTH, ConnectionRequest
from commonground.profiles.api import PUBLIC_ID_PATTERN, member_out
from commonground.profiles.selectors import Viewer

router = Router(tags=["connections"])
MemberId = Annotated[str, Field(max_length=32, pattern=PUBLIC_ID_PATTERN)]
RequestId = Annotated[str, Field(max_length=32, pattern=PUBLIC_ID_PATTERN)]


class MemberRefOut(Schema):
    id: str
    display_name: str


class RequestOut(Schema):
    id: str
    direction: Literal["incoming", "outgoing"]
    state: Literal["pending", "accepted", "declined", "withdrawn"]
    member: MemberRefOut
    note: str
    created_at: datetime


class RequestListOut(Schema):
    incoming: list[RequestOut]
    outgoing: list[RequestOut]


class RequestIn(Schema):
    member_id: MemberId
    note: Text = Field("", max_length=NOTE_MAX_LENGTH)


class MemberIn(Schema):
    member_id: MemberId


class ConnectionQuery(Schema):
    q: Annotated[Text, Field("", max_length=80, description="Part of a name")] = ""
    page: Annotated[int, Field(1, ge=1, le=10_000)] = 1
    page_size: Annotated[int, Field(50, ge=1, le=100)] = 50


def _ref_out(ref: selectors.MemberRef) -> dict[str, str]:
    return {"id": ref.public_id, "display_name": ref.display_name}


def _request_out(view: selectors.RequestView) -> dict[str, object]:
    return {
        "id": view.public_id,
        "direction": view.direction,
        "state": view.state,
        "member": _ref_out(view.member),
        "note": view.note,
        "created_at": view.created_at,
    }


def _user_out(user: User) -> dict[str, str]:
    profile = getattr(user, "profile", None)
    name = profile.display_name if profile is not None else ""
    return {"id": user.public_id, "display_name": name or "Member"}


def _own_request_out(request: HttpRequest, row: ConnectionRequest) -> dict[str, object]:
    """A request the caller just sent or accepted, as the caller may know it."""
    me = member_of(request)
    outgoing = row.sender_id == me.pk
    other = _user_out(row.recipient if outgoing else row.sender)
    return _request_out(
        selectors.RequestView(
            public_id=row.public_id,
            member=selectors.MemberRef(public_id=other["id"], display_name=other["display_name"]),
            direction="outgoing" if outgoing else "incoming",
            state=selectors.request_state_for(row, user_id=me.pk),
            note=row.note,
            created_at=row.created_at,
        )
    )


@router.get(
    "/connections/requests",
    response={200: RequestListOut, **ERRORS},
    summary="Requests waiting for you, and yours still open",
)
def requests_list(request: HttpRequest) -> dict[str, object]:
    found = selectors.connection_request_list(viewer=Viewer.for_user(request.user))
    return {
        "incoming": [_request_out(v) for v in found.incoming],
        "outgoing": [_request_out(v) for v in found.outgoing],
    }


@router.post(
    "/connections/requests",
    response={201: RequestOut, **WRITE_ERRORS},
    summary="Ask a member to connect, with a note. Repeating it answers the same request; if "
    "they asked you already, you are connected (state 'accepted').",
)
def request_create(request: HttpRequest, payload: RequestIn) -> Status:
    row = services.connection_request_create(
        sender=member_of(request), recipient_public_id=payload.member_id, note=payload.note
    )
    return Status(201, _own_request_out(request, row))


@router.post(
    "/connections/requests/{request_id}/accept",
    response={200: RequestOut, **WRITE_ERRORS},
    summary="Accept a request sent to you",
)
def request_accept(request: HttpRequest, request_id: RequestId) -> dict[str, object]:
    row = services.connection_request_accept(user=member_of(request), request_public_id=request_id)
    return _own_request_out(request, row)


@router.post(
    "/connections/requests/{request_id}/decline",
    response={204: None, **WRITE_ERRORS},
    summary="Decline a request sent to you. The sender is not told.",
)
def request_decline(request: HttpRequest, request_id: RequestId) -> Status:
    services.connection_request_decline(user=member_of(request), request_public_id=request_id)
    return Status(204, None)


@router.post(
    "/connections/requests/{request_id}/withdraw",
    response={204: None, **WRITE_ERRORS},
    summary="Withdraw a request you sent",
)
def request_withdraw(request: HttpRequest, request_id: RequestId) -> Status:
    services.connection_request_withdraw(user=member_of(request), request_public_id=request_id)
    return Status(204, None)


@router.get(
    "/connections",
    response={200: MemberPageOut, **ERRORS},
    summary="Your connections, by name",
)
def connections_list(request: HttpRequest, filters: Query[ConnectionQuery]) -> dict[str, object]:
    page = selectors.connection_list(
        viewer=Viewer.for_user(request.user),
        query=filters.q,
        page=filters.page,
        size=filters.page_size,
    )
    return {
        "count": page.total,
        "page": page.number,
        "pages": page.pages,
        "results": [member_out(v) for v in page.items],
    }


@router.delete(
    "/connections/{member_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove a connection. They are not told.",
)
def connection_remove(request: HttpRequest, member_id: MemberId) -> Status:
    services.connection_remove(user=member_of(request), member_public_id=member_id)
    return Status(204, None)


@router.get("/blocks", response={200: list[MemberRefOut], **ERRORS}, summary="Members you blocked")
def blocks_list(request: HttpRequest) -> list[dict[str, str]]:
    return [_ref_out(r) for r in selectors.block_list(viewer=Viewer.for_user(request.user))]


@router.post(
    "/blocks",
    response={201: MemberRefOut, **WRITE_ERRORS},
    summary="Block a member: you no longer see each other anywhere; any connection and open "
    "request between you ends",
)
def block_create(request: HttpRequest, payload: MemberIn) -> Status:
    block = services.member_block(user=member_of(request), member_public_id=payload.member_id)
    return Status(201, _user_out(block.blocked))


@router.delete("/blocks/{member_id}", response={204: None, **WRITE_ERRORS}, summary="Unblock")
def block_delete(request: HttpRequest, member_id: MemberId) -> Status:
    services.member_unblock(user=member_of(request), member_public_id=member_id)
    return Status(204, None)


@router.get("/mutes", response={200: list[MemberRefOut], **ERRORS}, summary="Members you muted")
def mutes_list(request: HttpRequest) -> list[dict[str, str]]:
    return [_ref_out(r) for r in selectors.mute_list(viewer=Viewer.for_user(request.user))]


@router.post(
    "/mutes",
    response={201: MemberRefOut, **WRITE_ERRORS},
    summary="Mute a member: they stay connected but leave your directory and suggestions",
)
def mute_create(request: HttpRequest, payload: MemberIn) -> Status:
    mute = services.member_mute(user=member_of(request), member_public_id=payload.member_id)
    return Status(201, _user_out(mute.muted))


@router.delete("/mutes/{member_id}", response={204: None, **WRITE_ERRORS}, summary="Unmute")
def mute_delete(request: HttpRequest, member_id: MemberId) -> Status:
    services.member_unmute(user=member_of(request), member_public_id=member_id)
    return Status(204, None)


# Introductions and follow-ups have their own modules; mounted here so /api/v1 needs one router.
router.add_router("", introductions_router)
router.add_router("", followups_router)
