"""RSVPs, the waitlist, approvals and check-in.

Every write locks the event row first and moves seats with a conditional UPDATE
(`… WHERE capacity IS NULL OR seats_taken < capacity`), under a CHECK constraint that
seats_taken never exceeds capacity: concurrent RSVPs cannot overbook, on SQLite or PostgreSQL.
A freed seat goes to the first on the waitlist (FIFO) in the same transaction.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.errors import Conflict
from commonground.core.validation import is_public_id
from commonground.events.errors import NotPendingApproval, RsvpNotFound
from commonground.events.models import Event, Rsvp, RsvpState
from commonground.events.services.common import (
    as_organizer,
    ensure_open,
    locked,
    notify_on_commit,
    view_for,
)
from commonground.groups.models import Membership

State = RsvpState


def _take_seat(event_id: int) -> bool:
    taken = (
        Event.objects.filter(pk=event_id)
        .filter(Q(capacity__isnull=True) | Q(seats_taken__lt=F("capacity")))
        .update(seats_taken=F("seats_taken") + 1)
    )
    return bool(taken)


def _release_seat(event_id: int) -> None:
    Event.objects.filter(pk=event_id, seats_taken__gt=0).update(seats_taken=F("seats_taken") - 1)


def promote_waitlist(event: Event) -> list[int]:
    """Fill free seats from the waitlist, first come first served; the user ids promoted.
    Call inside a transaction holding the event's lock."""
    promoted: list[int] = []
    while True:
        nxt = (
            Rsvp.objects.filter(event_id=event.pk, state=State.WAITLISTED)
            .order_by("waitlisted_at", "pk")
            .first()
        )
        if nxt is None or not _take_seat(event.pk):
            break
        moved = Rsvp.objects.filter(pk=nxt.pk, state=State.WAITLISTED).update(
            state=State.GOING, waitlisted_at=None
        )
        if not moved:
            _release_seat(event.pk)
            continue
        promoted.append(nxt.user_id)
    if promoted:
        notify_on_commit(
            recipients=promoted,
            kind="events.rsvp",
            text=f"A seat freed up: you're going to {event.title}.",
            event=event,
        )
    return promoted


def _row(*, event: Event, user: User) -> Rsvp:
    """The member's RSVP row, made once (the database keeps it unique) and locked."""
    try:
        with transaction.atomic():
            Rsvp.objects.get_or_create(event=event, user=user, defaults={"state": State.NOT_GOING})
    except IntegrityError:
        pass
    row = Rsvp.objects.select_for_update().filter(event=event, user=user).first()
    if row is None:
        raise Conflict("Something else changed at the same time. Try again.")
    return row


def event_rsvp(*, user: User, public_id: str) -> Rsvp:
    """Say "going": a seat when one is free, else the waitlist; a request when the organizers
    approve attendees. Repeating it answers with the state already there."""
    view = view_for(user=user, public_id=public_id)
    with transaction.atomic():
        event = locked(view.event.pk)
        if event.group_id is not None:
            # Seeing the event rests on the group membership: lock it and look again, so a
            # member leaving (or removed) at this moment cannot take a seat after all.
            list(
                Membership.objects.select_for_update()
                .filter(group_id=event.group_id, user=user)
                .values_list("pk", flat=True)
            )
            view = view_for(user=user, public_id=public_id)
        ensure_open(event)
        row = _row(event=event, user=user)
        if row.state != State.NOT_GOING:
            return row
        if event.requires_approval and not view.is_organizer:
            row.state = State.PENDING
        elif _take_seat(event.pk):
            row.state = State.GOING
        else:
            row.state = State.WAITLISTED
            row.waitlisted_at = timezone.now()
        row.save(update_fields=["state", "waitlisted_at", "updated_at"])
    return row


def event_rsvp_cancel(*, user: User, public_id: str) -> Rsvp:
    """Say "not going" (or leave the waitlist, or withdraw a request). A freed seat goes to
    the first on the waitlist at once."""
    view = view_for(user=user, public_id=public_id)
    with transaction.atomic():
        event = locked(view.event.pk)
        if event.is_cancelled:
            ensure_open(event)
        row = _row(event=event, user=user)
        before = row.state
        if before == State.NOT_GOING:
            return row
        row.state = State.NOT_GOING
        row.waitlisted_at = None
        row.checked_in_at = None
        row.save(update_fields=["state", "waitlisted_at", "checked_in_at", "updated_at"])
        if before == State.GOING:
            _release_seat(event.pk)
            promote_waitlist(event)
    return row


def _attendee_row(*, event: Event, member_public_id: str) -> Rsvp:
    if not is_public_id(member_public_id):
        raise RsvpNotFound("They have not answered this event.", field="member")
    row = (
        Rsvp.objects.select_for_update()
        .filter(event=event, user__public_id=member_public_id)
        .first()
    )
    if row is None:
        raise RsvpNotFound("They have not answered this event.", field="member")
    return row


def event_rsvp_approve(*, user: User, public_id: str, member_public_id: str) -> Rsvp:
    """Let in a member who asked: a seat when one is free, else the waitlist."""
    view = as_organizer(user=user, public_id=public_id)
    with transaction.atomic():
        event = locked(view.event.pk)
        ensure_open(event)
        row = _attendee_row(event=event, member_public_id=member_public_id)
        if row.state in (State.GOING, State.WAITLISTED):
            return row
        if row.state != State.PENDING:
            raise NotPendingApproval("There is no request from them waiting.")
        if _take_seat(event.pk):
            row.state = State.GOING
            text = f"You're in: the organizers approved you for {event.title}."
        else:
            row.state = State.WAITLISTED
            row.waitlisted_at = timezone.now()
            text = f"Approved for {event.title}: it is full, so you are on the waitlist."
        row.save(update_fields=["state", "waitlisted_at", "updated_at"])
        notify_on_commit(
            recipients=[row.user_id], kind="events.rsvp", text=text, event=event, actor=user
        )
    return row


def event_rsvp_decline(*, user: User, public_id: str, member_public_id: str) -> Rsvp:
    """Turn down a request to attend."""
    view = as_organizer(user=user, public_id=public_id)
    with transaction.atomic():
        event = locked(view.event.pk)
        row = _attendee_row(event=event, member_public_id=member_public_id)
        if row.state != State.PENDING:
            raise NotPendingApproval("There is no request from them waiting.")
        row.state = State.NOT_GOING
        row.save(update_fields=["state", "updated_at"])
    return row


def event_check_in(
    *, user: User, public_id: str, member_public_id: str, undo: bool = False
) -> Rsvp:
    """Mark a member who is going as here (or not here after all). Repeating it is harmless."""
    view = as_organizer(user=user, public_id=public_id)
    if view.event.is_cancelled:
        ensure_open(view.event)
    with transaction.atomic():
        row = _attendee_row(event=view.event, member_public_id=member_public_id)
        if row.state != State.GOING:
            raise RsvpNotFound("Only members who are going can be checked in.", field="member")
        if undo:
            Rsvp.objects.filter(pk=row.pk).update(checked_in_at=None)
        else:
            Rsvp.objects.filter(pk=row.pk, checked_in_at__isnull=True).update(
                checked_in_at=timezone.now()
            )
    row.refresh_from_db()
    return row
