"""Connection request services: every state transition, and the illegal ones with their codes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.core.errors import ValidationFailed
from commonground.network.errors import (
    AlreadyConnected,
    ConnectionNotFound,
    RequestNotFound,
    RequestNotPending,
    RequestsToStrangersLimited,
    SelfRelation,
)
from commonground.network.models import Connection, ConnectionRequest
from commonground.network.selectors import (
    are_connected,
    connection_request_list,
    request_state_for,
)
from commonground.network.services import (
    connection_remove,
    connection_request_accept,
    connection_request_create,
    connection_request_decline,
    connection_request_withdraw,
)
from commonground.profiles.errors import MemberNotFound
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import NewMemberFactory, ProfileFactory, connect

pytestmark = pytest.mark.django_db

State = ConnectionRequest.State


def _send(sender, recipient, note="Hello!"):
    return connection_request_create(
        sender=sender.user, recipient_public_id=recipient.user.public_id, note=note
    )


def _outgoing(member):
    return connection_request_list(viewer=Viewer.for_user(member.user)).outgoing


def _incoming(member):
    return connection_request_list(viewer=Viewer.for_user(member.user)).incoming


def test_a_request_is_pending_with_its_note_and_the_pair_stored_ordered():
    # given
    a, b = ProfileFactory(), ProfileFactory()

    # when
    request = _send(b, a, note="  Hi! I saw we both love Star Trek.  ")

    # then
    assert (request.sender_id, request.recipient_id) == (b.user_id, a.user_id)
    assert (request.user_low_id, request.user_high_id) == (a.user_id, b.user_id)
    assert request.state == State.PENDING
    assert request.note == "Hi! I saw we both love Star Trek."
    assert request.to_stranger is True
    assert [r.public_id for r in _incoming(a)] == [request.public_id]
    assert [r.public_id for r in _outgoing(b)] == [request.public_id]
    assert (_incoming(b), _outgoing(a)) == ([], [])
    assert are_connected(user_id=a.user_id, other_id=b.user_id) is False


def test_repeating_a_request_answers_the_same_one():
    # given
    a, b = ProfileFactory(), ProfileFactory()
    first = _send(a, b)

    # when
    again = _send(a, b, note="Another note")

    # then
    assert again.pk == first.pk
    assert ConnectionRequest.objects.count() == 1
    assert again.note == "Hello!"


def test_requesting_someone_who_requested_you_connects_you():
    # given
    a, b = ProfileFactory(), ProfileFactory()
    theirs = _send(b, a)

    # when
    answer = _send(a, b)

    # then
    assert answer.pk == theirs.pk
    assert answer.state == State.ACCEPTED
    assert answer.decided_at is not None
    assert ConnectionRequest.objects.count() == 1
    assert are_connected(user_id=a.user_id, other_id=b.user_id) is True


def test_accept_connects_and_is_idempotent():
    # given
    a, b = ProfileFactory(), ProfileFactory()
    request = _send(a, b)

    # when
    accepted = connection_request_accept(user=b.user, request_public_id=request.public_id)
    again = connection_request_accept(user=b.user, request_public_id=request.public_id)

    # then
    assert accepted.state == again.state == State.ACCEPTED
    assert Connection.objects.count() == 1
    assert are_connected(user_id=a.user_id, other_id=b.user_id) is True
    assert (_incoming(b), _outgoing(a)) == ([], [])


def test_decline_is_silent_the_sender_still_sees_pending():
    # given
    a, b = ProfileFactory(), ProfileFactory()
    request = _send(a, b)

    # when
    connection_request_decline(user=b.user, request_public_id=request.public_id)

    # then
    request.refresh_from_db()
    assert request.state == State.DECLINED
    assert _incoming(b) == []
    [seen] = _outgoing(a)
    assert (seen.public_id, seen.state) == (request.public_id, "pending")
    assert request_state_for(request, user_id=a.user_id) == "pending"
    assert request_state_for(request, user_id=b.user_id) == "declined"


def test_after_a_decline_new_requests_stay_silently_declined():
    # given
    a, b = ProfileFactory(), ProfileFactory()
    request = _send(a, b)
    connection_request_decline(user=b.user, request_public_id=request.public_id)

    # when: the sender withdraws what looks pending to them, then asks again
    connection_request_withdraw(user=a.user, request_public_id=request.public_id)
    withdrawn_view = _outgoing(a)
    again = _send(a, b, note="Second try")

    # then: one row, still declined, pending again to the sender, never shown to the recipient
    assert withdrawn_view == []
    assert again.pk == request.pk
    assert ConnectionRequest.objects.count() == 1
    assert again.state == State.DECLINED
    assert [r.state for r in _outgoing(a)] == ["pending"]
    assert _incoming(b) == []


def test_after_declining_the_recipient_can_still_ask_themselves():
    # given
    a, b = ProfileFactory(), ProfileFactory()
    request = _send(a, b)
    connection_request_decline(user=b.user, request_public_id=request.public_id)

    # when
    theirs = _send(b, a)
    mine = _send(a, b)

    # then: b's later wish outranks b's old decline, and a's request accepts it
    assert theirs.pk != request.pk
    assert mine.pk == theirs.pk
    assert mine.state == State.ACCEPTED
    assert are_connected(user_id=a.user_id, other_id=b.user_id) is True


def test_withdraw_removes_it_from_both_sides_and_allows_a_new_request():
    # given
    a, b = ProfileFactory(), ProfileFactory()
    request = _send(a, b)

    # when
    connection_request_withdraw(user=a.user, request_public_id=request.public_id)
    connection_request_withdraw(user=a.user, request_public_id=request.public_id)  # harmless

    # then
    request.refresh_from_db()
    assert request.state == State.WITHDRAWN
    assert request.withdrawn_at is not None
    assert (_incoming(b), _outgoing(a)) == ([], [])
    assert _send(a, b).pk != request.pk
    assert ConnectionRequest.objects.filter(state=State.PENDING).count() == 1


@pytest.mark.parametrize(
    ("setup", "action", "error", "code"),
    [
        ("accepted", "decline", RequestNotPending, "request_not_pending"),
        ("accepted", "withdraw", RequestNotPending, "request_not_pending"),
        ("withdrawn", "accept", RequestNotPending, "request_not_pending"),
        ("withdrawn", "decline", RequestNotPending, "request_not_pending"),
        ("declined", "accept", RequestNotPending, "request_not_pending"),
    ],
)
def test_illegal_transitions_raise_with_a_code(setup, action, error, code):
    # given
    a, b = ProfileFactory(), ProfileFactory()
    request = _send(a, b)
    if setup == "accepted":
        connection_request_accept(user=b.user, request_public_id=request.public_id)
    elif setup == "withdrawn":
        connection_request_withdraw(user=a.user, request_public_id=request.public_id)
    else:
        connection_request_decline(user=b.user, request_public_id=request.public_id)
    before = ConnectionRequest.objects.get(pk=request.pk).state
    actor = a.user if action == "withdraw" else b.user
    service = {
        "accept": connection_request_accept,
        "decline": connection_request_decline,
        "withdraw": connection_request_withdraw,
    }[action]

    # when
    with pytest.raises(error) as caught:
        service(user=actor, request_public_id=request.public_id)

    # then
    assert caught.value.code == code
    assert caught.value.status == 409
    assert ConnectionRequest.objects.get(pk=request.pk).state == before


@pytest.mark.parametrize("action", ["accept", "decline", "withdraw"])
def test_only_the_right_party_may_act_on_a_request(action):
    # given
    a, b, stranger = ProfileFactory(), ProfileFactory(), ProfileFactory()
    request = _send(a, b)
    service = {
        "accept": connection_request_accept,
        "decline": connection_request_decline,
        "withdraw": connection_request_withdraw,
    }[action]
    wrong = [stranger.user, b.user if action == "withdraw" else a.user]

    # when / then
    for user in wrong:
        with pytest.raises(RequestNotFound) as caught:
            service(user=user, request_public_id=request.public_id)
        assert caught.value.code == "request_not_found"
    assert ConnectionRequest.objects.get(pk=request.pk).state == State.PENDING


@pytest.mark.parametrize("bad_id", ["", "nope", "x" * 40, "a\x00b", "../etc"])
def test_unknown_request_ids_are_not_found(bad_id):
    # given
    a = ProfileFactory()

    # when / then
    with pytest.raises(RequestNotFound):
        connection_request_accept(user=a.user, request_public_id=bad_id)


def test_requests_to_oneself_are_refused():
    # given
    a = ProfileFactory()

    # when
    with pytest.raises(SelfRelation) as caught:
        _send(a, a)

    # then
    assert (caught.value.code, caught.value.field) == ("self", "member")
    assert ConnectionRequest.objects.count() == 0


def test_requests_to_a_connection_are_refused():
    # given
    a, b = ProfileFactory(), ProfileFactory()
    connect(a, b)

    # when
    with pytest.raises(AlreadyConnected) as caught:
        _send(a, b)

    # then
    assert (caught.value.code, caught.value.status) == ("already_connected", 409)
    assert ConnectionRequest.objects.count() == 0


@pytest.mark.parametrize("who", ["missing", "not onboarded", "deactivated"])
def test_requests_to_members_one_cannot_find_are_not_found(who):
    # given
    a = ProfileFactory()
    public_id = "doesnotexist"
    if who == "not onboarded":
        public_id = NewMemberFactory().user.public_id
    elif who == "deactivated":
        gone = ProfileFactory()
        gone.user.is_active = False
        gone.user.save()
        public_id = gone.user.public_id

    # when
    with pytest.raises(MemberNotFound) as caught:
        connection_request_create(sender=a.user, recipient_public_id=public_id)

    # then
    assert caught.value.code == "member_not_found"
    assert ConnectionRequest.objects.count() == 0


def test_a_note_longer_than_500_characters_is_refused():
    # given
    a, b = ProfileFactory(), ProfileFactory()

    # when
    with pytest.raises(ValidationFailed) as caught:
        _send(a, b, note="x" * 501)

    # then
    assert caught.value.field == "note"
    assert caught.value.message == "Use at most 500 characters (you used 501)."
    assert ConnectionRequest.objects.count() == 0


def test_requests_to_strangers_are_limited_per_day(settings):
    # given
    settings.CONNECTION_REQUESTS_TO_STRANGERS_PER_DAY = 3
    sender = ProfileFactory()
    for _ in range(3):
        _send(sender, ProfileFactory())

    # when
    with pytest.raises(RequestsToStrangersLimited) as caught:
        _send(sender, ProfileFactory())

    # then
    assert (caught.value.code, caught.value.status) == ("rate_limited", 429)
    assert "at most 3 connection requests a day" in caught.value.message
    assert ConnectionRequest.objects.count() == 3


def test_the_stranger_limit_spares_friends_of_friends_repeats_and_old_requests(settings):
    # given
    settings.CONNECTION_REQUESTS_TO_STRANGERS_PER_DAY = 2
    sender, friend, friend_of_friend = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(sender, friend)
    connect(friend, friend_of_friend)
    old = _send(sender, ProfileFactory())
    ConnectionRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    recent = ProfileFactory()
    _send(sender, recent)

    # when
    repeat = _send(sender, recent)
    via_friend = _send(sender, friend_of_friend)
    last = _send(sender, ProfileFactory())

    # then
    assert repeat.to_stranger is True
    assert via_friend.to_stranger is False
    assert last.to_stranger is True
    with pytest.raises(RequestsToStrangersLimited):
        _send(sender, ProfileFactory())


def test_connection_remove_ends_it_for_both_and_only_once():
    # given
    a, b = ProfileFactory(), ProfileFactory()
    connect(a, b)

    # when
    connection_remove(user=b.user, member_public_id=a.user.public_id)

    # then
    assert are_connected(user_id=a.user_id, other_id=b.user_id) is False
    with pytest.raises(ConnectionNotFound) as caught:
        connection_remove(user=a.user, member_public_id=b.user.public_id)
    assert caught.value.code == "connection_not_found"
    assert _send(a, b).state == State.PENDING


@pytest.mark.parametrize("direction", ["same", "reverse"])
def test_the_database_allows_one_pending_request_per_pair(direction):
    # given
    a, b = ProfileFactory(), ProfileFactory()
    _send(a, b)
    sender, recipient = (a, b) if direction == "same" else (b, a)
    low, high = sorted((a.user_id, b.user_id))

    # when / then: the constraint itself, not a check in the service
    with pytest.raises(IntegrityError), transaction.atomic():
        ConnectionRequest.objects.create(
            sender=sender.user, recipient=recipient.user, user_low_id=low, user_high_id=high
        )
    ConnectionRequest.objects.filter(state=State.PENDING).update(state=State.DECLINED)
    ConnectionRequest.objects.create(
        sender=sender.user, recipient=recipient.user, user_low_id=low, user_high_id=high
    )
    assert ConnectionRequest.objects.filter(state=State.PENDING).count() == 1
