"""Notifications: the one way any app tells a member something happened.

Contract used by every app (the notifications helper implements it):

    notify(recipient=user, kind="events.waitlist_promoted", text="…", url="/events/…",
           actor=None, thread_key="event:42")

Call it from a service, inside or outside a transaction: the notification is written and
emailed on commit. `kind` is a key of `commonground.notifications.kinds.KINDS`.
`thread_key` merges notifications about the same thing in digests (no floods from one busy
thread). Callers have already checked the recipient may see what the text and url name.
"""

from __future__ import annotations

from commonground.accounts.models import User


def notify(
    *,
    recipient: User,
    kind: str,
    text: str,
    url: str = "",
    actor: User | None = None,
    thread_key: str = "",
) -> None:
    """Placeholder until the notifications app lands: does nothing."""
