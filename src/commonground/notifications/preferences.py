"""Defaults per kind and how a member's choices resolve against them.

Things someone is waiting for (a message, a request, an invitation, a change to an event you
are going to) come by email right away; news that keeps (matches, announcements) comes in a
weekly digest; the rest in a daily digest. Kinds not listed here get a daily digest.
"""

from __future__ import annotations

from dataclasses import dataclass

from commonground.notifications.kinds import KINDS
from commonground.notifications.models import ALL_KINDS, EmailFrequency, NotificationPreference

IMMEDIATE_KINDS = frozenset(
    {
        "network.connection_request",
        "network.introduction",
        "messaging.message",
        "groups.join_request",
        "groups.invitation",
        "events.rsvp",
        "events.update",
        "opportunities.referral",
        "asks.answer",
    }
)
WEEKLY_KINDS = frozenset({"groups.announcement", "opportunities.match", "asks.routed"})

AREA_LABELS = {
    "network": "Connections",
    "messaging": "Messages",
    "groups": "Groups",
    "events": "Events",
    "asks": "Asks and offers",
    "opportunities": "Opportunities",
}


def default_email(kind: str) -> EmailFrequency:
    if kind in IMMEDIATE_KINDS:
        return EmailFrequency.IMMEDIATE
    if kind in WEEKLY_KINDS:
        return EmailFrequency.WEEKLY
    return EmailFrequency.DAILY


def area_of(kind: str) -> str:
    prefix = kind.split(".", 1)[0]
    return AREA_LABELS.get(prefix, prefix.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Choice:
    kind: str
    label: str
    area: str
    in_app: bool
    email: EmailFrequency
    default_email: EmailFrequency


@dataclass(frozen=True)
class Choices:
    """Everything one member chose, resolved against the defaults."""

    by_kind: dict[str, Choice]
    # "No email at all": set by unsubscribing from everything, undone in the settings.
    email_paused: bool

    def email_for(self, kind: str) -> EmailFrequency:
        if self.email_paused:
            return EmailFrequency.OFF
        return self.by_kind[kind].email

    def in_app_for(self, kind: str) -> bool:
        return self.by_kind[kind].in_app


def choices_for(*, user_id: int, kinds: list[str] | None = None) -> Choices:
    """One query, for every kind or for the given ones."""
    wanted = list(KINDS) if kinds is None else kinds
    rows = NotificationPreference.objects.filter(
        user_id=user_id, kind__in=[*wanted, ALL_KINDS]
    ).values_list("kind", "in_app", "email")
    saved = {kind: (in_app, email) for kind, in_app, email in rows}
    paused = ALL_KINDS in saved and saved[ALL_KINDS][1] == EmailFrequency.OFF
    by_kind = {}
    for kind in wanted:
        in_app, email = saved.get(kind, (True, default_email(kind)))
        by_kind[kind] = Choice(
            kind=kind,
            label=KINDS.get(kind, kind),
            area=area_of(kind),
            in_app=in_app,
            email=EmailFrequency(email),
            default_email=default_email(kind),
        )
    return Choices(by_kind=by_kind, email_paused=paused)
