"""Messaging reads. The two rules of the app live here, and every channel uses them:

- who may start talking to whom: `message_permission` / `can_message`;
- who sees a conversation: its active participants only, and for a one-to-one conversation
  only while no block stands between the two (`q_conversation_visible`). A participant reads
  the messages written since they joined; inside a small group, not those of a member
  blocked either way (`q_message_visible`). To anyone else a conversation is missing: the
  same 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from commonground.core.pagination import Page
from commonground.groups.models import Membership, MembershipState
from commonground.messaging.errors import ConversationNotFound
from commonground.messaging.models import (
    AllowFrom,
    Conversation,
    ConversationKind,
    ConversationOrigin,
    Message,
    MessagingSettings,
    Participant,
)
from commonground.network.graph import are_connected, blocked_between
from commonground.network.models import Block
from commonground.network.services.members import is_public_id
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer

SNIPPET_LENGTH = 120


# Who may message whom ---------------------------------------------------------------------


@dataclass(frozen=True)
class Permission:
    allowed: bool
    # How they may talk ("conversation", "introduction", "connection", "group"), or why not
    # ("self", "blocked", "nobody_new", "connections_only", "no_relation").
    reason: str

    @property
    def counts_as_new_contact(self) -> bool:
        """Starting this conversation counts against the daily limit for non-connections."""
        return self.allowed and self.reason == "group"


def allow_from_of(user_id: int) -> str:
    found = MessagingSettings.objects.filter(user_id=user_id).values_list("allow_from", flat=True)
    return found.first() or AllowFrom.CONNECTIONS_AND_GROUPS


def _pair(a: int, b: int) -> tuple[int, int]:
    low, high = sorted((a, b))
    return low, high


def direct_conversation_between(*, user_id: int, other_id: int) -> Conversation | None:
    low, high = _pair(user_id, other_id)
    return Conversation.objects.filter(
        kind=ConversationKind.DIRECT, user_low_id=low, user_high_id=high
    ).first()


def _introduced(*, user_id: int, other_id: int) -> bool:
    """Both take part in a conversation an accepted introduction opened."""
    mine = Participant.objects.filter(
        user_id=user_id, left_at__isnull=True, conversation__origin=ConversationOrigin.INTRODUCTION
    ).values("conversation_id")
    return Participant.objects.filter(
        user_id=other_id, left_at__isnull=True, conversation_id__in=mine
    ).exists()


def _share_a_group(*, user_id: int, other_id: int) -> bool:
    theirs = Membership.objects.filter(user_id=other_id, state=MembershipState.ACTIVE).values(
        "group_id"
    )
    return Membership.objects.filter(
        user_id=user_id, state=MembershipState.ACTIVE, group_id__in=theirs
    ).exists()


def message_permission(*, sender_id: int, recipient_id: int) -> Permission:
    """May the sender write to the recipient? The recipient's setting decides who may start a
    conversation; one already started (or opened by an introduction) goes on whatever the
    setting, until either of them blocks the other. A block is absolute."""
    if sender_id == recipient_id:
        return Permission(False, "self")
    if blocked_between(user_id=sender_id, other_id=recipient_id):
        return Permission(False, "blocked")
    if direct_conversation_between(user_id=sender_id, other_id=recipient_id) is not None:
        return Permission(True, "conversation")
    if _introduced(user_id=sender_id, other_id=recipient_id):
        return Permission(True, "introduction")
    allow_from = allow_from_of(recipient_id)
    if allow_from == AllowFrom.NOBODY_NEW:
        return Permission(False, "nobody_new")
    if are_connected(user_id=sender_id, other_id=recipient_id):
        return Permission(True, "connection")
    if allow_from == AllowFrom.CONNECTIONS:
        return Permission(False, "connections_only")
    if _share_a_group(user_id=sender_id, other_id=recipient_id):
        return Permission(True, "group")
    return Permission(False, "no_relation")


def can_message(*, sender_id: int, recipient_id: int) -> bool:
    return message_permission(sender_id=sender_id, recipient_id=recipient_id).allowed


# Who sees a conversation -------------------------------------------------------------------


def q_conversation_visible(viewer: Viewer, *, prefix: str = "") -> Q:
    """The rule as a filter over conversations."""
    if viewer.user_id is None:
        return Q(pk__in=[])
    seats = Participant.objects.filter(user_id=viewer.user_id, left_at__isnull=True).values(
        "conversation_id"
    )
    q = Q(**{f"{prefix}pk__in": seats})
    if viewer.blocked:
        blocked = sorted(viewer.blocked)
        q &= ~Q(**{f"{prefix}kind": ConversationKind.DIRECT, f"{prefix}user_low_id__in": blocked})
        q &= ~Q(**{f"{prefix}kind": ConversationKind.DIRECT, f"{prefix}user_high_id__in": blocked})
    return q


def q_message_visible(viewer: Viewer) -> Q:
    """Messages of a visible conversation the viewer reads: not those of a member blocked
    either way (who may share a small group with them)."""
    if not viewer.blocked:
        return Q()
    return ~Q(sender_id__in=sorted(viewer.blocked))


@dataclass(frozen=True)
class MemberRef:
    public_id: str
    display_name: str


FORMER_MEMBER = MemberRef(public_id="", display_name="Former member")


@dataclass(frozen=True)
class MessageView:
    public_id: str
    sender: MemberRef
    body: str
    created_at: datetime
    is_mine: bool


@dataclass
class ConversationView:
    """A conversation as one of its participants sees it."""

    conversation: Conversation
    seat: Participant
    others: list[MemberRef] = field(default_factory=list)
    last_message: MessageView | None = None

    @property
    def public_id(self) -> str:
        return self.conversation.public_id

    @property
    def unread_count(self) -> int:
        return self.seat.unread_count

    @property
    def title(self) -> str:
        # A small group goes by its subject; a one-to-one conversation by the other member
        # (an introduction's subject, "Introduced by …", shows under it).
        if self.conversation.subject and self.is_group:
            return self.conversation.subject
        names = [o.display_name for o in self.others]
        if not names:
            return "Just you"
        if len(names) <= 3:
            return ", ".join(names)
        return f"{', '.join(names[:2])} and {len(names) - 2} others"

    @property
    def last_activity_at(self) -> datetime | None:
        """When the last message the viewer may read was written (never the time of one
        from a member blocked either way, nor from before they joined)."""
        return self.last_message.created_at if self.last_message is not None else None

    @property
    def is_group(self) -> bool:
        return self.conversation.kind == ConversationKind.GROUP

    @property
    def is_creator(self) -> bool:
        return self.conversation.created_by_id == self.seat.user_id


def _ref(user: Any) -> MemberRef:
    if user is None:
        return FORMER_MEMBER
    profile = getattr(user, "profile", None)
    name = profile.display_name if profile is not None else ""
    return MemberRef(public_id=user.public_id, display_name=name or "Member")


def _message_view(message: Message, *, viewer: Viewer) -> MessageView:
    return MessageView(
        public_id=message.public_id,
        sender=_ref(message.sender),
        body=message.body,
        created_at=message.created_at,
        is_mine=message.sender_id == viewer.user_id,
    )


def _others_by_conversation(ids: list[int], *, viewer: Viewer) -> dict[int, list[MemberRef]]:
    found: dict[int, list[MemberRef]] = {cid: [] for cid in ids}
    if viewer.user_id is None:
        return found
    rows = (
        Participant.objects.filter(conversation_id__in=ids, left_at__isnull=True)
        .exclude(user_id=viewer.user_id)
        .exclude(user_id__in=sorted(viewer.blocked))
        .select_related("user__profile")
        .order_by("joined_at", "pk")
    )
    for row in rows:
        found[row.conversation_id].append(_ref(row.user))
    return found


def conversation_get(*, viewer: Viewer, public_id: str) -> ConversationView:
    """One conversation the viewer takes part in, or 404 (the same for a missing one)."""
    seat = None
    if viewer.user_id is not None and is_public_id(public_id):
        seat = (
            Participant.objects.filter(
                user_id=viewer.user_id,
                conversation__public_id=public_id,
            )
            .filter(q_conversation_visible(viewer, prefix="conversation__"))
            .select_related("conversation")
            .first()
        )
    if seat is None:
        raise ConversationNotFound("No such conversation.")
    others = _others_by_conversation([seat.conversation_id], viewer=viewer)
    return ConversationView(
        conversation=seat.conversation, seat=seat, others=others[seat.conversation_id]
    )


def conversation_list(*, viewer: Viewer, page: int = 1, size: int = 20) -> Page[ConversationView]:
    """The viewer's conversations, the latest message first, each with its unread count and
    last message: four queries whatever the number of conversations."""
    if viewer.user_id is None:
        return Page(items=[], number=page, size=size, total=0)
    seats = Participant.objects.filter(user_id=viewer.user_id, left_at__isnull=True).filter(
        q_conversation_visible(viewer, prefix="conversation__")
    )
    total = seats.count()
    offset = (page - 1) * size
    last_visible = (
        Message.objects.filter(
            conversation_id=OuterRef("conversation_id"), created_at__gte=OuterRef("joined_at")
        )
        .filter(q_message_visible(viewer))
        .order_by("-created_at", "-id")
    )
    listed = seats.select_related("conversation").annotate(
        last_message_id=Subquery(last_visible.values("id")[:1])
    )
    if viewer.blocked:
        # The conversation's own last_message_at counts messages from members blocked either
        # way: ordering by it would tell when they wrote. Order by what the viewer may read.
        listed = listed.annotate(
            last_seen_at=Coalesce(
                Subquery(last_visible.values("created_at")[:1]), F("conversation__created_at")
            )
        ).order_by("-last_seen_at", "-conversation_id")
    else:
        listed = listed.order_by(
            "-conversation__last_message_at", "-conversation__created_at", "-conversation_id"
        )
    rows = list(listed[offset : offset + size])
    ids = [row.conversation_id for row in rows]
    others = _others_by_conversation(ids, viewer=viewer)
    message_ids = [row.last_message_id for row in rows if row.last_message_id]
    messages = Message.objects.select_related("sender__profile").in_bulk(message_ids)
    items = []
    for row in rows:
        last = messages.get(row.last_message_id)
        items.append(
            ConversationView(
                conversation=row.conversation,
                seat=row,
                others=others[row.conversation_id],
                last_message=_message_view(last, viewer=viewer) if last else None,
            )
        )
    return Page(items=items, number=page, size=size, total=total)


def message_list(
    *, viewer: Viewer, view: ConversationView, page: int = 1, size: int = 50
) -> Page[MessageView]:
    """A conversation's messages the viewer may read, page 1 the newest, newest first."""
    messages = Message.objects.filter(
        conversation_id=view.conversation.pk, created_at__gte=view.seat.joined_at
    ).filter(q_message_visible(viewer))
    total = messages.count()
    offset = (page - 1) * size
    rows = messages.select_related("sender__profile").order_by("-created_at", "-id")[
        offset : offset + size
    ]
    items = [_message_view(m, viewer=viewer) for m in rows]
    return Page(items=items, number=page, size=size, total=total)


