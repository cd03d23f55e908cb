"""/api/v1/groups: discovery, search (AND), creation, membership and moderation."""

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
from commonground.groups import services
from commonground.groups.api_discussions import router as discussions_router
from commonground.groups.errors import NotGroupMember
from commonground.groups.models import (
    DESCRIPTION_MAX_LENGTH,
    MAX_GROUP_INTERESTS,
    NAME_MAX_LENGTH,
    Membership,
)
from commonground.groups.selectors import (
    GroupView,
    group_get,
    group_list_for,
    group_member_list,
    group_search,
    group_start_reach,
)
from commonground.interests.selectors import interest_get_many
from commonground.profiles.api import PUBLIC_ID_PATTERN
from commonground.profiles.selectors import Viewer

router = Router(tags=["groups"])
GroupSlug = Annotated[str, Field(max_length=16, pattern=PUBLIC_ID_PATTERN)]
MemberId = Annotated[str, Field(max_length=32, pattern=PUBLIC_ID_PATTERN)]
ScopeChoice = Literal["local", "regional", "national", "virtual"]
VisibilityChoice = Literal["public", "private", "secret"]
InterestSlug = Annotated[str, Field(max_length=90, pattern=r"^[a-z0-9_-]+$")]


class GroupInterestOut(Schema):
    slug: str
    name: str


class GroupOut(Schema):
    id: str
    name: str
    description: str
    interests: list[GroupInterestOut]
    scope: ScopeChoice
    city: str
    region: str
    country: str
    visibility: VisibilityChoice
    member_count: int
    role: str | None = None
    state: str | None = None
    fit: float = 0.0
    created_at: datetime


class StartOfferOut(Schema):
    interests: list[GroupInterestOut]
    members_sharing: int = Field(
        description="Listed members within your reach who share all these interests"
    )


class GroupPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[GroupOut]
    start: StartOfferOut | None = None


class GroupQuery(Schema):
    interests: Annotated[
        Text,
        Field(
            "",
            max_length=500,
            description="Interest slugs, comma-separated: groups having ALL of them",
        ),
    ] = ""
    scope: ScopeChoice | None = None
    page: Annotated[int, Field(1, ge=1, le=10_000)] = 1
    page_size: Annotated[int, Field(20, ge=1, le=100)] = 20


class GroupIn(Schema):
    name: Text = Field(max_length=NAME_MAX_LENGTH)
    description: Text = Field("", max_length=DESCRIPTION_MAX_LENGTH)
    interests: list[InterestSlug] = Field(min_length=1, max_length=MAX_GROUP_INTERESTS)
    scope: ScopeChoice = "virtual"
    city: Text = Field("", max_length=80)
    region: Text = Field("", max_length=80)
    country: Text = Field("", max_length=80)
    visibility: VisibilityChoice = "public"


class MemberOut(Schema):
    id: str
    display_name: str
    role: str
    state: str


class MembershipOut(Schema):
    group: str
    role: str
    state: str


class InviteIn(Schema):
    member_id: MemberId


class RoleIn(Schema):
    role: Literal["organizer", "member"]


class TransferIn(Schema):
    member_id: MemberId


def group_out(view: GroupView) -> dict[str, object]:
    group = view.group
    return {
        "id": group.slug,
        "name": group.name,
        "description": group.description,
        "interests": [{"slug": i.slug, "name": i.name} for i in view.interests],
        "scope": group.scope,
        "city": group.city,
        "region": group.region,
        "country": group.country,
        "visibility": group.visibility,
        "member_count": group.member_count,
        "role": view.role,
        "state": view.state,
        "fit": round(view.score, 4),
        "created_at": group.created_at,
    }


def _membership_out(slug: str, row: Membership) -> dict[str, str]:
    return {"group": slug, "role": row.role, "state": row.state}


@router.get(
    "/groups",
    response={200: GroupPageOut, **ERRORS},
    summary="Groups for you, ranked by how their interests and place fit; with interests, "
    "only groups having all of them, and when none does, how many members share them",
)
def groups_list(request: HttpRequest, filters: Query[GroupQuery]) -> dict[str, object]:
    viewer = Viewer.for_user(request.user)
    slugs = [s for s in dict.fromkeys(p.strip() for p in filters.interests.split(",")) if s]
    interests = interest_get_many(slugs=slugs) if slugs else []
    if interests or filters.scope:
        page = group_search(
            viewer=viewer,
            interest_ids=[i.pk for i in interests],
            scope=filters.scope or "",
            page=filters.page,
            size=filters.page_size,
        )
    else:
        page = group_list_for(viewer=viewer, page=filters.page, size=filters.page_size)
    start = None
    if interests and page.total == 0:
        start = {
            "interests": [{"slug": i.slug, "name": i.name} for i in interests],
            "members_sharing": group_start_reach(
                viewer=viewer, interest_ids=[i.pk for i in interests], scope=filters.scope or ""
            ),
        }
    return {
        "count": page.total,
        "page": page.number,
        "pages": page.pages,
        "results": [group_out(v) for v in page.items],
        "start": start,
    }


@router.post("/groups", response={201: GroupOut, **WRITE_ERRORS}, summary="Start a group")
def group_create(request: HttpRequest, payload: GroupIn) -> Status:
    group = services.group_create(
        user=member_of(request),
        name=payload.name,
        description=payload.description,
        interests=interest_get_many(slugs=list(dict.fromkeys(payload.interests))),
        scope=payload.scope,
        city=payload.city,
        region=payload.region,
        country=payload.country,
        visibility=payload.visibility,
    )
    view = group_get(viewer=Viewer.for_user(request.user), slug=group.slug)
    return Status(201, group_out(view))


