"""Marking notifications read."""

from __future__ import annotations

from django.utils import timezone

from commonground.accounts.models import User
from commonground.notifications.errors import NotificationNotFound
from commonground.notifications.models import Notification
from commonground.notifications.selectors import is_public_id, q_visible_to


def notification_mark_read(*, user: User, public_id: str) -> None:
    """Idempotent; one the member may not see is missing (404)."""
    if not is_public_id(public_id):
        raise NotificationNotFound("No such notification.")
    visible = Notification.objects.filter(q_visible_to(user_id=user.pk), public_id=public_id)
    if visible.filter(read_at__isnull=True).update(read_at=timezone.now()):
        return
    if not visible.exists():
        raise NotificationNotFound("No such notification.")


def notification_mark_all_read(*, user: User) -> int:
    """How many were unread."""
    return Notification.objects.filter(q_visible_to(user_id=user.pk), read_at__isnull=True).update(
        read_at=timezone.now()
    )
