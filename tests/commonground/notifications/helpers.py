"""Shared helpers for the notifications tests."""

from __future__ import annotations

from commonground.accounts.models import User
from commonground.notifications.services import notify


def notify_now(captured, **kwargs) -> None:
    """notify(), then run its on-commit delivery, as a committed transaction would."""
    with captured(execute=True):
        notify(**kwargs)


def kinds_of(user: User) -> list[str]:
    return list(user.notifications.order_by("created_at", "pk").values_list("kind", flat=True))
