"""Event writes: creation and its refusals, RSVPs, the waitlist, approvals and check-in."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from commonground.core.errors import ApplicationError
from commonground.events import services
from commonground.events.errors import EventNotFound
from commonground.events.models import Event, Rsvp, RsvpState
from commonground.events.services import rsvps
from commonground.groups import services as group_services
from tests.commonground.events.helpers import event_input, local_in, make_event
from tests.commonground.factories import InterestFactory, ProfileFactory, connect
from tests.commonground.groups.helpers import make_group

pytestmark = pytest.mark.django_db


def _state(event: Event, profile) -> str:
    return Rsvp.objects.get(event=event, user=profile.user).state


def test_create_stores_local_time_as_utc_in_the_events_zone():
    # given
    creator = ProfileFactory()
    starts = datetime(2031, 7, 1, 18, 30)
    # when
    event = make_event(
        creator,
        starts_local=starts,
        ends_local=starts + timedelta(hours=2),
        tz_name="America/New_York",
        topics=[InterestFactory()],
        capacity=12,
    )
    # then: 18:30 EDT is 22:30 UTC
    assert event.starts_at.isoformat() == "2031-07-01T22:30:00+00:00"
    assert event.ends_at.isoformat() == "2031-07-02T00:30:00+00:00"
    assert event.tz_name == "America/New_York"
    assert event.capacity == 12
    assert event.seats_taken == 0
    assert event.topics.count() == 1
    assert len(event.public_id) >= 10


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "ab"}, "title", "A title needs at least 3 characters."),
        ({"title": "Bad\x00title"}, "title", "Control characters are not allowed."),
        ({"tz_name": "Mars/Olympus"}, "time_zone", "Choose a time zone from the list"),
        ({"tz_name": "../../etc/passwd"}, "time_zone", "Choose a time zone from the list"),
        ({"capacity": 0}, "capacity", "Capacity is a number of seats from 1"),
        ({"capacity": 10**9}, "capacity", "Capacity is a number of seats from 1"),
        ({"kind": "party"}, "kind", "Choose get-together"),
        ({"mode": "telepathic"}, "mode", "Choose in person"),
        ({"venue": ""}, "venue", "An in-person event needs a venue or an address."),
        ({"mode": "virtual"}, "online_url", "A virtual or hybrid event needs its online link."),
        (
            {"mode": "hybrid", "online_url": "javascript:alert(1)"},
            "online_url",
            "Give the full link",
        ),
        ({"starts_local": local_in(-2)}, "starts_at", "Choose a start in the future."),
        (
            {"starts_local": local_in(3), "ends_local": local_in(3, hour=17)},
            "ends_at",
            "The event must end after it starts.",
        ),
        (
            {"starts_local": local_in(3), "ends_local": local_in(13)},
            "ends_at",
            "An event lasts at most 7 days.",
        ),
        (
            {"starts_local": datetime(9999, 1, 1, 10), "ends_local": datetime(9999, 1, 1, 12)},
            "starts_at",
            "Choose a start between the years 2000 and 2100.",
        ),
        (
            # The clocks in New York skip from 02:00 to 03:00 on 9 March 2031.
            {
                "starts_local": datetime(2031, 3, 9, 2, 30),
                "ends_local": datetime(2031, 3, 9, 4, 0),
                "tz_name": "America/New_York",
            },
            "starts_at",
            "2031-03-09 02:30 does not exist in America/New_York",
        ),
    ],
)
def test_create_refuses_bad_input_with_a_clear_message_and_writes_nothing(fields, field, message):
    # given
    creator = ProfileFactory()
    # when
    with pytest.raises(ApplicationError) as caught:
        make_event(creator, **fields)
    # then
    assert caught.value.status == 400
    assert caught.value.field == field
    assert caught.value.message.startswith(message)
    assert Event.objects.count() == 0


def test_only_a_groups_organizers_create_its_events():
    # given
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner)
    from commonground.groups.services import group_join

    group_join(user=member.user, slug=group.slug)
    # when / then
    with pytest.raises(ApplicationError) as caught:
        make_event(member, group_slug=group.slug)
    assert caught.value.code == "not_organizer"
    event = make_event(owner, group_slug=group.slug)
    assert event.group_id == group.pk


def test_rsvp_takes_a_seat_then_the_waitlist_fills_in_order():
    # given: two seats
    creator = ProfileFactory()
    event = make_event(creator, capacity=2)
    guests = [ProfileFactory() for _ in range(4)]
    for guest in guests:
        connect(creator, guest)
    # when
    states = [services.event_rsvp(user=g.user, public_id=event.public_id).state for g in guests]
    # then
    assert states == ["going", "going", "waitlisted", "waitlisted"]
    event.refresh_from_db()
    assert event.seats_taken == 2


def test_rsvp_twice_answers_with_the_same_row():
    creator, guest = ProfileFactory(), ProfileFactory()
    connect(creator, guest)
    event = make_event(creator, capacity=5)
    first = services.event_rsvp(user=guest.user, public_id=event.public_id)
    second = services.event_rsvp(user=guest.user, public_id=event.public_id)
    assert first.pk == second.pk
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_cancelling_a_seat_promotes_the_first_on_the_waitlist():
    # given: one seat, a goer and two waiting
    creator = ProfileFactory()
    event = make_event(creator, capacity=1)
    goer, first, second = ProfileFactory(), ProfileFactory(), ProfileFactory()
    for p in (goer, first, second):
        connect(creator, p)
        services.event_rsvp(user=p.user, public_id=event.public_id)
    # when
    services.event_rsvp_cancel(user=goer.user, public_id=event.public_id)
    # then
    assert _state(event, goer) == "not_going"
    assert _state(event, first) == "going"
    assert _state(event, second) == "waitlisted"
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_leaving_the_waitlist_frees_no_seat():
    creator = ProfileFactory()
    event = make_event(creator, capacity=1)
    goer, waiting = ProfileFactory(), ProfileFactory()
    for p in (goer, waiting):
        connect(creator, p)
        services.event_rsvp(user=p.user, public_id=event.public_id)
    services.event_rsvp_cancel(user=waiting.user, public_id=event.public_id)
    assert _state(event, goer) == "going"
    assert _state(event, waiting) == "not_going"
    event.refresh_from_db()
    assert event.seats_taken == 1


def test_approval_events_hold_requests_until_an_organizer_approves():
    # given
    creator, guest, other = ProfileFactory(), ProfileFactory(), ProfileFactory()
    for p in (guest, other):
        connect(creator, p)
    event = make_event(creator, capacity=1, requires_approval=True)
    # when
    asked = services.event_rsvp(user=guest.user, public_id=event.public_id)
    services.event_rsvp(user=other.user, public_id=event.public_id)
    # then
    assert asked.state == "pending"
    event.refresh_from_db()
    assert event.seats_taken == 0
    approved = services.event_rsvp_approve(
        user=creator.user, public_id=event.public_id, member_public_id=guest.user.public_id
    )
    assert approved.state == "going"
    # the second approval finds the event full: the waitlist
    second = services.event_rsvp_approve(
        user=creator.user, public_id=event.public_id, member_public_id=other.user.public_id
    )
    assert second.state == "waitlisted"


def test_only_organizers_approve_and_check_in():
    creator, guest = ProfileFactory(), ProfileFactory()
    connect(creator, guest)
    event = make_event(creator, requires_approval=True)
    services.event_rsvp(user=guest.user, public_id=event.public_id)
    with pytest.raises(ApplicationError) as caught:
        services.event_rsvp_approve(
            user=guest.user, public_id=event.public_id, member_public_id=guest.user.public_id
        )
    assert caught.value.code == "not_organizer"
    assert _state(event, guest) == "pending"


def test_declining_a_request_and_declining_twice():
    creator, guest = ProfileFactory(), ProfileFactory()
    connect(creator, guest)
    event = make_event(creator, requires_approval=True)
    services.event_rsvp(user=guest.user, public_id=event.public_id)
    row = services.event_rsvp_decline(
        user=creator.user, public_id=event.public_id, member_public_id=guest.user.public_id
    )
    assert row.state == "not_going"
    with pytest.raises(ApplicationError) as caught:
        services.event_rsvp_decline(
            user=creator.user, public_id=event.public_id, member_public_id=guest.user.public_id
        )
    assert caught.value.code == "not_pending"


def test_check_in_marks_only_members_going():
    creator, goer, waiting = ProfileFactory(), ProfileFactory(), ProfileFactory()
    for p in (goer, waiting):
        connect(creator, p)
    event = make_event(creator, capacity=1)
    services.event_rsvp(user=goer.user, public_id=event.public_id)
    services.event_rsvp(user=waiting.user, public_id=event.public_id)
    row = services.event_check_in(
        user=creator.user, public_id=event.public_id, member_public_id=goer.user.public_id
    )
    assert row.checked_in_at is not None
    with pytest.raises(ApplicationError) as caught:
        services.event_check_in(
            user=creator.user, public_id=event.public_id, member_public_id=waiting.user.public_id
        )
    assert caught.value.code == "rsvp_not_found"
    undone = services.event_check_in(
        user=creator.user,
        public_id=event.public_id,
        member_public_id=goer.user.public_id,
        undo=True,
    )
    assert undone.checked_in_at is None


def test_outsiders_cannot_rsvp_to_what_they_cannot_see():
    creator, stranger = ProfileFactory(), ProfileFactory()
    event = make_event(creator)
    with pytest.raises(ApplicationError) as caught:
        services.event_rsvp(user=stranger.user, public_id=event.public_id)
    assert caught.value.status == 404
    assert caught.value.code == "event_not_found"
    assert Rsvp.objects.count() == 0


def test_cancelled_events_refuse_rsvps():
    creator, guest = ProfileFactory(), ProfileFactory()
    connect(creator, guest)
    event = make_event(creator)
    services.event_cancel(user=creator.user, public_id=event.public_id)
    with pytest.raises(ApplicationError) as caught:
        services.event_rsvp(user=guest.user, public_id=event.public_id)
    assert caught.value.code == "event_closed"
    event.refresh_from_db()
    assert event.status == "cancelled"
    assert event.sequence == 1


def test_capacity_cannot_drop_below_those_going_and_a_rise_seats_the_waitlist():
    # given: 1 seat, 1 going, 2 waiting
    creator = ProfileFactory()
    event = make_event(creator, capacity=1)
    people = [ProfileFactory() for _ in range(3)]
    for p in people:
        connect(creator, p)
        services.event_rsvp(user=p.user, public_id=event.public_id)
    # when: a raise to 2
    services.event_update(
        user=creator.user, public_id=event.public_id, data=event_input(capacity=2)
    )
    # then
    assert [_state(event, p) for p in people] == ["going", "going", "waitlisted"]
    with pytest.raises(ApplicationError) as caught:
        services.event_update(
            user=creator.user, public_id=event.public_id, data=event_input(capacity=1)
        )
    assert caught.value.code == "capacity_too_low"
    event.refresh_from_db()
    assert (event.capacity, event.seats_taken) == (2, 2)


def test_update_bumps_the_calendar_sequence_and_changes_the_time():
    creator = ProfileFactory()
    event = make_event(creator)
    updated = services.event_update(
        user=creator.user,
        public_id=event.public_id,
        data=event_input(title="Moved meetup", starts_local=local_in(8, hour=19)),
    )
    assert updated.title == "Moved meetup"
    assert updated.sequence == 1
    assert updated.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris")).hour == 19


def test_non_organizers_cannot_update_or_cancel():
    creator, guest = ProfileFactory(), ProfileFactory()
    connect(creator, guest)
    event = make_event(creator)
    for call in (
        lambda: services.event_update(
            user=guest.user, public_id=event.public_id, data=event_input(title="Mine now")
        ),
        lambda: services.event_cancel(user=guest.user, public_id=event.public_id),
    ):
        with pytest.raises(ApplicationError) as caught:
            call()
        assert caught.value.status == 403
    event.refresh_from_db()
    assert (event.title, event.status) == ("Kittens & Bacon meetup", "scheduled")


def test_rsvp_state_names_are_the_documented_ones():
    assert set(RsvpState.values) == {"going", "waitlisted", "pending", "not_going"}


def test_a_member_who_leaves_a_private_group_while_answering_gets_no_seat(monkeypatch):
    # given: a private group's event, and a member who leaves the group between the first
    # visibility check and the event lock (as a concurrent request would)
    owner, member = ProfileFactory(), ProfileFactory()
    group = group_services.group_create(
        user=owner.user, name="Quiet club", interests=[InterestFactory()], visibility="private"
    )
    group_services.group_invite(
        user=owner.user, slug=group.slug, member_public_id=member.user.public_id
    )
    group_services.group_invite_accept(user=member.user, slug=group.slug)
    event = make_event(owner, group_slug=group.slug)
    original = rsvps.locked

    def leave_then_lock(event_id: int):
        group_services.group_leave(user=member.user, slug=group.slug)
        return original(event_id)

    monkeypatch.setattr(rsvps, "locked", leave_then_lock)
    # when / then
    with pytest.raises(EventNotFound):
        services.event_rsvp(user=member.user, public_id=event.public_id)
    assert not Rsvp.objects.filter(event=event, user=member.user).exists()
