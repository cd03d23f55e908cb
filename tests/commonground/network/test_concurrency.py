"""Concurrent identical writes make exactly one row and never a server error.

Each thread uses its own database connection (closed at its end), as concurrent requests do.
Run on SQLite by default and on PostgreSQL with DATABASE_URL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from commonground.network.followup_models import KeepInTouch
from commonground.network.models import (
    Block,
    Connection,
    ConnectionRequest,
    Introduction,
    IntroductionParticipant,
)
from commonground.network.services import (
    connection_request_accept,
    connection_request_create,
    contact_mark_contacted,
    introduction_accept,
    introduction_create,
    keep_in_touch_set,
    keep_in_touch_snooze,
    member_block,
)
from tests.commonground.concurrency import race
from tests.commonground.factories import ProfileFactory, connect

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 100


def test_100_concurrent_identical_requests_make_exactly_one(file_database):
    # given
    sender, recipient = ProfileFactory(), ProfileFactory()

    def send() -> object:
        return connection_request_create(
            sender=sender.user, recipient_public_id=recipient.user.public_id, note="Hi!"
        ).pk

    # when
    answers, handled, unexpected = race([send] * THREADS, file_database)

    # then
    assert unexpected == []
    assert handled == []
    [only] = ConnectionRequest.objects.all()
    assert only.state == ConnectionRequest.State.PENDING
    assert answers == [only.pk] * THREADS


def test_two_members_requesting_each_other_at_once_end_connected_with_one_request(
    file_database,
):
    # given
    a, b = ProfileFactory(), ProfileFactory()

    def from_a() -> object:
        return connection_request_create(sender=a.user, recipient_public_id=b.user.public_id).pk

    def from_b() -> object:
        return connection_request_create(sender=b.user, recipient_public_id=a.user.public_id).pk

    # when
    answers, handled, unexpected = race([from_a, from_b] * (THREADS // 2), file_database)

    # then: one request, accepted by the other's wish; later callers may find them connected
    assert unexpected == []
    assert set(handled) <= {"already_connected"}
    [only] = ConnectionRequest.objects.all()
    assert only.state == ConnectionRequest.State.ACCEPTED
    assert Connection.objects.count() == 1
    assert set(answers) == {only.pk}
    assert len(answers) + len(handled) == THREADS


def test_concurrent_accepts_and_a_block_leave_a_consistent_pair(file_database):
    # given
    a, b = ProfileFactory(), ProfileFactory()
    request = connection_request_create(sender=a.user, recipient_public_id=b.user.public_id)

    def accept() -> object:
        return connection_request_accept(user=b.user, request_public_id=request.public_id).pk

    def block() -> object:
        return member_block(user=b.user, member_public_id=a.user.public_id).pk

    # when
    _answers, handled, unexpected = race([accept] * 20 + [block] * 20, file_database)

    # then: the block wins in the end, whatever the order: no connection, no open request
    assert unexpected == []
    assert set(handled) <= {"request_not_found", "member_not_found"}
    assert Block.objects.count() == 1
    assert Connection.objects.count() == 0
    assert ConnectionRequest.objects.filter(state=ConnectionRequest.State.PENDING).count() == 0


def test_100_concurrent_identical_introductions_make_exactly_one(file_database):
    # given
    introducer, ada, bo = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(introducer, ada)
    connect(introducer, bo)

    def introduce() -> object:
        return introduction_create(
            introducer=introducer.user,
            member_public_ids=[ada.user.public_id, bo.user.public_id],
            reason="You should meet.",
        ).pk

    # when
    answers, handled, unexpected = race([introduce] * THREADS, file_database)

    # then
    assert unexpected == []
    assert handled == []
    [only] = Introduction.objects.all()
    assert only.state == Introduction.State.PENDING
    assert IntroductionParticipant.objects.filter(introduction=only).count() == 2
    assert answers == [only.pk] * THREADS


def test_everyone_accepting_at_once_accepts_it_once(file_database):
    # given
    introducer = ProfileFactory()
    people = ProfileFactory.create_batch(4)
    for person in people:
        connect(introducer, person)
    intro = introduction_create(
        introducer=introducer.user,
        member_public_ids=[p.user.public_id for p in people],
        reason="A small group.",
    )

    def accept_as(person):
        return lambda: (
            introduction_accept(user=person.user, introduction_public_id=intro.public_id).pk
        )

    # when
    _answers, handled, unexpected = race([accept_as(p) for p in people] * 10, file_database)

    # then
    assert unexpected == []
    assert handled == []
    intro.refresh_from_db()
    assert intro.state == Introduction.State.ACCEPTED
    assert intro.decided_at is not None
    answers = IntroductionParticipant.objects.filter(introduction=intro)
    assert sorted(answers.values_list("answer", flat=True)) == ["accepted"] * 4


def test_cadence_changes_racing_contacted_and_snoozes_keep_due_one_cadence_after_contact(
    file_database,
):
    # given: a keep-in-touch every 14 days
    owner, contact = ProfileFactory(), ProfileFactory()
    connect(owner, contact)
    keep_in_touch_set(owner=owner.user, contact_public_id=contact.user.public_id, cadence_days=14)
    them = contact.user.public_id
    jobs = (
        [lambda: keep_in_touch_set(owner=owner.user, contact_public_id=them, cadence_days=90)] * 8
        + [lambda: contact_mark_contacted(owner=owner.user, contact_public_id=them)] * 8
        + [lambda: keep_in_touch_snooze(owner=owner.user, contact_public_id=them, days=3)] * 4
    )

    # when
    _answers, handled, unexpected = race(jobs, file_database)

    # then: whatever the order, the next reminder is one cadence after the last contact
    assert unexpected == []
    assert handled == []
    row = KeepInTouch.objects.get(owner=owner.user, contact=contact.user)
    assert row.cadence_days == 90
    assert row.due_at == (row.last_contact_at or row.created_at) + timedelta(days=90)
