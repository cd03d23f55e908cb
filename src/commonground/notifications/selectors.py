"""Notification reads. The one visibility rule: a notification is its recipient's alone, and
nothing from a member blocked either way shows (blocks made after it was written included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q

from commonground.accounts.models import User
from commonground.core.pagination import Page, clamp_page
from commonground.core.validation import is_public_id
from commonground.network.models import Block
from commonground.notifications.errors import NotificationNotFound, UnsubscribeLinkInvalid
from commonground.notifications.kinds import KINDS
from commonground.notifications.models import ALL_KINDS, Notification
from commonground.notifications.preferences import Choices, area_of, choices_for
from commonground.notifications.tokens import unsubscribe_token_read


def q_for(*, user_id: int) -> Q:
    """The rule, as a filter: this member's own notifications, none from a member blocked
    either way. Digests use it as it is; every in-app channel through q_visible_to."""
    blocked = Block.objects.filter(
        Q(blocker_id=user_id, blocked_id=OuterRef("actor_id"))
        | Q(blocker_id=OuterRef("actor_id"), blocked_id=user_id)
    )
    return Q(recipient_id=user_id) & ~Q(Exists(blocked))


def q_visible_to(*, user_id: int) -> Q:
    """In-app channels (the page, the badge, the API): the rule, less email-only ones."""
    return q_for(user_id=user_id) & Q(in_app=True)


def notification_unread_count(*, user: User | AnonymousUser) -> int:
    """The header badge: one query, served by the partial index of unread notifications."""
    if not user.is_authenticated:
        return 0
    return (
        Notification.objects.filter(q_visible_to(user_id=user.pk), read_at__isnull=True)
        .order_by()
        .count()
    )


@dataclass(frozen=True)
class NotificationView:
    public_id: str
    kind: str
    text: str
    url: str
    actor_public_id: str | None
    actor_name: str | None
    created_at: datetime
    read_at: datetime | None

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def area(self) -> str:
        return area_of(self.kind)

    @property
    def label(self) -> str:
        return KINDS.get(self.kind, self.kind)


def _view(row: Notification) -> NotificationView:
    actor = row.actor
    name = None
    if actor is not None:
        profile = getattr(actor, "profile", None)
        name = (getattr(profile, "display_name", "") or "") or "Member"
    return NotificationView(
        public_id=row.public_id,
        kind=row.kind,
        text=row.text,
        url=row.url,
        actor_public_id=actor.public_id if actor is not None else None,
        actor_name=name,
        created_at=row.created_at,
        read_at=row.read_at,
    )


def notification_list(
    *, user: User, page: int | None = 1, size: int | None = 20, unread_only: bool = False
) -> Page[NotificationView]:
    """Newest first, two queries whatever the page holds."""
    number, per_page = clamp_page(page, size)
    rows = Notification.objects.filter(q_visible_to(user_id=user.pk))
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    total = rows.order_by().count()
    # Past the end (an old link, after marking read): the last page, not an empty one.
    number = min(number, max(1, -(-total // per_page)))
    start = (number - 1) * per_page
    found = list(
        rows.select_related("actor__profile").order_by("-created_at", "-pk")[
            start : start + per_page
        ]
    )
    return Page(items=[_view(r) for r in found], number=number, size=per_page, total=total)


def notification_get(*, user: User, public_id: str) -> NotificationView:
    if not is_public_id(public_id):
        raise NotificationNotFound("No such notification.")
    row = (
        Notification.objects.filter(q_visible_to(user_id=user.pk), public_id=public_id)
        .select_related("actor__profile")
        .first()
    )
    if row is None:
        raise NotificationNotFound("No such notification.")
    return _view(row)


def notification_preferences(*, user: User) -> Choices:
    """Every kind with the member's choice (or its default): one query."""
    return choices_for(user_id=user.pk)


@dataclass(frozen=True)
class UnsubscribeSubject:
    """Who an unsubscribe link is for and what it stops, for the confirmation page."""

    user: User
    kind: str
    label: str


def unsubscribe_subject(*, token: str) -> UnsubscribeSubject:
    """The link's member and kind; a clear error when tampered with, too old, or the member
    is gone (the same 'not valid' answer: the link reveals nothing)."""
    public_id, kind = unsubscribe_token_read(token)
    user = User.objects.filter(public_id=public_id).first()
    if user is None:
        raise UnsubscribeLinkInvalid("This unsubscribe link is not valid.", field="token")
    label = "all email" if kind == ALL_KINDS else KINDS[kind]
    return UnsubscribeSubject(user=user, kind=kind, label=label)
