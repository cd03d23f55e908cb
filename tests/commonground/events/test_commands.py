"""CLI: `commonground event_series_extend` and `commonground event_speed_plan`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commonground.events import services
from commonground.events.models import Event, SpeedNetworkingPlan
from commonground.events.recurrence import Rule
from tests.commonground.events.helpers import make_event
from tests.commonground.factories import ProfileFactory
from tests.commonground.groups.helpers import make_group

pytestmark = pytest.mark.django_db


def test_series_extend_makes_missing_occurrences_once():
    # given: a weekly series missing its last occurrences
    creator = ProfileFactory()
    first = make_event(creator, rule=Rule(frequency="weekly"))
    made = Event.objects.filter(series=first.series).count()
    Event.objects.filter(series=first.series, series_index__gte=made - 3).delete()
    out = StringIO()
    # when
    call_command("event_series_extend", stdout=out)
    call_command("event_series_extend", stdout=StringIO())
    # then
    assert out.getvalue().strip() == "Made 3 new occurrences."
    assert Event.objects.filter(series=first.series).count() == made


def test_speed_plan_command_prints_the_tables():
    host = ProfileFactory()
    group = make_group(host)
    event = make_event(host, group_slug=group.slug, kind="speed_networking")
    people = [ProfileFactory(display_name=f"P{i}") for i in range(4)]
    for p in people:
        services.event_rsvp(user=p.user, public_id=event.public_id)
        services.event_check_in(
            user=host.user, public_id=event.public_id, member_public_id=p.user.public_id
        )
    out = StringIO()
    call_command(
        "event_speed_plan",
        event.public_id,
        "--organizer",
        host.user.email,
        "--rounds",
        "3",
        stdout=out,
    )
    text = out.getvalue()
    assert text.startswith("4 people, 3 rounds")
    assert text.count("Table 1:") == 3
    assert SpeedNetworkingPlan.objects.get(event=event).seed == 0


def test_speed_plan_command_refuses_clearly():
    host, other, outsider = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(host)
    event = make_event(host, group_slug=group.slug)
    with pytest.raises(CommandError, match=r"No such event\."):
        call_command("event_speed_plan", "nosuchevent", "--organizer", outsider.user.email)
    with pytest.raises(CommandError, match=r"Only the event's organizers can do that\."):
        call_command("event_speed_plan", event.public_id, "--organizer", other.user.email)
    with pytest.raises(CommandError, match="needs at least 2 people"):
        call_command("event_speed_plan", event.public_id, "--organizer", host.user.email)
    with pytest.raises(CommandError, match="No active member"):
        call_command("event_speed_plan", event.public_id, "--organizer", "nobody@example.org")
