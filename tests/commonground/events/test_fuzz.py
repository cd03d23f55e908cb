"""No input to an event form or endpoint produces a 500, and no NUL byte reaches a query
(SQLite stores one; PostgreSQL refuses it with an error)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.accounts.services import api_token_create
from tests.commonground.events.helpers import make_event
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.nul import queries_with_nul

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
nasty = st.one_of(
    st.just(""),
    st.just("\x00"),
    st.just("2031-03-09T02:30"),
    st.just("9999-12-31T23:59"),
    st.just("0001-01-01T00:00"),
    st.just("2031-02-30T10:00"),
    st.just("Europe/Paris"),
    st.just("../../etc/passwd"),
    st.just("99999999999999999999999"),
    st.just("-1"),
    st.just("x" * 5000),
    st.text(max_size=30),
)
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), nasty),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)
FORM_FIELDS = [
    "title",
    "kind",
    "starts",
    "ends",
    "time_zone",
    "mode",
    "venue",
    "address",
    "city",
    "country",
    "online_url",
    "topics",
    "description",
    "capacity",
    "requires_approval",
    "repeat",
    "interval",
    "count",
    "until",
    "scope",
]
API_FIELDS = [
    "title",
    "kind",
    "mode",
    "venue",
    "starts_at",
    "ends_at",
    "time_zone",
    "topics",
    "capacity",
    "online_url",
    "group",
    "recurrence",
    "requires_approval",
]


class _Rollback(Exception):
    pass


def _in_rollback(body) -> None:
    try:
        with transaction.atomic(), queries_with_nul() as queries:
            body()
            assert queries == []
            raise _Rollback
    except _Rollback:
        pass


def _logged_in(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(FORM_FIELDS), st.one_of(nasty, st.lists(nasty, max_size=2))
    )
)
def test_the_new_and_edit_forms_never_500(data):
    def body():
        host = ProfileFactory()
        event = make_event(host)
        client = _logged_in(host)
        assert client.post("/events/new/", data).status_code in (200, 302)
        assert client.post(f"/events/{event.public_id}/edit/", data).status_code in (200, 302)
        assert client.post(f"/events/{event.public_id}/rsvp/", data).status_code in (302, 404)
        assert client.post(f"/events/{event.public_id}/manage/check_in/", data).status_code == 302
        assert client.post(f"/events/{event.public_id}/speed-networking/", data).status_code in (
            200,
            302,
        )
        for action in ("approve", "decline", "undo_check_in"):
            response = client.post(f"/events/{event.public_id}/manage/{action}/", data)
            assert response.status_code == 302
        assert client.post("/events/calendar/", data).status_code == 302
        text = next((v for v in data.values() if isinstance(v, str)), "")
        assert client.get("/events/", {"page": text}).status_code == 200
        assert client.get("/events/new/", {"group": text}).status_code in (200, 404)
        assert client.get(f"/events/feed/{quote(text or 'x', safe='')}.ics").status_code == 404

    _in_rollback(body)


@FUZZ
@given(
    payload=st.one_of(
        json_value, st.dictionaries(st.sampled_from(API_FIELDS), json_value, max_size=8)
    ),
    path_id=nasty,
)
def test_the_api_never_500s(payload, path_id):
    def body():
        host, guest = ProfileFactory(), ProfileFactory()
        connect(host, guest)
        event = make_event(host)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=host.user, name='t').key}"}
        client = Client()
        text = json.dumps(payload)
        for method, path in (
            ("post", "/api/v1/events"),
            ("put", f"/api/v1/events/{event.public_id}"),
            ("post", f"/api/v1/events/{event.public_id}/speed-networking"),
        ):
            response = getattr(client, method)(
                path, text, content_type="application/json", **headers
            )
            assert response.status_code < 500, (method, path, response.content)
        for path in (
            f"/api/v1/events/{path_id}",
            f"/api/v1/events/{path_id}/rsvp",
            f"/api/v1/events/{event.public_id}/attendees/{path_id}/check-in",
        ):
            response = client.post(path, "{}", content_type="application/json", **headers)
            assert response.status_code < 500, (path, response.content)

    _in_rollback(body)
