"""No input to the introduction, follow-up and article pages and endpoints produces a 500,
and NUL bytes never reach the database (PostgreSQL would refuse them with an error)."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.accounts.services import api_token_create
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.nul import queries_with_nul

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
nasty_text = st.one_of(
    st.just(""),
    st.just("x" * 6_000),
    st.just("\x00"),
    st.just("a\x00b"),
    st.just("javascript:alert(1)"),
    st.just("https://example.org/\x00"),
    st.just("<script>alert(1)</script>"),
    st.just("-1"),
    st.just("99999999999999999999"),
    st.text(max_size=30),
)
form_value = st.one_of(nasty_text, st.lists(nasty_text, max_size=5))
json_value = st.one_of(
    st.none(), st.booleans(), st.integers(), nasty_text, st.lists(nasty_text, max_size=5)
)


def _in_rollback(body) -> None:
    """Each generated example starts from the same database."""
    try:
        with transaction.atomic():
            body()
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    pass


def _pair():
    owner, contact = ProfileFactory(), ProfileFactory()
    connect(owner, contact)
    return owner, contact


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(["members", "reason", "draft", "q", "url", "note", "body", "cadence_days"]),
        form_value,
        max_size=5,
    )
)
def test_network_forms_never_500(data):
    def body():
        owner, contact = _pair()
        client = Client()
        client.force_login(owner.user)
        member = contact.user.public_id
        responses = [
            client.post("/network/introductions/new/", data),
            client.get("/network/introductions/new/", data),
            client.post(f"/network/follow-ups/notes/{member}/", data),
            client.post(f"/network/follow-ups/keep-in-touch/{member}/", data),
            client.post(f"/network/share/{member}/", data),
        ]
        assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]

    _in_rollback(body)


@FUZZ
@given(
    payload=st.dictionaries(
        st.sampled_from(
            ["member_ids", "member_id", "reason", "body", "cadence_days", "days", "url", "note"]
        ),
        json_value,
        max_size=4,
    )
)
def test_network_api_writes_never_500(payload, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000

    def body():
        owner, contact = _pair()
        client = Client()
        auth = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=owner.user, name='t').key}"}
        member = contact.user.public_id
        raw = json.dumps(payload)
        calls = [
            ("post", "/api/v1/introductions"),
            ("post", f"/api/v1/followups/contacts/{member}/notes"),
            ("put", f"/api/v1/followups/contacts/{member}/keep-in-touch"),
            ("post", f"/api/v1/followups/contacts/{member}/snooze"),
            ("post", "/api/v1/articles"),
        ]
        for method, url in calls:
            response = getattr(client, method)(url, raw, content_type="application/json", **auth)
            assert response.status_code < 500, (url, response.status_code)
            if response.status_code >= 400:
                assert set(response.json()) == {"code", "message", "field"}

    _in_rollback(body)


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/network/introductions/new/?q=a%00b&m=x%00y", None),
        ("post", "/network/introductions/new/", {"members": ["a\x00"], "reason": "r\x00"}),
        ("post", "/network/follow-ups/notes/{member}/", {"body": "a\x00b"}),
        ("post", "/network/share/{member}/", {"url": "https://e.org/\x00", "note": "\x00"}),
    ],
)
def test_nul_bytes_in_network_pages_never_reach_the_database(method, url, body):
    # given
    owner, contact = _pair()
    client = Client()
    client.force_login(owner.user)

    # when
    with queries_with_nul() as queries:
        target = url.format(member=contact.user.public_id)
        response = getattr(client, method)(target, body) if body else client.get(target)

    # then
    assert response.status_code < 500
    assert queries == []
