"""Follow-ups, a member's private relationship memory: notes on a contact, a keep-in-touch
cadence, thank-you reminders, and the sweep that reminds owners when one is due.

Everything here belongs to its owner alone; the contact is never told and never reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.errors import ValidationFailed
from commonground.core.validation import clean_text
from commonground.network.errors import (
    KeepInTouchNotFound,
    NoteNotFound,
    ReminderNotFound,
    SelfRelation,
)
from commonground.network.followup_models import (
    CADENCE_CHOICES,
    CONTACT_NOTE_MAX_LENGTH,
    THANK_YOU_REASON_MAX_LENGTH,
    ContactNote,
    KeepInTouch,
    ThankYouReminder,
)
from commonground.network.graph import blocked_between
from commonground.network.services.members import is_public_id, member_for, name_of
from commonground.notifications.services import notify
from commonground.profiles.selectors import Viewer

THANK_YOU_AFTER_CONNECTING = timedelta(days=1)
SNOOZE_DAYS = 7
REASON_CONNECTED = "connected"


def _contact(*, owner: User, public_id: str) -> User:
    """A member the owner can see (404 otherwise, as everywhere)."""
    if public_id == owner.public_id:
        raise SelfRelation("Follow-ups are about other members.", field="member")
    return member_for(viewer=Viewer.for_user(owner), public_id=public_id)


def _body(body: str) -> str:
    return clean_text(body, field="body", max_length=CONTACT_NOTE_MAX_LENGTH, required=True)


def contact_note_create(*, owner: User, contact_public_id: str, body: str) -> ContactNote:
    """A private note about a member, for the owner's eyes only."""
    text = _body(body)
    contact = _contact(owner=owner, public_id=contact_public_id)
    return ContactNote.objects.create(owner=owner, contact=contact, body=text)


def _note_for(*, owner: User, public_id: str) -> ContactNote:
    note = None
    if is_public_id(public_id):
        note = ContactNote.objects.filter(public_id=public_id, owner=owner).first()
    if note is None:
        raise NoteNotFound("No such note.")
    return note


def contact_note_update(*, owner: User, note_public_id: str, body: str) -> ContactNote:
    text = _body(body)
    note = _note_for(owner=owner, public_id=note_public_id)
    note.body = text
    note.updated_at = timezone.now()
    note.save(update_fields=["body", "updated_at"])
    return note


def contact_note_delete(*, owner: User, note_public_id: str) -> None:
    _note_for(owner=owner, public_id=note_public_id).delete()


def _cadence(cadence_days: int) -> int:
    if cadence_days not in CADENCE_CHOICES:
        choices = ", ".join(str(days) for days in CADENCE_CHOICES)
        raise ValidationFailed(f"Choose a cadence of {choices} days.", field="cadence_days")
    return cadence_days


def keep_in_touch_set(*, owner: User, contact_public_id: str, cadence_days: int) -> KeepInTouch:
    """Stay in touch every `cadence_days` (14, 30, 60, 90 or 180); setting it again changes
    the cadence and keeps the last contact."""
    days = _cadence(cadence_days)
    contact = _contact(owner=owner, public_id=contact_public_id)
    now = timezone.now()
    with transaction.atomic():
        row = KeepInTouch.objects.select_for_update().filter(owner=owner, contact=contact).first()
        if row is None:
            try:
                with transaction.atomic():
                    return KeepInTouch.objects.create(
                        owner=owner,
                        contact=contact,
                        cadence_days=days,
                        due_at=now + timedelta(days=days),
                        created_at=now,
                    )
            except IntegrityError:
                row = KeepInTouch.objects.select_for_update().get(owner=owner, contact=contact)
        row.cadence_days = days
        row.due_at = (row.last_contact_at or row.created_at) + timedelta(days=days)
        row.save(update_fields=["cadence_days", "due_at"])
        return row


def _keep_in_touch_for(*, owner: User, contact_public_id: str) -> KeepInTouch:
    """The owner's row for this contact, locked: callers run in a transaction and change it
    from what they read (a snooze racing a cadence change must not lose either)."""
    row = None
    if is_public_id(contact_public_id):
        row = (
            KeepInTouch.objects.select_for_update(of=("self",))
            .filter(owner=owner, contact__public_id=contact_public_id)
            .first()
        )
    if row is None:
        raise KeepInTouchNotFound(
            "You have not set a keep-in-touch cadence for this member.", field="member"
        )
    return row


def keep_in_touch_clear(*, owner: User, contact_public_id: str) -> None:
    with transaction.atomic():
        _keep_in_touch_for(owner=owner, contact_public_id=contact_public_id).delete()


def keep_in_touch_snooze(
    *, owner: User, contact_public_id: str, days: int = SNOOZE_DAYS
) -> KeepInTouch:
    """Not now: remind again in `days` (1 to 90)."""
    if not 1 <= days <= 90:
        raise ValidationFailed("Snooze for 1 to 90 days.", field="days")
    with transaction.atomic():
        row = _keep_in_touch_for(owner=owner, contact_public_id=contact_public_id)
        row.snoozed_until = timezone.now() + timedelta(days=days)
        row.reminded_at = None  # a snooze asks to be reminded again when it ends
        row.save(update_fields=["snoozed_until", "reminded_at"])
    return row


def contact_mark_contacted(*, owner: User, contact_public_id: str) -> KeepInTouch:
    """We were in touch today: the next reminder is a full cadence away."""
    with transaction.atomic():
        row = _keep_in_touch_for(owner=owner, contact_public_id=contact_public_id)
        now = timezone.now()
        row.last_contact_at = now
        row.due_at = now + timedelta(days=row.cadence_days)
        row.snoozed_until = None
        row.reminded_at = None  # a new cycle: its lapse is reminded of once again
        row.save(update_fields=["last_contact_at", "due_at", "snoozed_until", "reminded_at"])
    return row


