"""Demo events: made for the demo logins, idempotent."""

from __future__ import annotations

import pytest

from commonground.events.demo import seed_demo
from commonground.events.models import Event, Rsvp
from commonground.groups import services as group_services
from commonground.interests.models import Interest
from tests.commonground.factories import ProfileFactory, UserFactory, connect
from tests.commonground.groups.helpers import make_group

pytestmark = pytest.mark.django_db


def test_seeding_twice_makes_each_demo_event_once():
    # given: the demo logins, a connection of Sam's, and Alex's demo group with 6 members
    alex = ProfileFactory(user=UserFactory(email="alex@demo.example"))
    sam = ProfileFactory(user=UserFactory(email="sam@demo.example"))
    friend = ProfileFactory()
    connect(sam, friend)
    group = make_group(
        alex,
        Interest.objects.get(name="Kittens"),
        Interest.objects.get(name="Bacon"),
        name="Kittens & Bacon",
    )
    for _ in range(5):
        group_services.group_join(user=ProfileFactory().user, slug=group.slug)
    # when
    seed_demo(seed=0)
    seed_demo(seed=0)
    # then: the group's brunch (4 seats, the rest waiting) and Sam's talk; the events of
    # groups that do not exist are skipped
    assert sorted(Event.objects.values_list("title", flat=True)) == [
        "Kittens & Bacon brunch",
        "Sourdough & stars: an evening talk",
    ]
    brunch = Event.objects.get(title="Kittens & Bacon brunch")
    assert brunch.seats_taken == 4
    assert Rsvp.objects.filter(event=brunch, state="waitlisted").count() == 2
    talk = Event.objects.get(title="Sourdough & stars: an evening talk")
    assert list(Rsvp.objects.filter(event=talk).values_list("user_id", flat=True)) == [
        friend.user_id
    ]