def message_unread_count(*, user: Any) -> int:
    """Unread messages over all of the member's conversations, for the header badge: one
    query. A one-to-one conversation hidden by a block does not count."""
    if user is None or not user.is_authenticated:
        return 0
    blocked_pair = Block.objects.filter(
        Q(
            blocker_id=OuterRef("conversation__user_low_id"),
            blocked_id=OuterRef("conversation__user_high_id"),
        )
        | Q(
            blocker_id=OuterRef("conversation__user_high_id"),
            blocked_id=OuterRef("conversation__user_low_id"),
        )
    )
    total = (
        Participant.objects.filter(user_id=user.pk, left_at__isnull=True, unread_count__gt=0)
        .filter(~Q(conversation__kind=ConversationKind.DIRECT) | ~Exists(blocked_pair))
        .aggregate(total=Sum("unread_count"))["total"]
    )
    return int(total or 0)


def message_payload(message: Message, *, conversation: Conversation) -> dict[str, Any]:
    """A message on the wire (websocket and API): plain text the client inserts as text."""
    sender = _ref(message.sender)
    return {
        "type": "message",
        "conversation": conversation.public_id,
        "id": message.public_id,
        "sender": {"id": sender.public_id, "display_name": sender.display_name},
        "body": message.body,
        "created_at": message.created_at.isoformat(),
    }


def display_name_of(user_id: int) -> str:
    name = Profile.objects.filter(user_id=user_id).values_list("display_name", flat=True).first()
    return name or "A member"
