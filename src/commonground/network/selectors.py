"""Network reads for display: connections, mutual connections, requests, blocks and mutes.

Every one takes the viewer and leaves out members blocked either way (Viewer.blocked), so a
block hides both members from each other here as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from commonground.core.pagination import Page
from commonground.network.graph import are_connected, connection_ids, mutual_connection_ids
from commonground.network.models import Block, ConnectionRequest, Mute
from commonground.profiles.models import Profile
from commonground.profiles.selectors import (
    MemberView,
    Viewer,
    member_interests_for,
    member_view_build,
    total_members,
    viewer_interest_weights,
)

__all__ = [
    "MemberRef",
    "Relationship",
    "RequestLists",
    "RequestView",
    "are_connected",
    "block_list",
    "connection_ids",
    "connection_list",
    "connection_note_suggestion",
    "connection_request_list",
    "mute_list",
    "mutual_connections",
    "relationship_get",
    "request_state_for",
]

State = ConnectionRequest.State


@dataclass(frozen=True)
class MemberRef:
    public_id: str
    display_name: str


@dataclass(frozen=True)
class RequestView:
    public_id: str
    member: MemberRef  # the other member
    direction: str  # "incoming" or "outgoing"
    state: str  # as this viewer may know it
    note: str
    created_at: datetime


@dataclass(frozen=True)
class RequestLists:
    incoming: list[RequestView]
    outgoing: list[RequestView]


@dataclass(frozen=True)
class Relationship:
    """Where the viewer stands with one member, for the buttons on their page."""

    state: str  # "self", "connected", "outgoing", "incoming" or "none"
    request_id: str | None = None
    muted: bool = False
    mutual: list[MemberRef] = field(default_factory=list)


def request_state_for(request: ConnectionRequest, *, user_id: int) -> str:
    """The state one party may know. A decline is silent: the sender still sees 'pending'."""
    if request.sender_id == user_id and request.state == State.DECLINED:
        return str(State.WITHDRAWN if request.withdrawn_at else State.PENDING)
    return str(request.state)


def _ref(profile: Profile | None, public_id: str) -> MemberRef:
    name = profile.display_name if profile is not None else ""
    return MemberRef(public_id=public_id, display_name=name or "Member")


def _refs(user_ids: set[int]) -> list[MemberRef]:
    profiles = Profile.objects.filter(user_id__in=user_ids, user__is_active=True).select_related(
        "user"
    )
    refs = [_ref(p, p.user.public_id) for p in profiles]
    return sorted(refs, key=lambda r: (r.display_name.casefold(), r.public_id))


def connection_list(
    *, viewer: Viewer, query: str = "", page: int = 1, size: int = 50
) -> Page[MemberView]:
    """The viewer's connections, by name, optionally narrowed by a name search."""
    if viewer.user_id is None:
        return Page(items=[], number=page, size=size, total=0)
    members = Profile.objects.filter(
        user_id__in=sorted(viewer.connections - viewer.blocked), user__is_active=True
    )
    if query.strip():
        members = members.filter(display_name__icontains=query.strip())
    total = members.count()
    offset = (page - 1) * size
    profiles = list(
        members.select_related("user").order_by("display_name", "user_id")[offset : offset + size]
    )
    ids = [p.user_id for p in profiles]
    interests = member_interests_for(ids)
    weights = viewer_interest_weights(user_id=viewer.user_id, total=total_members())
    items = [
        member_view_build(
            profile=p, viewer=viewer, member_interests=interests[p.user_id], weights=weights
        )
        for p in profiles
    ]
    return Page(items=items, number=page, size=size, total=total)


def mutual_connections(*, viewer: Viewer, other_id: int) -> list[MemberRef]:
    """Connections the viewer and another member share (all of them the viewer's own)."""
    if viewer.user_id is None or other_id == viewer.user_id or other_id in viewer.blocked:
        return []
    ids = mutual_connection_ids(user_ids=viewer.connections - viewer.blocked, other_id=other_id)
    return _refs(ids)


