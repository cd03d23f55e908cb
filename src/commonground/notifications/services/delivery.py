"""notify(): the one way any app tells a member something happened.

Contract used by every app:

    notify(recipient=user, kind="events.update", text="…", url="/events/…",
           actor=None, thread_key="event:42")

Call it from a service, inside or outside a transaction: the notification is written and
emailed on commit (never for a transaction that rolls back). `kind` is a key of
`commonground.notifications.kinds.KINDS`. `thread_key` merges notifications about the same
thing in digests (no floods from one busy thread). Callers have already checked the
recipient may see what the text and url name.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.network.graph import blocked_between
from commonground.network.models import Mute
from commonground.notifications.emails import notification_email
from commonground.notifications.kinds import KINDS
from commonground.notifications.models import (
    TEXT_MAX_LENGTH,
    THREAD_KEY_MAX_LENGTH,
    URL_MAX_LENGTH,
    Delivery,
    EmailFrequency,
    Notification,
)
from commonground.notifications.preferences import choices_for

logger = logging.getLogger(__name__)

# After an email about a thread, later notifications in it wait for the daily digest while
# the first is unread and this recent: a busy conversation sends one email, not fifty.
THREAD_QUIET = timedelta(hours=6)


def _clean_text(text: str) -> str:
    flat = "".join(ch if ord(ch) >= 32 else " " for ch in text).strip()
    flat = " ".join(flat.split())
    if len(flat) > TEXT_MAX_LENGTH:
        flat = flat[: TEXT_MAX_LENGTH - 1].rstrip() + "…"
    return flat


def _check_url(url: str) -> str:
    # Notifications link inside the site only: an absolute or protocol-relative URL here is a
    # programming error, and would make every email an open redirect.
    # Browsers read a backslash as a slash: "/\\evil.example" is protocol-relative too.
    if url and (not url.startswith("/") or url[1:2] in ("/", "\\") or len(url) > URL_MAX_LENGTH):
        raise ValueError(f"A notification url must be a local path, not {url[:80]!r}.")
    if any(ord(ch) < 33 for ch in url):
        raise ValueError("A notification url must not contain spaces or control characters.")
    return url


def notify(
    *,
    recipient: User,
    kind: str,
    text: str,
    url: str = "",
    actor: User | None = None,
    thread_key: str = "",
) -> None:
    """Tell `recipient` about something `actor` did, as their preferences ask; on commit."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: add it to notifications/kinds.py.")
    if actor is not None and actor.pk == recipient.pk:
        return
    clean = _clean_text(text)
    if not clean:
        raise ValueError("A notification needs a text.")
    if len(thread_key) > THREAD_KEY_MAX_LENGTH or any(ord(ch) < 32 for ch in thread_key):
        raise ValueError(
            f"thread_key must be at most {THREAD_KEY_MAX_LENGTH} characters, without control ones."
        )
    checked_url = _check_url(url)
    actor_id = actor.pk if actor is not None else None

    def deliver_on_commit() -> None:
        deliver(
            recipient_id=recipient.pk,
            kind=kind,
            text=clean,
            url=checked_url,
            actor_id=actor_id,
            thread_key=thread_key,
        )

    # Robust: a failure here is logged and must not turn the caller's success into a 500.
    transaction.on_commit(deliver_on_commit, robust=True)


def _delivery_for(*, recipient_id: int, kind: str, actor_id: int | None) -> tuple[bool, Delivery]:
    choices = choices_for(user_id=recipient_id, kinds=[kind])
    email = choices.email_for(kind)
    muted = (
        actor_id is not None
        and Mute.objects.filter(muter_id=recipient_id, muted_id=actor_id).exists()
    )
    if muted or email == EmailFrequency.OFF:
        return choices.in_app_for(kind), Delivery.NONE
    return choices.in_app_for(kind), Delivery(email.value)


def _thread_recently_emailed(*, recipient_id: int, thread_key: str, now: datetime) -> bool:
    if not thread_key:
        return False
    return Notification.objects.filter(
        recipient_id=recipient_id,
        thread_key=thread_key,
        read_at__isnull=True,
        emailed_at__gte=now - THREAD_QUIET,
    ).exists()


def deliver(
    *,
    recipient_id: int,
    kind: str,
    text: str,
    url: str,
    actor_id: int | None,
    thread_key: str,
) -> Notification | None:
    """Write the notification and send its email, if the recipient wants either."""
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        return None
    if actor_id is not None and blocked_between(user_id=recipient_id, other_id=actor_id):
        return None
    in_app, delivery = _delivery_for(recipient_id=recipient_id, kind=kind, actor_id=actor_id)
    if not in_app and delivery == Delivery.NONE:
        return None
    now = timezone.now()
    if delivery == Delivery.IMMEDIATE and _thread_recently_emailed(
        recipient_id=recipient_id, thread_key=thread_key, now=now
    ):
        delivery = Delivery.DAILY
    notification = Notification.objects.create(
        recipient_id=recipient_id,
        kind=kind,
        text=text,
        url=url,
        actor_id=actor_id,
        thread_key=thread_key,
        created_at=now,
        in_app=in_app,
        delivery=delivery,
    )
    if delivery == Delivery.IMMEDIATE:
        _email_now(notification=notification, recipient=recipient)
    return notification


def _email_now(*, notification: Notification, recipient: User) -> None:
    message = notification_email(
        user=recipient, kind=notification.kind, text=notification.text, url=notification.url
    )
    try:
        message.send()
    except Exception:
        # The mail server is down or refused: the daily digest carries it instead.
        logger.warning(
            "Email for notification %s failed; it waits for the digest.",
            notification.pk,
            exc_info=True,
        )
        Notification.objects.filter(pk=notification.pk).update(delivery=Delivery.DAILY)
        return
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
