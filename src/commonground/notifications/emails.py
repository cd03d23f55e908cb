"""The emails: one notification right away, or a digest. Plain text and simple HTML, each
with an unsubscribe link that works without logging in (RFC 8058 one-click headers too)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from commonground.accounts.models import User
from commonground.notifications.kinds import KINDS
from commonground.notifications.models import ALL_KINDS
from commonground.notifications.preferences import area_of
from commonground.notifications.tokens import unsubscribe_token

DEFAULT_SITE_URL = "http://localhost:8000"


def site_url() -> str:
    """Where links in emails point: settings.SITE_URL, else $COMMONGROUND_SITE_URL."""
    configured = getattr(settings, "SITE_URL", "") or os.environ.get("COMMONGROUND_SITE_URL", "")
    return (configured or DEFAULT_SITE_URL).rstrip("/")


def absolute(path: str) -> str:
    return f"{site_url()}{path}" if path.startswith("/") else path


def unsubscribe_url(*, user: User, kind: str) -> str:
    token = unsubscribe_token(user=user, kind=kind)
    return absolute(reverse("notifications:unsubscribe", args=[token]))


def _name_of(user: User) -> str:
    profile = getattr(user, "profile", None)
    return (getattr(profile, "display_name", "") or "").strip() or "there"


def _message(
    *, user: User, subject: str, template: str, context: dict[str, object], kind: str
) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(user=user, kind=kind)
    context = {
        **context,
        "site_name": settings.SITE_NAME,
        "site_url": site_url(),
        "name": _name_of(user),
        "settings_url": absolute(reverse("notifications:settings")),
        "unsubscribe_url": unsubscribe,
        "unsubscribe_all_url": unsubscribe_url(user=user, kind=ALL_KINDS),
        "unsubscribe_what": KINDS.get(kind, "") if kind != ALL_KINDS else "",
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=render_to_string(f"notifications/email/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    return message


def notification_email(*, user: User, kind: str, text: str, url: str) -> EmailMultiAlternatives:
    return _message(
        user=user,
        subject=text if len(text) <= 90 else f"{text[:89]}…",
        template="notification",
        context={"text": text, "link": absolute(url) if url else ""},
        kind=kind,
    )


@dataclass(frozen=True)
class DigestLine:
    """One line of a digest: several notifications of one thread, or identical ones, merged."""

    kind: str
    text: str
    url: str
    count: int

    @property
    def area(self) -> str:
        return area_of(self.kind)

    @property
    def link(self) -> str:
        return absolute(self.url) if self.url else ""


@dataclass(frozen=True)
class DigestSection:
    area: str
    lines: list[DigestLine]


def digest_email(
    *, user: User, period: str, sections: list[DigestSection], total: int, more: int = 0
) -> EmailMultiAlternatives:
    when = "today" if period == "daily" else "this week"
    return _message(
        user=user,
        subject=f"{total} new notification{'s' if total != 1 else ''} {when}",
        template="digest",
        context={
            "period": period,
            "when": when,
            "sections": sections,
            "total": total,
            "more": more,
            "notifications_url": absolute(reverse("notifications:index")),
        },
        kind=ALL_KINDS,
    )
