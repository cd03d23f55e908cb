"""A secret group's event, with a canary in its title, description, venue and link, never
reaches anyone outside the group on any channel: pages, API, calendar files, the feed."""

from __future__ import annotations

import pytest

from commonground.events import services
from commonground.events.services import calendar_feed_get_or_create
from commonground.groups import services as group_services
from tests.commonground.events.helpers import make_event
from tests.commonground.factories import PASSWORD, ProfileFactory, connect
from tests.commonground.groups.helpers import make_group

pytestmark = [pytest.mark.django_db, pytest.mark.authz_matrix]
CANARY = "Canary7q9"


@pytest.mark.parametrize("outsider_kind", ["stranger", "invited", "left", "connection_of_host"])
@pytest.mark.parametrize("visibility", ["private", "secret"])
def test_a_hidden_groups_event_reaches_no_outsider_on_any_channel(
    client, api_as, outsider_kind, visibility
):
    # given: the group's event with people going, a speed plan, and the canary everywhere
    host, insider, outsider = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(host, visibility=visibility)
    group_services.group_invite(
        user=host.user, slug=group.slug, member_public_id=insider.user.public_id
    )
    group_services.group_join(user=insider.user, slug=group.slug)
    if outsider_kind in ("invited", "left"):
        group_services.group_invite(
            user=host.user, slug=group.slug, member_public_id=outsider.user.public_id
        )
    event = make_event(
        host,
        group_slug=group.slug,
        title=f"{CANARY} supper",
        description=f"Secret {CANARY}",
        mode="hybrid",
        venue=f"{CANARY} cellar",
        online_url=f"https://meet.example/{CANARY}",
        kind="speed_networking",
    )
    if outsider_kind == "left":
        group_services.group_join(user=outsider.user, slug=group.slug)
        services.event_rsvp(user=outsider.user, public_id=event.public_id)
        group_services.group_leave(user=outsider.user, slug=group.slug)
    if outsider_kind == "connection_of_host":
        connect(host, outsider)
    for p in (host, insider):
        services.event_rsvp(user=p.user, public_id=event.public_id)
        services.event_check_in(
            user=host.user, public_id=event.public_id, member_public_id=p.user.public_id
        )
    services.speed_networking_generate(user=host.user, public_id=event.public_id, rounds=1)
    feed = calendar_feed_get_or_create(user=outsider.user)
    # when: the outsider tries every channel
    assert client.login(email=outsider.user.email, password=PASSWORD)
    eid = event.public_id
    pages = [
        client.get(path)
        for path in (
            "/events/",
            f"/events/{eid}/",
            f"/events/{eid}.ics",
            f"/events/{eid}/speed-networking/",
            f"/events/{eid}/edit/",
            f"/events/feed/{feed.token}.ics",
        )
    ]
    api = api_as(outsider)
    calls = [
        api.get(path)
        for path in (
            "/events",
            "/events/mine",
            f"/events/{eid}",
            f"/events/{eid}/attendees",
            f"/events/{eid}/waitlist",
            f"/events/{eid}/calendar.ics",
            f"/events/{eid}/people-to-meet",
            f"/events/{eid}/follow-ups",
            f"/events/{eid}/speed-networking",
        )
    ]
    calls += [api.post(f"/events/{eid}/rsvp"), api.delete(f"/events/{eid}/rsvp")]
    # then: the canary is nowhere, and the event answers exactly like a missing one
    for response in pages + calls:
        assert CANARY.encode() not in response.content, response.request["PATH_INFO"]
    assert [r.status_code for r in pages] == [200, 404, 404, 404, 404, 200]
    missing = api.get("/events/nosuchevent0")
    for response in calls[2:]:
        assert (response.status_code, response.json()) == (404, missing.json())
