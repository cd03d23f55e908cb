"""1,000 concurrent RSVPs for 100 seats, and many cancels at once: never an overbooking, never
a server error, the waitlist promoted first come first served. Runs on SQLite here and on
PostgreSQL in CI (DATABASE_URL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from commonground.accounts.models import User
from commonground.core.errors import ApplicationError
from commonground.events import services
from commonground.events.models import Event, Rsvp
from tests.commonground.concurrency import Connect
from tests.commonground.events.helpers import make_event
from tests.commonground.factories import ProfileFactory
from tests.commonground.groups.helpers import make_group

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

WORKERS = 50


def pool_race(
    jobs: list[Callable[[], object]], connect: Connect, *, workers: int = WORKERS
) -> tuple[list[object], list[str], list[Exception]]:
    """Like `race`, with a fixed number of threads (each with its own database connection,
    as request workers have) taking jobs until none are left: a thousand raw threads would
    also open a thousand PostgreSQL connections."""
    pending = list(reversed(jobs))
    barrier = threading.Barrier(workers)
    lock = threading.Lock()
    answers: list[object] = []
    handled: list[str] = []
    unexpected: list[Exception] = []

    def work() -> None:
        if connect is not None:
            connections["default"] = connect()
        try:
            barrier.wait()
            while True:
                with lock:
                    if not pending:
                        return
                    job = pending.pop()
                try:
                    answer = job()
                except ApplicationError as error:
                    with lock:
                        handled.append(error.code)
                except Exception as error:  # anything else would be a 500
                    with lock:
                        unexpected.append(error)
                else:
                    with lock:
                        answers.append(answer)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, handled, unexpected


def _members(count: int) -> list[User]:
    User.objects.bulk_create(User(email=f"rsvp{i}@example.org") for i in range(count))
    return list(User.objects.filter(email__startswith="rsvp").order_by("pk"))


def _public_group_event(capacity: int) -> Event:
    owner = ProfileFactory()
    group = make_group(owner)
    return make_event(owner, group_slug=group.slug, capacity=capacity)


def _rsvp(user: User, public_id: str) -> Callable[[], object]:
    return lambda: services.event_rsvp(user=user, public_id=public_id).state


def _cancel(user: User, public_id: str) -> Callable[[], object]:
    return lambda: services.event_rsvp_cancel(user=user, public_id=public_id).state


def test_1000_concurrent_rsvps_for_100_seats_never_overbook(file_database):
    # given: a public group's event with 100 seats, and 1,000 members
    event = _public_group_event(capacity=100)
    members = _members(1000)
    # when: each says "going" at once
    answers, handled, unexpected = pool_race(
        [_rsvp(m, event.public_id) for m in members], file_database
    )
    # then: exactly 100 seats taken, 900 waiting, one row each, no error
    assert unexpected == []
    assert handled == []
    assert sorted(answers).count("going") == 100
    assert sorted(answers).count("waitlisted") == 900
    event.refresh_from_db()
    assert event.seats_taken == 100
    assert Rsvp.objects.filter(event=event, state="going").count() == 100
    assert Rsvp.objects.filter(event=event, state="waitlisted").count() == 900
    assert Rsvp.objects.filter(event=event).count() == 1000


def test_20_cancels_at_once_promote_exactly_the_first_20_waiting(file_database):
    # given: 100 seats taken and 50 waiting, in a known order
    event = _public_group_event(capacity=100)
    members = _members(150)
    for member in members:
        services.event_rsvp(user=member, public_id=event.public_id)
    goers, waiting = members[:100], members[100:]
    # when: 20 goers cancel at the same moment
    answers, handled, unexpected = pool_race(
        [_cancel(m, event.public_id) for m in goers[:20]], file_database, workers=20
    )
    # then: the first 20 on the waitlist have the seats, the other 30 still wait
    assert unexpected == []
    assert handled == []
    assert answers == ["not_going"] * 20
    event.refresh_from_db()
    assert event.seats_taken == 100
    going = set(Rsvp.objects.filter(event=event, state="going").values_list("user_id", flat=True))
    assert going == {m.pk for m in goers[20:]} | {m.pk for m in waiting[:20]}
    still = set(
        Rsvp.objects.filter(event=event, state="waitlisted").values_list("user_id", flat=True)
    )
    assert still == {m.pk for m in waiting[20:]}


def test_rsvps_and_cancels_mixed_keep_the_seat_count_true(file_database):
    # given: 10 seats, 30 members already answered (10 going, 20 waiting)
    event = _public_group_event(capacity=10)
    members = _members(60)
    for member in members[:30]:
        services.event_rsvp(user=member, public_id=event.public_id)
    # when: the first 15 cancel while 30 newcomers say going, all at once
    jobs = [_cancel(m, event.public_id) for m in members[:15]]
    jobs += [_rsvp(m, event.public_id) for m in members[30:]]
    _, handled, unexpected = pool_race(jobs, file_database, workers=45)
    # then
    assert unexpected == []
    assert handled == []
    event.refresh_from_db()
    going = Rsvp.objects.filter(event=event, state="going").count()
    assert going == event.seats_taken == 10
    assert Rsvp.objects.filter(event=event, state="waitlisted").count() == 35


def test_the_same_member_saying_going_50_times_at_once_takes_one_seat(file_database):
    event = _public_group_event(capacity=5)
    (member,) = _members(1)
    answers, handled, unexpected = pool_race(
        [_rsvp(member, event.public_id)] * 50, file_database, workers=50
    )
    assert unexpected == []
    assert handled == []
    assert answers == ["going"] * 50
    event.refresh_from_db()
    assert event.seats_taken == 1
    assert Rsvp.objects.filter(event=event).count() == 1
