"""Event pages and calendar files: routing, permissions and what each person sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from commonground.events import services
from commonground.events.models import Event, Rsvp, Series
from tests.commonground.events.helpers import local_in, make_event
from tests.commonground.factories import (
    PASSWORD,
    InterestFactory,
    ProfileFactory,
    connect,
    give_interests,
)
from tests.commonground.groups.helpers import make_group

pytestmark = pytest.mark.django_db


def _login(client, profile) -> None:
    assert client.login(email=profile.user.email, password=PASSWORD)


def _form(**fields):
    starts = local_in(12)
    data = {
        "title": "Board games night",
        "kind": "get_together",
        "starts": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends": (starts + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "Europe/Paris",
        "mode": "in_person",
        "venue": "Le Dé",
        "address": "",
        "city": "Lyon",
        "country": "France",
        "online_url": "",
        "topics": "",
        "description": "Bring **your** favourite game.",
        "capacity": "10",
        "repeat": "",
        "interval": "1",
        "count": "",
        "until": "",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    "path", ["/events/", "/events/new/", "/events/calendar/", "/events/abc/", "/events/abc.ics"]
)
def test_pages_need_a_signed_in_member(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_create_an_event_from_the_form(client):
    me = ProfileFactory()
    _login(client, me)
    assert client.get("/events/new/").status_code == 200
    response = client.post("/events/new/", _form())
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.public_id}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Board games night" in html
    assert "<strong>your</strong>" in html
    assert "0 of 10 taken" in html


def test_create_a_monthly_series_from_the_form(client):
    me = ProfileFactory()
    _login(client, me)
    response = client.post("/events/new/", _form(repeat="monthly", count="4"))
    assert response.status_code == 302
    assert Series.objects.get().frequency == "monthly"
    assert Event.objects.count() == 4


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"time_zone": "Mars/Base"}, "Select a valid choice."),
        ({"starts": "31/12/2030"}, "Enter a date and time like 2030-05-17 18:30."),
        ({"starts": "1900-01-01T10:00"}, "Choose a date between the years 2000 and 2100."),
        ({"capacity": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"venue": ""}, "An in-person event needs a venue or an address."),
        ({"topics": "zzqxjw unknown"}, "We don’t know"),
        ({"repeat": "weekly", "interval": "40"}, "Ensure this value is less than or equal to 12."),
        ({"title": "x\x00yz"}, "Null characters are not allowed."),
    ],
)
def test_bad_form_input_re_renders_with_the_message(client, fields, message):
    me = ProfileFactory()
    _login(client, me)
    response = client.post("/events/new/", _form(**fields))
    assert response.status_code == 200
    assert message.replace("’", "&#x27;").replace("'", "&#x27;") in response.content.decode()
    assert Event.objects.count() == 0


def test_an_outsider_gets_the_same_404_as_for_a_missing_event(client):
    host, outsider = ProfileFactory(), ProfileFactory()
    event = make_event(host)
    _login(client, outsider)
    for path in (
        f"/events/{event.public_id}/",
        f"/events/{event.public_id}.ics",
        f"/events/{event.public_id}/edit/",
        f"/events/{event.public_id}/speed-networking/",
    ):
        assert client.get(path).status_code == 404
    assert client.post(f"/events/{event.public_id}/rsvp/", {"answer": "going"}).status_code == 404
    assert Rsvp.objects.count() == 0


def test_rsvp_from_the_page_shows_the_waitlist_position(client):
    host, first, second = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(host, first)
    connect(host, second)
    event = make_event(host, capacity=1)
    services.event_rsvp(user=first.user, public_id=event.public_id)
    _login(client, second)
    response = client.post(f"/events/{event.public_id}/rsvp/", {"answer": "going"}, follow=True)
    html = response.content.decode()
    assert "It&#x27;s full: you&#x27;re on the waitlist." in html
    assert "On the waitlist: number 1" in html


def test_only_organizers_edit_and_see_the_tools(client):
    host, guest = ProfileFactory(), ProfileFactory()
    connect(host, guest)
    event = make_event(host)
    _login(client, guest)
    assert client.get(f"/events/{event.public_id}/edit/").status_code == 403
    assert "Organizer tools" not in client.get(f"/events/{event.public_id}/").content.decode()
    assert client.post(f"/events/{event.public_id}/manage/cancel/", follow=True).status_code == 200
    event.refresh_from_db()
    assert event.status == "scheduled"
    client.logout()
    _login(client, host)
    page = client.get(f"/events/{event.public_id}/edit/")
    assert page.status_code == 200
    assert "Apply to" not in page.content.decode()
    response = client.post(f"/events/{event.public_id}/edit/", _form(title="Renamed night"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Renamed night"


def test_organizer_checks_in_from_the_page(client):
    host, guest = ProfileFactory(), ProfileFactory()
    connect(host, guest)
    event = make_event(host)
    services.event_rsvp(user=guest.user, public_id=event.public_id)
    _login(client, host)
    response = client.post(
        f"/events/{event.public_id}/manage/check_in/", {"member": guest.user.public_id}
    )
    assert response.status_code == 302
    assert Rsvp.objects.get(user=guest.user).checked_in_at is not None
    assert client.post(f"/events/{event.public_id}/manage/explode/").status_code == 404


def test_the_index_lists_upcoming_events_and_mine(client):
    host, me = ProfileFactory(), ProfileFactory()
    connect(host, me)
    event = make_event(host, title="Pottery morning")
    services.event_rsvp(user=me.user, public_id=event.public_id)
    _login(client, me)
    html = client.get("/events/").content.decode()
    assert html.count("Pottery morning") == 2
    assert "Going" in html


def test_the_feed_lists_what_i_am_going_to_and_revoking_kills_the_url(client):
    # given: I'm going to one visible event and one secret-group event I then lose access to
    host, me = ProfileFactory(), ProfileFactory()
    connect(host, me)
    visible = make_event(host, title="Open picnic")
    group = make_group(host, visibility="secret")
    from commonground.groups import services as group_services

    group_services.group_invite(user=host.user, slug=group.slug, member_public_id=me.user.public_id)
    group_services.group_join(user=me.user, slug=group.slug)
    secret = make_event(host, group_slug=group.slug, title="Canary-91 secret dinner")
    for e in (visible, secret):
        services.event_rsvp(user=me.user, public_id=e.public_id)
    group_services.group_member_remove(
        user=host.user, slug=group.slug, member_public_id=me.user.public_id
    )
    _login(client, me)
    client.post("/events/calendar/", {"action": "create"})
    page = client.get("/events/calendar/").content.decode()
    token = page.split("/events/feed/")[1].split(".ics")[0]
    client.logout()
    # when: the calendar program fetches it, without a session
    response = client.get(f"/events/feed/{token}.ics")
    # then
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    assert [str(v["SUMMARY"]) for v in cal.walk("VEVENT")] == ["Open picnic"]
    assert cal.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    assert b"Canary-91" not in response.content
    # and after a new link, the old one is gone
    _login(client, me)
    client.post("/events/calendar/", {"action": "regenerate"})
    client.logout()
    assert client.get(f"/events/feed/{token}.ics").status_code == 404
    assert client.get("/events/feed/guess.ics").status_code == 404


def test_speed_networking_page_shows_my_partner_per_round(client):
    niche = InterestFactory(name="Letterpress")
    host = ProfileFactory()
    group = make_group(host)
    event = make_event(host, group_slug=group.slug, kind="speed_networking")
    people = [ProfileFactory(display_name=f"Person {i}") for i in range(4)]
    for p in people:
        give_interests(p, niche)
        services.event_rsvp(user=p.user, public_id=event.public_id)
        services.event_check_in(
            user=host.user, public_id=event.public_id, member_public_id=p.user.public_id
        )
    _login(client, host)
    response = client.post(f"/events/{event.public_id}/speed-networking/", {"rounds": "3"})
    assert response.status_code == 302
    client.logout()
    _login(client, people[0])
    html = client.get(f"/events/{event.public_id}/speed-networking/").content.decode()
    assert html.count("Round ") == 3
    assert "you share Letterpress" in html
    assert "The whole plan" not in html
    assert (
        client.post(f"/events/{event.public_id}/speed-networking/", {"rounds": "2"}).status_code
        == 403
    )


def test_after_the_event_attendees_are_offered_follow_ups(client):
    niche = InterestFactory(name="Beekeeping")
    host, me, other = ProfileFactory(), ProfileFactory(), ProfileFactory(display_name="Bea Keeper")
    give_interests(me, niche)
    give_interests(other, niche)
    group = make_group(host)
    event = make_event(host, group_slug=group.slug)
    for p in (me, other):
        services.event_rsvp(user=p.user, public_id=event.public_id)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    _login(client, me)
    html = client.get(f"/events/{event.public_id}/").content.decode()
    assert "Follow up" in html
    assert "Bea Keeper" in html


@pytest.mark.parametrize("count", [2, 6])
def test_the_index_page_costs_the_same_queries_for_more_events(
    client, count, django_assert_num_queries
):
    # given: events of every kind in the lists (ranked, mine, recent)
    host, me = ProfileFactory(), ProfileFactory()
    connect(host, me)
    topic = InterestFactory()
    give_interests(me, topic)
    for i in range(count):
        upcoming = make_event(host, title=f"Upcoming {i}", topics=[topic])
        past = make_event(host, title=f"Past {i}")
        for e in (upcoming, past):
            services.event_rsvp(user=me.user, public_id=e.public_id)
        Event.objects.filter(pk=past.pk).update(
            starts_at=timezone.now() - timedelta(days=2, hours=2),
            ends_at=timezone.now() - timedelta(days=2),
        )
    _login(client, me)
    # when / then
    with django_assert_num_queries(23):
        html = client.get("/events/").content.decode()
    assert html.count("Upcoming ") == 2 * count
    assert html.count("Past ") == count
