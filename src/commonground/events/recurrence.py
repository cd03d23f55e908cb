"""Time zones and recurrence rules: local wall-clock times, kept across daylight-saving changes.

A series stores its first occurrence's local start and its zone; every occurrence keeps that
local time of day (18:30 stays 18:30 in New York after the clocks go back), so its UTC instant
moves by the hour the zone does.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from commonground.events.errors import EventInvalid

MAX_INTERVAL = 12
MAX_COUNT = 100
# Occurrences are materialized this far ahead; `commonground event_series_extend` keeps it so.
HORIZON = timedelta(days=183)
MAX_SERIES_SPAN = timedelta(days=3 * 366)
_ZONES = frozenset(available_timezones())


def resolve_zone(name: str, *, field: str = "time_zone") -> ZoneInfo:
    """An IANA zone by name ("Europe/Paris"), or a clear error."""
    text = (name or "").strip()
    if text not in _ZONES and text != "UTC":
        raise EventInvalid(
            "Choose a time zone from the list, like Europe/Paris or America/New_York.",
            field=field,
        )
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise EventInvalid("Unknown time zone.", field=field) from None


def local_to_utc(local: datetime, zone: ZoneInfo, *, field: str = "starts_at") -> datetime:
    """A wall-clock time in a zone as a UTC instant; refuses times the clocks skip."""
    naive = local.replace(tzinfo=None)
    aware = naive.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive:
        raise EventInvalid(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks skip it "
            "(daylight saving). Choose another time.",
            field=field,
        )
    return aware.astimezone(UTC)


def week_of_month(day: date) -> int:
    """Which weekday of its month a date is: 1..4, or -1 for a fifth (the last)."""
    ordinal = (day.day - 1) // 7 + 1
    return -1 if ordinal == 5 else ordinal


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date:
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == weekday
    ]
    return days[-1] if ordinal == -1 else days[ordinal - 1]


def ordinal_words(ordinal: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", -1: "last"}[ordinal]


@dataclass(frozen=True)
class Rule:
    frequency: str  # "weekly" or "monthly"
    interval: int = 1
    until: date | None = None
    count: int | None = None

    def describe(self, first: datetime) -> str:
        if self.frequency == "weekly":
            every = "Every week" if self.interval == 1 else f"Every {self.interval} weeks"
            text = f"{every} on {first:%A}"
        else:
            every = "Every month" if self.interval == 1 else f"Every {self.interval} months"
            text = f"{every} on the {ordinal_words(week_of_month(first.date()))} {first:%A}"
        if self.count:
            text += f", {self.count} times"
        if self.until:
            text += f", until {self.until:%d %b %Y}"
        return text


def validate_rule(rule: Rule, *, first_local: datetime) -> Rule:
    if rule.frequency not in ("weekly", "monthly"):
        raise EventInvalid("Repeat weekly or monthly.", field="frequency")
    if not 1 <= rule.interval <= MAX_INTERVAL:
        raise EventInvalid(
            f"Repeat every 1 to {MAX_INTERVAL} weeks or months (you chose {rule.interval}).",
            field="interval",
        )
    if rule.count is not None and not 2 <= rule.count <= MAX_COUNT:
        raise EventInvalid(
            f"A series has 2 to {MAX_COUNT} occurrences (you chose {rule.count}).", field="count"
        )
    if rule.until is not None:
        if rule.until <= first_local.date():
            raise EventInvalid("The series must end after its first occurrence.", field="until")
        if rule.until - first_local.date() > MAX_SERIES_SPAN:
            raise EventInvalid("A series can run for at most 3 years.", field="until")
    return rule


def occurrence_starts(
    *,
    rule: Rule,
    first_local: datetime,
    week_of_month_: int | None,
    start_index: int,
    horizon_local: datetime,
) -> list[tuple[int, datetime]]:
    """(index, local start) of the occurrences from start_index on, up to the horizon, the
    count and the end date."""
    found: list[tuple[int, datetime]] = []
    index = start_index
    first = first_local.replace(tzinfo=None)
    limit = horizon_local.replace(tzinfo=None)
    while True:
        if rule.count is not None and index >= rule.count:
            break
        if rule.frequency == "weekly":
            local = first + timedelta(weeks=rule.interval * index)
        else:
            months = first.month - 1 + rule.interval * index
            year, month = first.year + months // 12, months % 12 + 1
            ordinal = week_of_month_ if week_of_month_ is not None else week_of_month(first.date())
            day = nth_weekday(year, month, first.weekday(), ordinal)
            local = datetime.combine(day, first.time())
        if local > limit or (rule.until is not None and local.date() > rule.until):
            break
        found.append((index, local))
        index += 1
        if index > MAX_COUNT * 10:
            break
    return found


def occurrence_instant(local: datetime, zone: ZoneInfo) -> datetime:
    """An occurrence's UTC start. A local time the clocks skip that day moves an hour later,
    as calendar programs do."""
    return local.replace(tzinfo=zone).astimezone(UTC)