@router.get("/groups/{slug}", response={200: GroupOut, **ERRORS}, summary="One group")
def group_detail(request: HttpRequest, slug: GroupSlug) -> dict[str, object]:
    return group_out(group_get(viewer=Viewer.for_user(request.user), slug=slug))


@router.post(
    "/groups/{slug}/join",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="Join a public group, ask to join a private one, or accept an invitation",
)
def group_join(request: HttpRequest, slug: GroupSlug) -> dict[str, str]:
    return _membership_out(slug, services.group_join(user=member_of(request), slug=slug))


@router.post(
    "/groups/{slug}/leave",
    response={204: None, **WRITE_ERRORS},
    summary="Leave a group or withdraw your request; the owner hands the group over first",
)
def group_leave(request: HttpRequest, slug: GroupSlug) -> Status:
    services.group_leave(user=member_of(request), slug=slug)
    return Status(204, None)


@router.get(
    "/groups/{slug}/members",
    response={200: list[MemberOut], **ERRORS, 403: ErrorOut},
    summary="The group's members: for its members only",
)
def group_members(request: HttpRequest, slug: GroupSlug) -> list[dict[str, str]]:
    viewer = Viewer.for_user(request.user)
    view = group_get(viewer=viewer, slug=slug)
    if not view.can_see_members:
        raise NotGroupMember("Only the group's members see who is in it.")
    return [
        {"id": m.public_id, "display_name": m.display_name, "role": m.role, "state": m.state}
        for m in group_member_list(viewer=viewer, view=view)
    ]


@router.post(
    "/groups/{slug}/requests/{member_id}/approve",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="Let in a member who asked to join (organizers)",
)
def request_approve(request: HttpRequest, slug: GroupSlug, member_id: MemberId) -> dict[str, str]:
    row = services.group_request_approve(
        user=member_of(request), slug=slug, member_public_id=member_id
    )
    return _membership_out(slug, row)


@router.post(
    "/groups/{slug}/requests/{member_id}/decline",
    response={204: None, **WRITE_ERRORS},
    summary="Turn down a request to join (organizers). The member is not told.",
)
def request_decline(request: HttpRequest, slug: GroupSlug, member_id: MemberId) -> Status:
    services.group_request_decline(user=member_of(request), slug=slug, member_public_id=member_id)
    return Status(204, None)


@router.post(
    "/groups/{slug}/invites",
    response={201: MembershipOut, **WRITE_ERRORS},
    summary="Invite a member (organizers)",
)
def group_invite(request: HttpRequest, slug: GroupSlug, payload: InviteIn) -> Status:
    row = services.group_invite(
        user=member_of(request), slug=slug, member_public_id=payload.member_id
    )
    return Status(201, _membership_out(slug, row))


@router.put(
    "/groups/{slug}",
    response={200: GroupOut, **WRITE_ERRORS},
    summary="Change a group: name, description, interests, scope and place, visibility "
    "(organizers)",
)
def group_update(request: HttpRequest, slug: GroupSlug, payload: GroupIn) -> dict[str, object]:
    services.group_update(
        user=member_of(request),
        slug=slug,
        name=payload.name,
        description=payload.description,
        interests=interest_get_many(slugs=list(dict.fromkeys(payload.interests))),
        scope=payload.scope,
        city=payload.city,
        region=payload.region,
        country=payload.country,
        visibility=payload.visibility,
    )
    return group_out(group_get(viewer=Viewer.for_user(request.user), slug=slug))


@router.post(
    "/groups/{slug}/invitation/accept",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="Accept your invitation to a group",
)
def invitation_accept(request: HttpRequest, slug: GroupSlug) -> dict[str, str]:
    return _membership_out(slug, services.group_invite_accept(user=member_of(request), slug=slug))


@router.post(
    "/groups/{slug}/invitation/decline",
    response={204: None, **WRITE_ERRORS},
    summary="Decline your invitation to a group",
)
def invitation_decline(request: HttpRequest, slug: GroupSlug) -> Status:
    services.group_invite_decline(user=member_of(request), slug=slug)
    return Status(204, None)


@router.delete(
    "/groups/{slug}/members/{member_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove a member or withdraw an invitation (organizers; organizers by the owner)",
)
def member_remove(request: HttpRequest, slug: GroupSlug, member_id: MemberId) -> Status:
    services.group_member_remove(user=member_of(request), slug=slug, member_public_id=member_id)
    return Status(204, None)


@router.post(
    "/groups/{slug}/members/{member_id}/role",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="Make a member an organizer or back (the owner)",
)
def member_role(
    request: HttpRequest, slug: GroupSlug, member_id: MemberId, payload: RoleIn
) -> dict[str, str]:
    row = services.group_role_set(
        user=member_of(request), slug=slug, member_public_id=member_id, role=payload.role
    )
    return _membership_out(slug, row)


@router.post(
    "/groups/{slug}/transfer",
    response={200: MembershipOut, **WRITE_ERRORS},
    summary="Hand the group to another member (the owner); you stay as an organizer",
)
def ownership_transfer(
    request: HttpRequest, slug: GroupSlug, payload: TransferIn
) -> dict[str, str]:
    row = services.group_ownership_transfer(
        user=member_of(request), slug=slug, member_public_id=payload.member_id
    )
    return _membership_out(slug, row)


# Discussions, hashtags, announcements and niches.
router.add_router("", discussions_router)
