"""Connection requests: create (mutual intent accepts), accept, decline (silently), withdraw.

Uniqueness is the database's job: a partial unique constraint allows one pending request per
pair, so concurrent identical requests insert one row and the others answer with it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.errors import Conflict
from commonground.core.validation import clean_text
from commonground.network.errors import (
    AlreadyConnected,
    RequestNotFound,
    RequestNotPending,
    RequestsToStrangersLimited,
    SelfRelation,
)
from commonground.network.graph import are_connected, blocked_between, mutual_connection_ids
from commonground.network.models import NOTE_MAX_LENGTH, ConnectionRequest
from commonground.network.services.connections import connection_create
from commonground.network.services.followups import thank_you_reminders_for_connection
from commonground.network.services.members import is_public_id, lock_pair, member_for
from commonground.profiles.selectors import Viewer

State = ConnectionRequest.State
STRANGER_REQUESTS_PER_DAY = 20


def stranger_requests_per_day() -> int:
    return int(
        getattr(settings, "CONNECTION_REQUESTS_TO_STRANGERS_PER_DAY", STRANGER_REQUESTS_PER_DAY)
    )


def connection_request_create(
    *, sender: User, recipient_public_id: str, note: str = ""
) -> ConnectionRequest:
    """Ask to connect, with a note. Repeating it answers the same request; if the recipient
    already asked the sender, the sender's wish accepts theirs and they are connected."""
    note = clean_text(note, field="note", max_length=NOTE_MAX_LENGTH)
    if recipient_public_id == sender.public_id:
        raise SelfRelation("You can't send a connection request to yourself.", field="member")
    viewer = Viewer.for_user(sender)
    recipient = member_for(viewer=viewer, public_id=recipient_public_id)
    if recipient.pk in viewer.connections:
        raise AlreadyConnected("You are already connected.", field="member")
    to_stranger = not mutual_connection_ids(user_ids=viewer.connections, other_id=recipient.pk)
    with transaction.atomic():
        # Also makes the sender's daily count and the insert atomic: the sender is locked.
        lock_pair(user_id=sender.pk, other_id=recipient.pk)
        for _attempt in range(3):
            existing = _existing_answer(sender=sender, recipient=recipient, note=note)
            if existing is not None:
                return existing
            if to_stranger:
                _check_stranger_rate(sender)
            low, high = sorted((sender.pk, recipient.pk))
            try:
                with transaction.atomic():
                    return ConnectionRequest.objects.create(
                        sender=sender,
                        recipient=recipient,
                        user_low_id=low,
                        user_high_id=high,
                        note=note,
                        to_stranger=to_stranger,
                    )
            except IntegrityError:
                continue  # a concurrent request for this pair won; answer as that one
    raise Conflict("Something else changed this request at the same time. Try again.")


def _existing_answer(*, sender: User, recipient: User, note: str) -> ConnectionRequest | None:
    low, high = sorted((sender.pk, recipient.pk))
    pending = ConnectionRequest.objects.filter(
        user_low_id=low, user_high_id=high, state=State.PENDING
    ).first()
    if pending is not None:
        if pending.sender_id == sender.pk:
            return pending
        return _accept(pending)  # they asked first: both want it
    # Checked after the pending request: a concurrent accept that made that request vanish
    # has committed its connection too by now (each statement reads the latest commit).
    if are_connected(user_id=sender.pk, other_id=recipient.pk):
        raise AlreadyConnected("You are already connected.", field="member")
    declined = (
        ConnectionRequest.objects.filter(sender=sender, recipient=recipient, state=State.DECLINED)
        .order_by("-decided_at")
        .first()
    )
    if declined is None or declined.decided_at is None:
        return None
    asked_since = ConnectionRequest.objects.filter(
        sender=recipient, recipient=sender, created_at__gt=declined.decided_at
    ).exists()
    if asked_since:
        return None
    # Declined, silently: the sender sees their request as pending again, and the recipient
    # is not asked a second time.
    if declined.withdrawn_at is not None:
        declined.withdrawn_at = None
        declined.note = note
        declined.save(update_fields=["withdrawn_at", "note"])
    return declined


