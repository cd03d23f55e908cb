"""/api/v1/events: routing, permissions and exact responses."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from commonground.events import services
from commonground.events.models import Event, Rsvp
from tests.commonground.events.helpers import local_in, make_event
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests
from tests.commonground.groups.helpers import make_group

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/events"),
        ("post", "/events"),
        ("get", "/events/mine"),
        ("get", "/events/abc"),
        ("put", "/events/abc"),
        ("post", "/events/abc/cancel"),
        ("post", "/events/abc/rsvp"),
        ("delete", "/events/abc/rsvp"),
        ("get", "/events/abc/attendees"),
        ("get", "/events/abc/waitlist"),
        ("post", "/events/abc/attendees/xyz/approve"),
        ("post", "/events/abc/attendees/xyz/check-in"),
        ("get", "/events/abc/calendar.ics"),
        ("get", "/events/abc/speed-networking"),
        ("post", "/events/abc/speed-networking"),
        ("get", "/events/calendar-feed"),
    ],
)
def test_every_event_endpoint_needs_auth(api_as, method, path):
    client = api_as()
    send = (lambda p: client._send("put", p, {})) if method == "put" else getattr(client, method)
    response = send(path)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def _payload(**fields):
    starts = local_in(10)
    body = {
        "title": "Sourdough swap",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": starts.replace(hour=20).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "Europe/Paris",
        "venue": "The bakery",
        "capacity": 2,
    }
    body.update(fields)
    return body


def test_create_answers_201_with_the_event_in_its_time_zone(api_as):
    topic = InterestFactory(name="Sourdough")
    me = ProfileFactory()
    response = api_as(me).post("/events", _payload(topics=[topic.slug]))
    assert response.status_code == 201
    body = response.json()
    event = Event.objects.get()
    assert body["id"] == event.public_id
    assert body["starts_local"].endswith("T18:30")
    assert body["time_zone"] == "Europe/Paris"
    assert body["topics"] == [{"slug": topic.slug, "name": "Sourdough"}]
    assert (body["capacity"], body["seats_taken"], body["is_organizer"]) == (2, 0, True)
    assert (body["group"], body["series"], body["my_state"]) == (None, None, None)


def test_create_a_series_through_the_api(api_as):
    me = ProfileFactory()
    response = api_as(me).post(
        "/events", _payload(recurrence={"frequency": "monthly", "interval": 1, "count": 3})
    )
    assert response.status_code == 201
    assert response.json()["series"] is not None
    assert Event.objects.count() == 3


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"time_zone": "Nowhere/Land"}, 400, "time_zone"),
        ({"capacity": 0}, 422, "capacity"),
        ({"title": "Bad\u0000title"}, 422, "title"),
        ({"starts_at": "not a date"}, 422, "starts_at"),
        ({"ends_at": local_in(9).strftime("%Y-%m-%dT%H:%M")}, 400, "ends_at"),
        ({"kind": "rave"}, 422, "kind"),
        ({"recurrence": {"frequency": "weekly", "interval": 99}}, 422, "recurrence.interval"),
        ({"recurrence": {"frequency": "yearly"}}, 422, "recurrence.frequency"),
        ({"starts_at": "9999-12-31T23:59", "ends_at": "9999-12-31T23:59"}, 400, "starts_at"),
        ({"topics": ["no-such-topic"]}, 404, "interests"),
        ({"group": "nosuchgroup"}, 404, None),
    ],
)
def test_bad_input_answers_4xx_with_code_message_field_and_writes_nothing(
    api_as, fields, status, field
):
    me = ProfileFactory()
    response = api_as(me).post("/events", _payload(**fields))
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"code", "message", "field"}
    assert body["field"] == field
    assert body["message"]
    assert Event.objects.count() == 0


def test_rsvp_waitlist_and_promotion_through_the_api(api_as):
    # given: two seats for three connections
    host = ProfileFactory()
    guests = [ProfileFactory() for _ in range(3)]
    for g in guests:
        connect(host, g)
    event = make_event(host, capacity=2)
    path = f"/events/{event.public_id}/rsvp"
    # when
    answers = [api_as(g).post(path).json() for g in guests]
    # then
    assert [(a["state"], a["waitlist_position"]) for a in answers] == [
        ("going", None),
        ("going", None),
        ("waitlisted", 1),
    ]
    left = api_as(guests[0]).delete(path)
    assert left.status_code == 200
    assert left.json()["state"] == "not_going"
    assert Rsvp.objects.get(event=event, user=guests[2].user).state == "going"
    waitlist = api_as(host).get(f"/events/{event.public_id}/waitlist")
    assert waitlist.json() == []
    forbidden = api_as(guests[1]).get(f"/events/{event.public_id}/waitlist")
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == "not_organizer"


def test_outsiders_get_the_same_404_as_for_a_missing_event(api_as):
    host, outsider = ProfileFactory(), ProfileFactory()
    group = make_group(host, visibility="secret")
    event = make_event(host, group_slug=group.slug, title="Canary-7f3a secret supper")
    client = api_as(outsider)
    hidden = client.get(f"/events/{event.public_id}")
    missing = client.get("/events/doesnotexist")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    for path in (
        "/events",
        "/events/mine",
        f"/events/{event.public_id}/attendees",
        f"/events/{event.public_id}/calendar.ics",
    ):
        response = client.get(path)
        assert b"Canary-7f3a" not in response.content
    assert client.post(f"/events/{event.public_id}/rsvp").status_code == 404


def test_the_online_link_is_only_for_people_going(api_as):
    host, guest = ProfileFactory(), ProfileFactory()
    connect(host, guest)
    event = make_event(host, mode="virtual", online_url="https://meet.example/room-42")
    client = api_as(guest)
    assert client.get(f"/events/{event.public_id}").json()["online_url"] is None
    client.post(f"/events/{event.public_id}/rsvp")
    assert client.get(f"/events/{event.public_id}").json()["online_url"] == (
        "https://meet.example/room-42"
    )


def test_the_event_calendar_file_parses(api_as):
    host = ProfileFactory()
    event = make_event(host)
    response = api_as(host).get(f"/events/{event.public_id}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Kittens & Bacon meetup"


def test_speed_networking_plan_for_checked_in_attendees(api_as):
    # given: 7 checked-in attendees of a speed-networking event
    niche = InterestFactory()
    host = ProfileFactory()
    group = make_group(host)
    event = make_event(host, group_slug=group.slug, kind="speed_networking")
    people = [ProfileFactory() for _ in range(7)]
    for p in people:
        give_interests(p, niche)
        services.event_rsvp(user=p.user, public_id=event.public_id)
        services.event_check_in(
            user=host.user, public_id=event.public_id, member_public_id=p.user.public_id
        )
    # when
    made = api_as(host).post(f"/events/{event.public_id}/speed-networking", {"rounds": 2})
    # then
    assert made.status_code == 200
    plan = made.json()
    assert plan["people"] == 7
    assert [sorted(len(t["seats"]) for t in tables) for tables in plan["rounds"]] == [[2, 2, 3]] * 2
    mine = api_as(people[0]).get(f"/events/{event.public_id}/speed-networking").json()
    assert [s["round"] for s in mine["mine"]] == [1, 2]
    assert mine["rounds"] == []
    assert all(p["shared_interests"] == [niche.name] for s in mine["mine"] for p in s["partners"])
    refused = api_as(people[0]).post(f"/events/{event.public_id}/speed-networking", {"rounds": 2})
    assert refused.status_code == 403
    too_many = api_as(host).post(f"/events/{event.public_id}/speed-networking", {"rounds": 4})
    assert too_many.status_code == 409
    assert too_many.json()["code"] == "plan_impossible"


def test_calendar_feed_url_regenerates_and_revokes(api_as):
    me = ProfileFactory()
    client = api_as(me)
    assert client.get("/events/calendar-feed").json() == {"url": None}
    first = client.post("/events/calendar-feed").json()["url"]
    second = client.post("/events/calendar-feed").json()["url"]
    assert first != second
    assert first.startswith("http://testserver/events/feed/")
    assert client.delete("/events/calendar-feed").status_code == 204
    assert client.get("/events/calendar-feed").json() == {"url": None}


def test_the_openapi_document_lists_every_status_of_the_event_operations(client):
    spec = client.get("/api/v1/openapi.json").json()
    operations = {
        (method.upper(), path): set(op["responses"])
        for path, methods in spec["paths"].items()
        if path.startswith("/api/v1/events")
        for method, op in methods.items()
    }
    assert len(operations) == 22
    for (method, path), statuses in operations.items():
        assert {"400", "401", "404", "422", "429"} <= statuses, (method, path)
        if method != "GET":
            assert {"403", "409"} <= statuses, (method, path)
    assert "201" in operations[("POST", "/api/v1/events")]
    assert "204" in operations[("DELETE", "/api/v1/events/calendar-feed")]
