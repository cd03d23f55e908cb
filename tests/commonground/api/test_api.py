"""/api/v1 as a whole: authentication, CSRF, errors, the rate limit and the OpenAPI document."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.test import Client

from commonground.accounts.services import api_token_create, api_token_revoke
from commonground.api import ratelimit
from commonground.interests.models import MemberInterest
from tests.commonground.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

UNAUTHENTICATED = {
    "code": "unauthenticated",
    "message": "Log in or send a valid API token.",
    "field": None,
}
ENDPOINTS = [
    ("get", "/api/v1/me"),
    ("patch", "/api/v1/me"),
    ("get", "/api/v1/members"),
    ("get", "/api/v1/members/abc"),
    ("get", "/api/v1/interests?q=trek"),
    ("get", "/api/v1/interests/star-trek"),
    ("get", "/api/v1/me/interests"),
    ("post", "/api/v1/me/interests"),
    ("patch", "/api/v1/me/interests/star-trek"),
    ("delete", "/api/v1/me/interests/star-trek"),
    ("get", "/api/v1/connections"),
    ("get", "/api/v1/connections/requests"),
    ("post", "/api/v1/connections/requests"),
    ("post", "/api/v1/connections/requests/abc/accept"),
    ("delete", "/api/v1/connections/abc"),
    ("get", "/api/v1/blocks"),
    ("post", "/api/v1/blocks"),
    ("delete", "/api/v1/mutes/abc"),
]


def _call(client: Client, method: str, url: str, **headers):
    if method in ("post", "patch"):
        return getattr(client, method)(
            url, json.dumps({"interest": "Caps"}), content_type="application/json", **headers
        )
    return getattr(client, method)(url, **headers)


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_every_endpoint_answers_401_json_without_auth(method, url):
    # given: a client that enforces CSRF, like a real browser or script
    client = Client(enforce_csrf_checks=True)

    # when
    response = _call(client, method, url)

    # then
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == UNAUTHENTICATED


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
@pytest.mark.parametrize(
    "key",
    ["cg_not-a-real-token", "garbage", "cg_" + "x" * 300],
)
def test_a_wrong_bearer_token_answers_401(method, url, key):
    # given
    client = Client(enforce_csrf_checks=True)
    api_token_create(user=UserFactory(), name="real")

    # when
    response = _call(client, method, url, HTTP_AUTHORIZATION=f"Bearer {key}")

    # then
    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED


def test_a_revoked_token_answers_401():
    # given
    member = ProfileFactory()
    issued = api_token_create(user=member.user, name="t")
    api_token_revoke(user=member.user, token_id=issued.token.pk)

    # when
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued.key}")

    # then
    assert response.status_code == 401


def test_a_deactivated_members_token_answers_401():
    # given
    member = ProfileFactory()
    issued = api_token_create(user=member.user, name="t")
    member.user.is_active = False
    member.user.save()

    # when
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued.key}")

    # then
    assert response.status_code == 401


def test_a_bearer_token_needs_no_csrf_token():
    # given
    member = ProfileFactory()
    key = api_token_create(user=member.user, name="t").key
    client = Client(enforce_csrf_checks=True)

    # when
    response = client.post(
        "/api/v1/me/interests",
        json.dumps({"interest": "Caps"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )

    # then
    assert response.status_code == 201
    assert response.json()["name"] == "Washington Capitals"


def test_the_session_reads_without_csrf():
    # given
    member = ProfileFactory(display_name="Session Sue")
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)

    # when
    response = client.get("/api/v1/me")

    # then
    assert response.status_code == 200
    assert response.json()["display_name"] == "Session Sue"


def test_a_session_write_without_the_csrf_token_is_refused_and_changes_nothing():
    # given
    member = ProfileFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)

    # when
    response = client.post(
        "/api/v1/me/interests", json.dumps({"interest": "Caps"}), content_type="application/json"
    )

    # then
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "CSRF check Failed", "field": None}
    assert MemberInterest.objects.filter(user=member.user).count() == 0


def test_a_session_write_with_the_csrf_token_is_accepted():
    # given
    member = ProfileFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    client.get("/me/")  # a page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value

    # when
    response = client.post(
        "/api/v1/me/interests",
        json.dumps({"interest": "Caps"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )

    # then
    assert response.status_code == 201
    assert MemberInterest.objects.filter(user=member.user).count() == 1


@pytest.fixture
def frozen_minute(monkeypatch):
    now = {"t": 1_700_000_000.0}
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now["t"]))
    return now


def test_the_rate_limit_answers_429_after_the_limit(api_as, settings, frozen_minute):
    # given
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    api = api_as(ProfileFactory())

    # when
    statuses = [api.get("/me").status_code for _ in range(4)]
    refused = api.get("/me")

    # then
    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert refused.json() == {
        "code": "rate_limited",
        "message": "Too many requests: at most 3 a minute. Try again in a minute.",
        "field": None,
    }


def test_the_rate_limit_counts_each_member_separately_and_resets_next_minute(
    api_as, settings, frozen_minute
):
    # given
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    busy, other = api_as(ProfileFactory()), api_as(ProfileFactory())
    for _ in range(3):
        busy.get("/me")

    # when
    busy_now = busy.get("/me").status_code
    other_now = other.get("/me").status_code
    frozen_minute["t"] += 60
    busy_next_minute = busy.get("/me").status_code

    # then
    assert (busy_now, other_now, busy_next_minute) == (429, 200, 200)


def test_the_rate_limit_applies_to_the_session_too(client, settings, frozen_minute):
    # given
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    client.force_login(ProfileFactory().user)

    # when
    statuses = [client.get("/api/v1/me").status_code for _ in range(4)]

    # then
    assert statuses == [200, 200, 200, 429]


def test_the_openapi_document_lists_every_status_each_operation_can_answer(client):
    # when
    spec = client.get("/api/v1/openapi.json").json()

    # then
    operations = {
        (method.upper(), path): set(op["responses"])
        for path, methods in spec["paths"].items()
        for method, op in methods.items()
    }
    # The foundation's operations; each app's own tests list the operations it adds, and the
    # status checks below hold for every operation in the document.
    assert set(operations) >= {
        ("GET", "/api/v1/me"),
        ("PATCH", "/api/v1/me"),
        ("GET", "/api/v1/members"),
        ("GET", "/api/v1/members/{member_id}"),
        ("GET", "/api/v1/interests"),
        ("GET", "/api/v1/interests/{slug}"),
        ("GET", "/api/v1/me/interests"),
        ("POST", "/api/v1/me/interests"),
        ("PATCH", "/api/v1/me/interests/{slug}"),
        ("DELETE", "/api/v1/me/interests/{slug}"),
        ("GET", "/api/v1/suggestions"),
        ("POST", "/api/v1/suggestions/{member_id}/dismiss"),
        ("GET", "/api/v1/connections"),
        ("DELETE", "/api/v1/connections/{member_id}"),
        ("GET", "/api/v1/connections/requests"),
        ("POST", "/api/v1/connections/requests"),
        ("POST", "/api/v1/connections/requests/{request_id}/accept"),
        ("POST", "/api/v1/connections/requests/{request_id}/decline"),
        ("POST", "/api/v1/connections/requests/{request_id}/withdraw"),
        ("GET", "/api/v1/blocks"),
        ("POST", "/api/v1/blocks"),
        ("DELETE", "/api/v1/blocks/{member_id}"),
        ("GET", "/api/v1/mutes"),
        ("POST", "/api/v1/mutes"),
        ("DELETE", "/api/v1/mutes/{member_id}"),
        ("GET", "/api/v1/groups"),
        ("POST", "/api/v1/groups"),
        ("GET", "/api/v1/groups/{slug}"),
        ("POST", "/api/v1/groups/{slug}/join"),
        ("POST", "/api/v1/groups/{slug}/leave"),
        ("GET", "/api/v1/groups/{slug}/members"),
        ("POST", "/api/v1/groups/{slug}/requests/{member_id}/approve"),
        ("POST", "/api/v1/groups/{slug}/requests/{member_id}/decline"),
        ("POST", "/api/v1/groups/{slug}/invites"),
    }
    assert len(operations) > 100
    for (method, path), statuses in operations.items():
        # Every operation: bad auth, bad input, throttled, and the domain's errors.
        assert {"400", "401", "404", "422", "429"} <= statuses, (method, path)
        if method != "GET":
            assert "403" in statuses, (method, path)  # the session's CSRF check
    assert "409" in operations[("POST", "/api/v1/me/interests")]
    assert "201" in operations[("POST", "/api/v1/me/interests")]
    assert "204" in operations[("DELETE", "/api/v1/me/interests/{slug}")]
    network = ("/api/v1/connections", "/api/v1/blocks", "/api/v1/mutes")
    for method, path in operations:
        if path.startswith(network) and method != "GET":
            assert "409" in operations[(method, path)], (method, path)
    assert "201" in operations[("POST", "/api/v1/connections/requests")]
    error_schema = spec["components"]["schemas"]["ErrorOut"]
    assert set(error_schema["properties"]) == {"code", "message", "field"}
    assert set(spec["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


def test_an_unknown_api_path_is_404():
    # when
    response = Client().get("/api/v1/no-such-thing")

    # then
    assert response.status_code == 404