def _check_stranger_rate(sender: User) -> None:
    limit = stranger_requests_per_day()
    since = timezone.now() - timedelta(days=1)
    sent = ConnectionRequest.objects.filter(
        sender=sender, to_stranger=True, created_at__gte=since
    ).count()
    if sent >= limit:
        raise RequestsToStrangersLimited(
            f"You can send at most {limit} connection requests a day to members you share no "
            "connection with. Try again tomorrow, or connect through someone you both know."
        )


def _accept(request: ConnectionRequest) -> ConnectionRequest:
    if blocked_between(user_id=request.sender_id, other_id=request.recipient_id):
        raise RequestNotFound("No such request.")
    updated = ConnectionRequest.objects.filter(pk=request.pk, state=State.PENDING).update(
        state=State.ACCEPTED, decided_at=timezone.now()
    )
    current = ConnectionRequest.objects.filter(pk=request.pk).first()
    if current is None:  # removed by a block meanwhile
        raise RequestNotFound("No such request.")
    if not updated and current.state != State.ACCEPTED:
        raise RequestNotPending("This request is no longer open.")
    connection_create(user_id=current.sender_id, other_id=current.recipient_id)
    thank_you_reminders_for_connection(user_id=current.sender_id, other_id=current.recipient_id)
    return current


def _request_for(*, user: User, public_id: str, role: str) -> ConnectionRequest:
    """A request this member takes part in as role, or 404 for anyone else. Locks the pair
    and reads the request after the lock, so the state seen is the latest."""
    pair = None
    if is_public_id(public_id):
        pair = (
            ConnectionRequest.objects.filter(public_id=public_id, **{role: user})
            .values_list("sender_id", "recipient_id")
            .first()
        )
    if pair is None:
        raise RequestNotFound("No such request.")
    lock_pair(user_id=pair[0], other_id=pair[1])
    request = (
        ConnectionRequest.objects.filter(public_id=public_id)
        .select_related("sender", "recipient")
        .first()
    )
    if (
        request is None
        or not request.sender.is_active
        or not request.recipient.is_active
        or blocked_between(user_id=request.sender_id, other_id=request.recipient_id)
    ):
        raise RequestNotFound("No such request.")
    return request


def connection_request_accept(*, user: User, request_public_id: str) -> ConnectionRequest:
    """The recipient accepts: they are connected. Accepting twice is harmless."""
    with transaction.atomic():
        request = _request_for(user=user, public_id=request_public_id, role="recipient")
        if request.state == State.ACCEPTED:
            return request
        if request.state != State.PENDING:
            raise RequestNotPending("This request is no longer open.")
        return _accept(request)


def connection_request_decline(*, user: User, request_public_id: str) -> None:
    """The recipient declines, silently: the sender is never told and still sees 'pending'."""
    with transaction.atomic():
        request = _request_for(user=user, public_id=request_public_id, role="recipient")
        if request.state == State.DECLINED:
            return
        updated = ConnectionRequest.objects.filter(pk=request.pk, state=State.PENDING).update(
            state=State.DECLINED, decided_at=timezone.now()
        )
        if not updated:
            raise RequestNotPending("This request is no longer open.")


def connection_request_withdraw(*, user: User, request_public_id: str) -> None:
    """The sender takes their request back (also one the recipient silently declined)."""
    with transaction.atomic():
        request = _request_for(user=user, public_id=request_public_id, role="sender")
        if request.withdrawn_at is not None:
            return
        now = timezone.now()
        if request.state == State.DECLINED:
            ConnectionRequest.objects.filter(pk=request.pk).update(withdrawn_at=now)
            return
        updated = ConnectionRequest.objects.filter(pk=request.pk, state=State.PENDING).update(
            state=State.WITHDRAWN, withdrawn_at=now
        )
        if not updated:
            raise RequestNotPending(
                "This request was already accepted: you are connected."
                if ConnectionRequest.objects.filter(pk=request.pk, state=State.ACCEPTED).exists()
                else "This request is no longer open."
            )
