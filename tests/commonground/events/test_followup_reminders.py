"""After a speed-networking event, each attendee is reminded to thank the people they met."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from commonground.events import services
from commonground.network.followup_models import ThankYouReminder
from commonground.network.services import member_block
from tests.commonground.events.helpers import make_event
from tests.commonground.factories import ProfileFactory, connect

pytestmark = pytest.mark.django_db


def _speed_event(people):
    organizer = ProfileFactory()
    for person in people:
        connect(organizer, person)
    event = make_event(organizer, kind="speed_networking", title="Trek speed networking")
    for person in people:
        services.event_rsvp(user=person.user, public_id=event.public_id)
        services.event_check_in(
            user=organizer.user, public_id=event.public_id, member_public_id=person.user.public_id
        )
    plan = services.speed_networking_generate(
        user=organizer.user, public_id=event.public_id, rounds=2
    )
    return event, plan


def _met(plan) -> set[tuple[int, int]]:
    return {
        (a, b) for tables in plan.rounds for table in tables for a in table for b in table if a != b
    }


def test_each_attendee_is_reminded_to_thank_everyone_they_met_once():
    # given: four attendees, two rounds: each meets two others
    people = [ProfileFactory() for _ in range(4)]
    event, plan = _speed_event(people)
    after = event.ends_at + timedelta(hours=1)
    # when: the sweep runs twice
    first = services.event_thank_you_reminders_create(now=after)
    second = services.event_thank_you_reminders_create(now=after)
    # then
    rows = set(ThankYouReminder.objects.values_list("owner_id", "contact_id"))
    assert rows == _met(plan)
    assert len(rows) == 8
    assert first == second == 8
    assert set(ThankYouReminder.objects.values_list("reason", flat=True)) == {
        "met at Trek speed networking"
    }
    assert all(
        r.due_at == event.ends_at + timedelta(hours=2) for r in ThankYouReminder.objects.all()
    )


def test_nothing_before_the_event_ends_or_long_after_and_never_across_a_block():
    people = [ProfileFactory() for _ in range(4)]
    event, plan = _speed_event(people)
    assert services.event_thank_you_reminders_create(now=event.ends_at - timedelta(minutes=1)) == 0
    assert services.event_thank_you_reminders_create(now=event.ends_at + timedelta(days=4)) == 0
    # when: two who met block each other
    a_id, b_id = next(iter(sorted(_met(plan))))
    blocker = next(p for p in people if p.user.pk == a_id)
    blocked = next(p for p in people if p.user.pk == b_id)
    member_block(user=blocker.user, member_public_id=blocked.user.public_id)
    services.event_thank_you_reminders_create(now=event.ends_at + timedelta(hours=1))
    # then
    rows = set(ThankYouReminder.objects.values_list("owner_id", "contact_id"))
    assert (a_id, b_id) not in rows
    assert (b_id, a_id) not in rows
    assert len(rows) == 6


def test_the_command_reports_what_it_did(capsys):
    call_command("event_followups")
    assert capsys.readouterr().out.strip() == "0 thank-you reminders in place."
