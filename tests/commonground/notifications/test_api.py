"""/api/v1/notifications: routing, permissions and the exact responses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commonground.notifications.kinds import KINDS
from commonground.notifications.models import NotificationPreference
from tests.commonground.factories import ProfileFactory
from tests.commonground.notifications.helpers import make_notification

pytestmark = pytest.mark.django_db

MISSING = {"code": "notification_not_found", "message": "No such notification.", "field": None}


def test_list_mark_one_and_mark_all(api_as):
    # given
    ada, bo = ProfileFactory(display_name="Ada"), ProfileFactory(display_name="Bo")
    start = timezone.now()
    older = make_notification(
        ada.user,
        "Bo asks to connect",
        kind="network.connection_request",
        url="/network/",
        actor=bo.user,
        created_at=start,
    )
    newer = make_notification(ada.user, "A reply", created_at=start + timedelta(minutes=1))
    api = api_as(ada)

    # when
    listed = api.get("/notifications")
    marked = api.post(f"/notifications/{older.public_id}/read")
    unread = api.get("/notifications", unread="true")
    all_read = api.post("/notifications/read-all")
    again = api.post("/notifications/read-all")

    # then
    assert listed.status_code == 200
    body = listed.json()
    assert (body["count"], body["unread"], body["page"], body["pages"]) == (2, 2, 1, 1)
    assert [r["id"] for r in body["results"]] == [newer.public_id, older.public_id]
    assert body["results"][1] == {
        "id": older.public_id,
        "kind": "network.connection_request",
        "area": "Connections",
        "text": "Bo asks to connect",
        "url": "/network/",
        "actor": {"id": bo.user.public_id, "display_name": "Bo"},
        "created_at": body["results"][1]["created_at"],
        "read": False,
        "read_at": None,
    }
    assert body["results"][0]["actor"] is None
    assert marked.status_code == 200
    assert marked.json()["read"] is True
    assert marked.json()["read_at"] is not None
    assert [r["id"] for r in unread.json()["results"]] == [newer.public_id]
    assert unread.json()["unread"] == 1
    assert (all_read.json(), again.json()) == ({"marked": 1}, {"marked": 0})


def test_another_member_gets_404(api_as):
    # given
    ada, eve = ProfileFactory(), ProfileFactory()
    row = make_notification(ada.user, "canary-91b2")
    api = api_as(eve)

    # when
    listed = api.get("/notifications")
    marked = api.post(f"/notifications/{row.public_id}/read")
    missing = api.post("/notifications/doesnotexist/read")

    # then
    assert "canary-91b2" not in listed.content.decode()
    assert listed.json()["count"] == 0
    assert (marked.status_code, marked.json()) == (404, MISSING)
    assert (missing.status_code, missing.json()) == (404, MISSING)
    row.refresh_from_db()
    assert row.read_at is None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/notifications"),
        ("post", "/notifications/read-all"),
        ("post", "/notifications/abc/read"),
        ("get", "/notifications/preferences"),
    ],
)
def test_anonymous_gets_401(api_as, method, path):
    # when
    response = getattr(api_as(), method)(path)

    # then
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_bad_ids_and_pages_are_422(api_as):
    # given
    api = api_as(ProfileFactory())

    # when
    bad_id = api.post("/notifications/a%00b/read")
    bad_page = api.get("/notifications", page=0)
    big_page = api.get("/notifications", page_size=1000)

    # then
    assert [r.status_code for r in (bad_id, bad_page, big_page)] == [422, 422, 422]
    assert bad_page.json()["field"] == "page"


def test_preferences_get_lists_every_kind_with_defaults(api_as):
    # when
    response = api_as(ProfileFactory()).get("/notifications/preferences")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["email_paused"] is False
    assert [k["kind"] for k in body["kinds"]] == list(KINDS)
    by_kind = {k["kind"]: k for k in body["kinds"]}
    assert by_kind["messaging.message"] == {
        "kind": "messaging.message",
        "label": "New messages",
        "area": "Messages",
        "in_app": True,
        "email": "immediate",
        "default_email": "immediate",
    }
    assert by_kind["groups.announcement"]["email"] == "weekly"


def test_preferences_put_changes_only_what_it_names(api_as):
    # given
    ada = ProfileFactory()
    api = api_as(ada)

    # when
    response = api.client.put(
        "/api/v1/notifications/preferences",
        {
            "email_paused": True,
            "kinds": [
                {"kind": "messaging.message", "email": "daily"},
                {"kind": "groups.reply", "in_app": False},
            ],
        },
        content_type="application/json",
        **api.headers,
    )

    # then
    assert response.status_code == 200
    body = response.json()
    by_kind = {k["kind"]: k for k in body["kinds"]}
    assert body["email_paused"] is True
    assert (by_kind["messaging.message"]["in_app"], by_kind["messaging.message"]["email"]) == (
        True,
        "daily",
    )
    assert (by_kind["groups.reply"]["in_app"], by_kind["groups.reply"]["email"]) == (
        False,
        "daily",
    )
    assert set(
        NotificationPreference.objects.filter(user=ada.user).values_list("kind", "in_app", "email")
    ) == {
        ("all", True, "off"),
        ("messaging.message", True, "daily"),
        ("groups.reply", False, "daily"),
    }


@pytest.mark.parametrize(
    ("payload", "status", "error"),
    [
        (
            {"kinds": [{"kind": "nope.kind", "email": "daily"}]},
            400,
            {
                "code": "invalid",
                "message": "Unknown notification kind 'nope.kind'.",
                "field": "kind",
            },
        ),
        (
            {"kinds": [{"kind": "messaging.message", "email": "hourly"}]},
            422,
            None,
        ),
        ({"kinds": [{"kind": "", "email": "daily"}]}, 422, None),
        ({"email_paused": "sometimes"}, 422, None),
    ],
)
def test_bad_preferences_are_refused_and_write_nothing(api_as, payload, status, error):
    # given
    ada = ProfileFactory()
    api = api_as(ada)

    # when
    response = api.client.put(
        "/api/v1/notifications/preferences",
        payload,
        content_type="application/json",
        **api.headers,
    )

    # then
    assert response.status_code == status
    if error is not None:
        assert response.json() == error
    else:
        assert response.json()["code"] == "invalid"
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("size", [2, 30])
def test_list_query_count_is_fixed(api_as, django_assert_num_queries, size):
    # given
    ada = ProfileFactory()
    api = api_as(ada)
    api.get("/notifications")  # the token's first use is recorded once
    for n in range(size):
        make_notification(ada.user, f"n{n}", actor=ProfileFactory().user)

    # when: token, count, page (with actors' profiles), unread count
    with django_assert_num_queries(4):
        response = api.get("/notifications")

    # then
    assert len(response.json()["results"]) == min(size, 20)