def thank_you_reminder_create(
    *, owner: User, contact: User, reason: str, due_at: datetime
) -> ThankYouReminder:
    """Remind `owner` to thank `contact` ("connected", or "met at <event title>") from
    `due_at`. Idempotent: the same owner, contact and reason make one reminder."""
    # A long event title is shortened rather than refused: the caller is another app's service.
    text = (reason or "").strip()
    if len(text) > THANK_YOU_REASON_MAX_LENGTH:
        text = text[: THANK_YOU_REASON_MAX_LENGTH - 1].rstrip() + "…"
    text = clean_text(text, field="reason", max_length=THANK_YOU_REASON_MAX_LENGTH, required=True)
    if owner.pk == contact.pk:
        raise SelfRelation("Nobody needs to thank themself.", field="contact")
    if timezone.is_naive(due_at):
        raise ValidationFailed("The due time needs a time zone.", field="due_at")
    try:
        with transaction.atomic():
            return ThankYouReminder.objects.create(
                owner=owner, contact=contact, reason=text, due_at=due_at
            )
    except IntegrityError:
        return ThankYouReminder.objects.get(owner=owner, contact=contact, reason=text)


def thank_you_reminders_for_connection(*, user_id: int, other_id: int) -> None:
    """After two members connect, each is reminded to thank the other. Runs inside the
    accepting transaction, so a rolled-back accept leaves no reminder."""
    due = timezone.now() + THANK_YOU_AFTER_CONNECTING
    ThankYouReminder.objects.bulk_create(
        [
            ThankYouReminder(owner_id=a, contact_id=b, reason=REASON_CONNECTED, due_at=due)
            for a, b in ((user_id, other_id), (other_id, user_id))
        ],
        ignore_conflicts=True,
    )


def _reminder_for(*, owner: User, public_id: str) -> ThankYouReminder:
    row = None
    if is_public_id(public_id):
        row = ThankYouReminder.objects.filter(public_id=public_id, owner=owner).first()
    if row is None:
        raise ReminderNotFound("No such reminder.")
    return row


def thank_you_done(*, owner: User, reminder_public_id: str) -> ThankYouReminder:
    """Thanked. Marking it twice keeps the first time."""
    row = _reminder_for(owner=owner, public_id=reminder_public_id)
    if row.done_at is None:
        row.done_at = timezone.now()
        row.dismissed = False
        row.save(update_fields=["done_at", "dismissed"])
    return row


def thank_you_dismiss(*, owner: User, reminder_public_id: str) -> ThankYouReminder:
    row = _reminder_for(owner=owner, public_id=reminder_public_id)
    if row.done_at is None and not row.dismissed:
        row.dismissed = True
        row.save(update_fields=["dismissed"])
    return row


@dataclass(frozen=True)
class ReminderSweep:
    keep_in_touch: int
    thank_yous: int


def _lapsed(moment: datetime) -> Q:
    not_reminded = Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("due_at"))
    awake = Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=moment)
    return Q(due_at__lte=moment) & awake & not_reminded


def _thank_you_due(moment: datetime) -> Q:
    return Q(due_at__lte=moment, done_at__isnull=True, dismissed=False, reminded_at__isnull=True)


def followup_reminders_send(
    *, now: datetime | None = None, progress: Callable[[int], None] | None = None
) -> ReminderSweep:
    """Notify each owner once per lapsed keep-in-touch and once per due thank-you.

    Idempotent: each reminder is claimed by a conditional UPDATE before its notification is
    queued, so running it twice (or two workers at once) sends one notification."""
    moment = now or timezone.now()
    active = Q(owner__is_active=True, contact__is_active=True)
    url = reverse("network:followups")
    lapses = 0
    for row in KeepInTouch.objects.filter(active & _lapsed(moment)).select_related(
        "owner", "contact__profile"
    ):
        if not blocked_between(user_id=row.owner_id, other_id=row.contact_id):
            with transaction.atomic():
                if KeepInTouch.objects.filter(Q(pk=row.pk) & _lapsed(moment)).update(
                    reminded_at=moment
                ):
                    lapses += 1
                    notify(
                        recipient=row.owner,
                        kind="network.reminder",
                        text=f"Time to get back in touch with {name_of(row.contact)}.",
                        url=url,
                        thread_key=f"keep-in-touch:{row.pk}",
                    )
        if progress is not None:
            progress(1)
    thanks = 0
    for reminder in ThankYouReminder.objects.filter(active & _thank_you_due(moment)).select_related(
        "owner", "contact__profile"
    ):
        if not blocked_between(user_id=reminder.owner_id, other_id=reminder.contact_id):
            with transaction.atomic():
                if ThankYouReminder.objects.filter(
                    Q(pk=reminder.pk) & _thank_you_due(moment)
                ).update(reminded_at=moment):
                    thanks += 1
                    notify(
                        recipient=reminder.owner,
                        kind="network.reminder",
                        text=f"Send {name_of(reminder.contact)} a thank-you note: "
                        "we drafted one for you.",
                        url=url,
                        thread_key=f"thank-you:{reminder.public_id}",
                    )
        if progress is not None:
            progress(1)
    return ReminderSweep(keep_in_touch=lapses, thank_yous=thanks)


def followup_reminders_due_count(*, now: datetime | None = None) -> int:
    """How many reminders the sweep would look at (for a progress bar)."""
    moment = now or timezone.now()
    active = Q(owner__is_active=True, contact__is_active=True)
    return (
        KeepInTouch.objects.filter(active & _lapsed(moment)).count()
        + ThankYouReminder.objects.filter(active & _thank_you_due(moment)).count()
    )
