"""Shared helpers for the notifications tests."""

from __future__ import annotations

from commonground.accounts.models import User
from commonground.notifications.models import Notification
from commonground.notifications.services import notify


def notify_now(captured, **kwargs) -> None:
    """notify(), then run its on-commit delivery, as a committed transaction would."""
    with captured(execute=True):
        notify(**kwargs)


def kinds_of(user: User) -> list[str]:
    return list(user.notifications.order_by("created_at", "pk").values_list("kind", flat=True))


def make_notification(recipient: User, text: str = "News", **extra) -> Notification:
    """A notification as notify() would have written it (for tests of the reading side)."""
    fields = {"kind": "groups.reply", "url": "/groups/", **extra}
    return Notification.objects.create(recipient=recipient, text=text, **fields)
