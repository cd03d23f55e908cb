"""Demo introductions and follow-ups for the demo logins (invented content only).

Idempotent: an introduction of the same people by the same introducer, a note with the same
text, a cadence or a reminder that exists already is left as it is.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from commonground.accounts.models import User
from commonground.network.followup_models import ContactNote, KeepInTouch, SharedArticle
from commonground.network.models import Introduction
from commonground.network.services import (
    article_share,
    connection_create,
    contact_note_create,
    introduction_accept,
    introduction_create,
    keep_in_touch_set,
    thank_you_reminder_create,
)
from commonground.network.services.introductions import participant_key
from commonground.profiles.models import Profile


def _login(email: str) -> User | None:
    return User.objects.filter(email=email, is_active=True).first()


def _demo_members(rng: random.Random, count: int) -> list[User]:
    """Generated demo members (onboarded), drawn deterministically."""
    ids = list(
        Profile.objects.filter(
            user__email__startswith="demo-",
            user__is_active=True,
            onboarding_step__gte=Profile.OnboardingStep.DONE,
        )
        .order_by("user__email")
        .values_list("user_id", flat=True)[:400]
    )
    chosen = rng.sample(ids, min(count, len(ids)))
    by_id = User.objects.in_bulk(chosen)
    return [by_id[pk] for pk in chosen]


def _introduce(introducer: User, people: list[User], reason: str) -> Introduction | None:
    key = participant_key([p.pk for p in people])
    existing = Introduction.objects.filter(introducer=introducer, participant_key=key).first()
    if existing is not None:
        return None
    for person in people:
        connection_create(user_id=introducer.pk, other_id=person.pk)
    return introduction_create(
        introducer=introducer, member_public_ids=[p.public_id for p in people], reason=reason
    )


def seed_demo(*, seed: int) -> None:
    alex, sam = _login("alex@demo.example"), _login("sam@demo.example")
    if alex is None or sam is None:
        return
    rng = random.Random(f"network-{seed}")
    others = _demo_members(rng, 4)
    if len(others) < 4:
        return
    introducer, partner, friend, neighbour = others
    # Proposed to Alex, waiting for an answer (the partner already said yes).
    proposed = _introduce(
        introducer,
        [alex, partner],
        "You both care about good data and a good hockey game. I think you'd have a lot "
        "to talk about over coffee.",
    )
    if proposed is not None:
        introduction_accept(user=partner, introduction_public_id=proposed.public_id)
    # Made by Alex, and everyone said yes.
    made = _introduce(
        alex,
        [sam, friend],
        "Sam and you both love astronomy and Star Trek. You should swap telescope stories.",
    )
    if made is not None:
        for person in (sam, friend):
            introduction_accept(user=person, introduction_public_id=made.public_id)
    _followups(alex=alex, sam=sam, friend=friend, neighbour=neighbour)


def _note(owner: User, contact: User, body: str) -> None:
    if not ContactNote.objects.filter(owner=owner, contact=contact, body=body).exists():
        contact_note_create(owner=owner, contact_public_id=contact.public_id, body=body)


def _lapsed_cadence(owner: User, contact: User, days: int, *, overdue_by: int) -> None:
    if KeepInTouch.objects.filter(owner=owner, contact=contact).exists():
        return
    keep_in_touch_set(owner=owner, contact_public_id=contact.public_id, cadence_days=days)
    last = timezone.now() - timedelta(days=days + overdue_by)
    KeepInTouch.objects.filter(owner=owner, contact=contact).update(
        last_contact_at=last, due_at=last + timedelta(days=days)
    )


def _followups(*, alex: User, sam: User, friend: User, neighbour: User) -> None:
    now = timezone.now()
    connection_create(user_id=alex.pk, other_id=neighbour.pk)
    _note(
        alex,
        sam,
        "Met at the Caps watch party. Working on exoplanet data; ask how the telescope time went.",
    )
    _note(alex, neighbour, "Lives two streets away. Runs the Saturday sourdough swap.")
    _lapsed_cadence(alex, sam, 30, overdue_by=3)
    if not KeepInTouch.objects.filter(owner=alex, contact=neighbour).exists():
        keep_in_touch_set(owner=alex, contact_public_id=neighbour.public_id, cadence_days=60)
    thank_you_reminder_create(
        owner=alex, contact=neighbour, reason="connected", due_at=now - timedelta(hours=2)
    )
    _note(sam, alex, "Policy analyst, knows everyone in the Caps fan club. Loves Star Trek.")
    _lapsed_cadence(sam, friend, 14, overdue_by=1)
    thank_you_reminder_create(
        owner=sam, contact=friend, reason="met at Stargazing on the Mall", due_at=now
    )
    _article(
        sam,
        alex,
        "https://example.org/articles/exoplanets-for-everyone",
        "The data-science angle on exoplanets I mentioned at the watch party.",
    )
    _article(alex, sam, "https://example.org/articles/the-rebuild", "Worth a read before Saturday!")


def _article(sender: User, recipient: User, url: str, note: str) -> None:
    if not SharedArticle.objects.filter(sender=sender, recipient=recipient, url=url).exists():
        article_share(sender=sender, contact_public_id=recipient.public_id, url=url, note=note)
