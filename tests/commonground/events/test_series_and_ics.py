"""Series (weekly, every N weeks, monthly by weekday) and RFC 5545 calendars, across
daylight-saving changes, checked by parsing the output with the `icalendar` package."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from commonground.core.errors import ApplicationError
from commonground.events import services
from commonground.events.ics import calendar_for
from commonground.events.models import Event
from commonground.events.recurrence import Rule, nth_weekday, occurrence_starts, week_of_month
from tests.commonground.events.helpers import event_input, make_event
from tests.commonground.factories import ProfileFactory, connect

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


def _series_in_new_york(creator, *, rule: Rule, starts: datetime) -> list[Event]:
    first = make_event(
        creator,
        rule=rule,
        starts_local=starts,
        ends_local=starts + timedelta(hours=2),
        tz_name="America/New_York",
    )
    return list(Event.objects.filter(series=first.series).order_by("series_index"))


def test_a_weekly_series_keeps_its_local_time_when_the_clocks_go_back():
    # given: Tuesdays 18:30 in New York from 21 October 2031; clocks go back on 2 November
    creator = ProfileFactory()
    # when
    events = _series_in_new_york(
        creator, rule=Rule(frequency="weekly", count=4), starts=datetime(2031, 10, 21, 18, 30)
    )
    # then: same local time, the UTC instant an hour later after the change
    assert [e.starts_at.astimezone(NEW_YORK).strftime("%a %d %b %H:%M") for e in events] == [
        "Tue 21 Oct 18:30",
        "Tue 28 Oct 18:30",
        "Tue 04 Nov 18:30",
        "Tue 11 Nov 18:30",
    ]
    assert [e.starts_at.astimezone(UTC).strftime("%d %H:%M") for e in events] == [
        "21 22:30",
        "28 22:30",
        "04 23:30",
        "11 23:30",
    ]
    assert [e.series_index for e in events] == [0, 1, 2, 3]


def test_the_ics_of_a_series_parses_and_places_each_occurrence_right_across_dst():
    # given
    creator = ProfileFactory()
    events = _series_in_new_york(
        creator, rule=Rule(frequency="weekly", count=3), starts=datetime(2031, 10, 28, 18, 30)
    )
    # when
    body = calendar_for(
        events, base_url="https://cg.example", name="Mine", may_see_link=lambda _e: False
    )
    cal = Calendar.from_ical(body)
    # then
    assert cal["METHOD"] == "PUBLISH"
    assert cal["VERSION"] == "2.0"
    zones = [tz["TZID"] for tz in cal.walk("VTIMEZONE")]
    assert zones == ["America/New_York"]
    vevents = cal.walk("VEVENT")
    assert [str(v["UID"]) for v in vevents] == [f"event-{e.public_id}@commonground" for e in events]
    assert [v["DTSTART"].params["TZID"] for v in vevents] == ["America/New_York"] * 3
    starts = [v.decoded("DTSTART") for v in vevents]
    assert [s.astimezone(UTC).strftime("%m-%d %H:%M") for s in starts] == [
        "10-28 22:30",
        "11-04 23:30",
        "11-11 23:30",
    ]
    assert [s.astimezone(NEW_YORK).strftime("%H:%M") for s in starts] == ["18:30"] * 3
    assert [int(v["SEQUENCE"]) for v in vevents] == [0, 0, 0]
    assert b"DTSTART;TZID=America/New_York:20311028T183000" in body


def test_a_monthly_series_keeps_the_weekday_of_the_month():
    # given: the 2nd Tuesday, every 2 months
    creator = ProfileFactory()
    starts = datetime(2031, 1, 14, 19, 0)
    assert week_of_month(starts.date()) == 2
    # when
    events = _series_in_new_york(
        creator, rule=Rule(frequency="monthly", interval=2, count=4), starts=starts
    )
    # then
    assert [e.starts_at.astimezone(NEW_YORK).date() for e in events] == [
        date(2031, 1, 14),
        date(2031, 3, 11),
        date(2031, 5, 13),
        date(2031, 7, 8),
    ]
    assert {e.starts_at.astimezone(NEW_YORK).strftime("%a %H:%M") for e in events} == {"Tue 19:00"}


def test_a_fifth_weekday_means_the_last_one():
    assert week_of_month(date(2031, 1, 30)) == -1
    assert nth_weekday(2031, 2, 3, -1) == date(2031, 2, 27)


def test_occurrences_stop_at_the_end_date_and_the_horizon():
    first = datetime(2031, 1, 6, 10, 0)
    found = occurrence_starts(
        rule=Rule(frequency="weekly", interval=3, until=date(2031, 2, 20)),
        first_local=first,
        week_of_month_=None,
        start_index=0,
        horizon_local=datetime(2032, 1, 1),
    )
    assert [local.date() for _, local in found] == [
        date(2031, 1, 6),
        date(2031, 1, 27),
        date(2031, 2, 17),
    ]


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        (Rule(frequency="daily"), "frequency", "Repeat weekly or monthly."),
        (Rule(frequency="weekly", interval=0), "interval", "Repeat every 1 to 12"),
        (Rule(frequency="weekly", interval=53), "interval", "Repeat every 1 to 12"),
        (Rule(frequency="weekly", count=1), "count", "A series has 2 to 100 occurrences"),
        (Rule(frequency="monthly", count=500), "count", "A series has 2 to 100 occurrences"),
        (Rule(frequency="weekly", until=date(2020, 1, 1)), "until", "The series must end after"),
        (Rule(frequency="weekly", until=date(2099, 1, 1)), "until", "A series can run for at most"),
    ],
)
def test_invalid_rules_get_clear_messages_and_write_nothing(rule, field, message):
    creator = ProfileFactory()
    with pytest.raises(ApplicationError) as caught:
        make_event(creator, rule=rule)
    assert (caught.value.field, caught.value.status) == (field, 400)
    assert caught.value.message.startswith(message)
    assert Event.objects.count() == 0


def test_an_open_ended_series_is_made_six_months_ahead_and_extending_is_idempotent():
    # given: weekly, no end
    creator = ProfileFactory()
    first = make_event(creator, rule=Rule(frequency="weekly"))
    made = Event.objects.filter(series=first.series).count()
    # then: about 26 weeks
    assert 25 <= made <= 28
    # when: extending again makes nothing new
    assert services.event_series_extend() == 0
    assert Event.objects.filter(series=first.series).count() == made


def test_editing_the_whole_series_moves_every_later_occurrence_but_not_one_edited_alone():
    # given: 4 weekly occurrences at 18:30
    creator = ProfileFactory()
    events = _series_in_new_york(
        creator, rule=Rule(frequency="weekly", count=4), starts=datetime(2031, 10, 21, 18, 30)
    )
    # the third one is moved on its own to 20:00
    third = events[2]
    services.event_update(
        user=creator.user,
        public_id=third.public_id,
        data=event_input(
            title="Special edition",
            starts_local=datetime(2031, 11, 4, 20, 0),
            tz_name="America/New_York",
        ),
        scope="one",
    )
    # when: the second one and all later move to 19:00
    services.event_update(
        user=creator.user,
        public_id=events[1].public_id,
        data=event_input(
            title="Later meetup",
            starts_local=datetime(2031, 10, 28, 19, 0),
            tz_name="America/New_York",
        ),
        scope="series",
    )
    # then
    after = list(Event.objects.filter(series=events[0].series).order_by("series_index"))
    assert [(e.title, e.starts_at.astimezone(NEW_YORK).strftime("%d %H:%M")) for e in after] == [
        ("Kittens & Bacon meetup", "21 18:30"),
        ("Later meetup", "28 19:00"),
        ("Special edition", "04 20:00"),
        ("Later meetup", "11 19:00"),
    ]
    assert [e.sequence for e in after] == [0, 1, 1, 1]
    assert after[2].detached is True


def test_cancelling_the_rest_of_a_series():
    creator = ProfileFactory()
    events = _series_in_new_york(
        creator, rule=Rule(frequency="weekly", count=3), starts=datetime(2031, 10, 21, 18, 30)
    )
    services.event_cancel(user=creator.user, public_id=events[1].public_id, scope="series")
    after = list(Event.objects.filter(series=events[0].series).order_by("series_index"))
    assert [e.status for e in after] == ["scheduled", "cancelled", "cancelled"]


def test_a_cancelled_event_says_so_in_the_calendar_with_a_new_sequence():
    creator = ProfileFactory()
    event = make_event(creator)
    services.event_cancel(user=creator.user, public_id=event.public_id)
    event.refresh_from_db()
    body = calendar_for([event], base_url="https://x", name="x", may_see_link=lambda _e: True)
    (vevent,) = Calendar.from_ical(body).walk("VEVENT")
    assert vevent["STATUS"] == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 1


def test_the_online_link_is_in_the_calendar_only_when_allowed():
    creator, guest = ProfileFactory(), ProfileFactory()
    connect(creator, guest)
    event = make_event(creator, mode="hybrid", online_url="https://meet.example/secret-room")
    hidden = calendar_for([event], base_url="https://x", name="x", may_see_link=lambda _e: False)
    shown = calendar_for([event], base_url="https://x", name="x", may_see_link=lambda _e: True)
    assert b"secret-room" not in hidden
    assert b"secret-room" in shown.replace(b"\r\n ", b"")