def _request_views(
    rows: list[ConnectionRequest], *, viewer: Viewer, direction: str
) -> list[RequestView]:
    views = []
    for row in rows:
        other = row.sender if direction == "incoming" else row.recipient
        profile = getattr(other, "profile", None)
        views.append(
            RequestView(
                public_id=row.public_id,
                member=_ref(profile, other.public_id),
                direction=direction,
                state=request_state_for(row, user_id=viewer.user_id or 0),
                note=row.note,
                created_at=row.created_at,
            )
        )
    return views


def connection_request_list(*, viewer: Viewer, limit: int = 100) -> RequestLists:
    """Requests waiting for the viewer, and the viewer's own still open (declined ones look
    pending to their sender)."""
    if viewer.user_id is None:
        return RequestLists(incoming=[], outgoing=[])
    hidden = sorted(viewer.blocked | viewer.connections)
    incoming = list(
        ConnectionRequest.objects.filter(
            recipient_id=viewer.user_id, state=State.PENDING, sender__is_active=True
        )
        .exclude(sender_id__in=hidden)
        .select_related("sender__profile")
        .order_by("-created_at", "-pk")[:limit]
    )
    outgoing = list(
        ConnectionRequest.objects.filter(
            sender_id=viewer.user_id,
            state__in=[State.PENDING, State.DECLINED],
            withdrawn_at__isnull=True,
            recipient__is_active=True,
        )
        .exclude(recipient_id__in=hidden)
        .select_related("recipient__profile")
        .order_by("-created_at", "-pk")[:limit]
    )
    return RequestLists(
        incoming=_request_views(incoming, viewer=viewer, direction="incoming"),
        outgoing=_request_views(outgoing, viewer=viewer, direction="outgoing"),
    )


def relationship_get(*, viewer: Viewer, public_id: str) -> Relationship:
    """Where the viewer stands with the member with this public id."""
    other_id = (
        Profile.objects.filter(user__public_id=public_id, user__is_active=True)
        .values_list("user_id", flat=True)
        .first()
    )
    if viewer.user_id is None or other_id is None or other_id in viewer.blocked:
        return Relationship(state="none")
    if other_id == viewer.user_id:
        return Relationship(state="self")
    muted = other_id in viewer.muted
    mutual = mutual_connections(viewer=viewer, other_id=other_id)
    if other_id in viewer.connections:
        return Relationship(state="connected", muted=muted, mutual=mutual)
    low, high = sorted((viewer.user_id, other_id))
    requests = ConnectionRequest.objects.filter(user_low_id=low, user_high_id=high)
    pending = requests.filter(
        Q(state=State.PENDING)
        | Q(sender_id=viewer.user_id, state=State.DECLINED, withdrawn_at__isnull=True)
    ).order_by("-created_at", "-pk")
    for row in pending:
        if row.sender_id == viewer.user_id:
            return Relationship(
                state="outgoing", request_id=row.public_id, muted=muted, mutual=mutual
            )
        if row.state == State.PENDING:
            return Relationship(
                state="incoming", request_id=row.public_id, muted=muted, mutual=mutual
            )
    return Relationship(state="none", muted=muted, mutual=mutual)


def block_list(*, viewer: Viewer) -> list[MemberRef]:
    """Members the viewer blocked (not those who blocked the viewer: that stays unknown)."""
    if viewer.user_id is None:
        return []
    ids = set(Block.objects.filter(blocker_id=viewer.user_id).values_list("blocked_id", flat=True))
    return _refs(ids)


def mute_list(*, viewer: Viewer) -> list[MemberRef]:
    if viewer.user_id is None:
        return []
    ids = set(Mute.objects.filter(muter_id=viewer.user_id).values_list("muted_id", flat=True))
    return _refs(ids - viewer.blocked)


def connection_note_suggestion(*, recipient: MemberView) -> str:
    """An icebreaker for a request's note, from the rarest interest the viewer can see they
    share (recipient.shared is rarest first and holds only interests visible to the viewer)."""
    first = recipient.display_name.split()[0] if recipient.display_name else ""
    hello = f"Hi {first}!" if first and first != "Member" else "Hi!"
    if recipient.shared:
        rarest = recipient.shared[0].name
        return (
            f"{hello} I saw we both love {rarest}. I'd enjoy swapping notes about it "
            "sometime. Would you like to connect?"
        )
    return f"{hello} I came across your profile here and would love to connect."
