"""Across any time zone and daylight-saving change, a weekly series keeps its wall-clock time
(unless the clocks skip that time that day, when it moves later, never earlier)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.events.recurrence import Rule, occurrence_instant, occurrence_starts

ZONES = [
    "America/New_York",
    "America/Santiago",
    "Europe/London",
    "Europe/Paris",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "UTC",
]


def _exists(local: datetime, zone: ZoneInfo) -> bool:
    aware = local.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local


@settings(max_examples=80, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    first=st.datetimes(min_value=datetime(2027, 1, 1), max_value=datetime(2032, 12, 31)),
    interval=st.integers(min_value=1, max_value=4),
)
def test_weekly_occurrences_keep_their_local_time(zone_name, first, interval):
    zone = ZoneInfo(zone_name)
    first = first.replace(second=0, microsecond=0)
    starts = occurrence_starts(
        rule=Rule(frequency="weekly", interval=interval, count=30),
        first_local=first,
        week_of_month_=None,
        start_index=0,
        horizon_local=first + timedelta(days=3 * 366),
    )
    assert [index for index, _ in starts] == list(range(30))
    for index, local in starts:
        assert local == first + timedelta(weeks=interval * index)
        instant = occurrence_instant(local, zone)
        shown = instant.astimezone(zone).replace(tzinfo=None)
        if _exists(local, zone):
            assert shown == local
        else:
            assert local < shown <= local + timedelta(hours=1)
