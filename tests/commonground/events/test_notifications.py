"""What members hear about: a seat from the waitlist, an approval, a change or cancellation —
and never about an event they may no longer see."""

from __future__ import annotations

import pytest

from commonground.events import services
from commonground.groups import services as group_services
from commonground.notifications.models import Notification
from tests.commonground.events.helpers import event_input, local_in, make_event
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.groups.helpers import make_group

pytestmark = pytest.mark.django_db


def _kinds(profile) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=profile.user)
        .order_by("created_at", "pk")
        .values_list("kind", "url")
    )


def test_promotion_from_the_waitlist_tells_the_member(django_capture_on_commit_callbacks):
    # given
    host, goer, waiting = ProfileFactory(), ProfileFactory(), ProfileFactory()
    for p in (goer, waiting):
        connect(host, p)
    event = make_event(host, capacity=1)
    services.event_rsvp(user=goer.user, public_id=event.public_id)
    services.event_rsvp(user=waiting.user, public_id=event.public_id)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.event_rsvp_cancel(user=goer.user, public_id=event.public_id)
    # then
    assert _kinds(waiting) == [("events.rsvp", f"/events/{event.public_id}/")]
    assert Notification.objects.get(recipient=waiting.user).text == (
        "A seat freed up: you're going to Kittens & Bacon meetup."
    )
    assert _kinds(goer) == []


def test_approval_tells_the_member(django_capture_on_commit_callbacks):
    host, guest = ProfileFactory(), ProfileFactory()
    connect(host, guest)
    event = make_event(host, requires_approval=True)
    services.event_rsvp(user=guest.user, public_id=event.public_id)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_rsvp_approve(
            user=host.user, public_id=event.public_id, member_public_id=guest.user.public_id
        )
    assert _kinds(guest) == [("events.rsvp", f"/events/{event.public_id}/")]


def test_a_new_time_tells_those_going_but_a_new_description_does_not(
    django_capture_on_commit_callbacks,
):
    host, guest = ProfileFactory(), ProfileFactory()
    connect(host, guest)
    event = make_event(host)
    services.event_rsvp(user=guest.user, public_id=event.public_id)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            user=host.user, public_id=event.public_id, data=event_input(description="More info")
        )
    assert _kinds(guest) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            user=host.user,
            public_id=event.public_id,
            data=event_input(starts_local=local_in(8)),
        )
    assert _kinds(guest) == [("events.update", f"/events/{event.public_id}/")]


def test_cancelling_tells_everyone_who_answered_except_those_who_can_no_longer_see_it(
    django_capture_on_commit_callbacks,
):
    # given: a secret group's event; one member going stays, one leaves the group
    host, stays, leaves = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(host, visibility="secret")
    for p in (stays, leaves):
        group_services.group_invite(
            user=host.user, slug=group.slug, member_public_id=p.user.public_id
        )
        group_services.group_join(user=p.user, slug=group.slug)
    event = make_event(host, group_slug=group.slug, title="Canary-55 secret supper")
    for p in (stays, leaves):
        services.event_rsvp(user=p.user, public_id=event.public_id)
    group_services.group_leave(user=leaves.user, slug=group.slug)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(user=host.user, public_id=event.public_id)
    # then
    assert _kinds(stays) == [("events.update", f"/events/{event.public_id}/")]
    assert _kinds(leaves) == []
    assert not Notification.objects.filter(text__contains="Canary-55", recipient=leaves.user)
