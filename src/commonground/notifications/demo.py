"""Demo notifications for the demo logins (invented content only).

Written straight into the inbox, as notify() would have left them, so seeding sends no email.
Idempotent: a member who has demo notifications already is left as they are.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from commonground.accounts.models import User
from commonground.notifications.models import Delivery, Notification

_DEMO_EMAILS = ("alex@demo.example", "sam@demo.example")
_MARK = "demo:"

# kind, text (with {name}), url, thread, minutes ago, read
_INBOX = [
    (
        "messaging.message",
        "{name} sent you a message: “Game night Friday?”",
        "/messages/",
        "c1",
        4,
        False,
    ),
    (
        "messaging.message",
        "{name} sent you a message: “I can bring the bacon.”",
        "/messages/",
        "c1",
        9,
        False,
    ),
    (
        "network.connection_request",
        "{name} asks to connect: “We both love Star Trek!”",
        "/network/",
        "r1",
        35,
        False,
    ),
    (
        "groups.invitation",
        "{name} invited you to join Kittens & Bacon",
        "/groups/",
        "g1",
        95,
        False,
    ),
    (
        "groups.reply",
        "{name} commented on your post “Best watch party spots?”",
        "/groups/",
        "p1",
        180,
        True,
    ),
    (
        "events.update",
        "Trivia night at the Capitol moved to 7:30 pm",
        "/events/",
        "e1",
        60 * 20,
        True,
    ),
    (
        "network.connection_accepted",
        "{name} accepted your request to connect",
        "/network/",
        "",
        60 * 26,
        True,
    ),
    (
        "groups.announcement",
        "A new group fits you: Podcast makers of DC",
        "/groups/",
        "",
        60 * 50,
        True,
    ),
    (
        "opportunities.match",
        "A freelance gig fits you: policy podcast producer",
        "/opportunities/",
        "",
        60 * 72,
        True,
    ),
]


def seed_demo(*, seed: int) -> None:
    rng = random.Random(seed)
    others = list(
        User.objects.filter(email__startswith="demo-", profile__display_name__gt="")
        .order_by("pk")
        .values_list("pk", "profile__display_name")[:200]
    )
    now = timezone.now()
    for email in _DEMO_EMAILS:
        user = User.objects.filter(email=email).first()
        if (
            user is None
            or Notification.objects.filter(recipient=user, thread_key__startswith=_MARK).exists()
        ):
            continue
        rows = []
        # One person per thread: both messages of a conversation come from the same member.
        actors: dict[str, tuple[int | None, str]] = {}
        for kind, text, url, thread, minutes, read in _INBOX:
            key = thread or f"{kind}:{minutes}"
            if key not in actors:
                actors[key] = rng.choice(others) if others else (None, "A member")
            actor_id, name = actors[key]
            when = now - timedelta(minutes=minutes)
            rows.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    actor_id=actor_id if "{name}" in text else None,
                    text=text.format(name=name),
                    url=url,
                    thread_key=f"{_MARK}{thread or kind}",
                    created_at=when,
                    read_at=when + timedelta(minutes=5) if read else None,
                    delivery=Delivery.NONE,
                )
            )
        Notification.objects.bulk_create(rows)
