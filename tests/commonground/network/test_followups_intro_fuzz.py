"""Every introduction and follow-up page and endpoint answers junk with a 4xx, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.network import services
from commonground.network.followup_models import ContactNote
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.junk import JUNK

pytestmark = pytest.mark.django_db

JUNK_IDS = ["x" * 300, "²", "-1", "a%00b", "🙂", "null", "0"]
OK = (200, 204, 302, 400, 403, 404, 405, 409, 422, 429)


@pytest.fixture
def setup():
    a, b, c = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(a, b)
    connect(a, c)
    intro = services.introduction_create(
        introducer=a.user,
        member_public_ids=[b.user.public_id, c.user.public_id],
        reason="You both like kites.",
    )
    note = services.contact_note_create(owner=a.user, contact_public_id=b.user.public_id, body="n")
    client = Client()
    client.force_login(a.user)
    return client, b.user.public_id, intro.public_id, note.public_id


def _pages(member: str, intro: str, note: str) -> list[str]:
    return [
        "/network/introductions/",
        "/network/introductions/new/",
        f"/network/introductions/{intro}/",
        "/network/follow-ups/",
        f"/network/share/{member}/",
        "/network/articles/",
    ]


def _posts(member: str, intro: str, note: str) -> list[str]:
    return [
        "/network/introductions/new/",
        f"/network/introductions/{intro}/accept/",
        f"/network/introductions/{intro}/decline/",
        f"/network/follow-ups/notes/{member}/",
        f"/network/follow-ups/keep-in-touch/{member}/",
        f"/network/follow-ups/contacted/{member}/",
        f"/network/follow-ups/snooze/{member}/",
        f"/network/share/{member}/",
    ]


def test_pages_never_500_on_junk_params_and_bodies(setup):
    # given
    client, member, intro, note = setup
    for junk in JUNK:
        params = {
            "q": junk,
            "m": junk,
            "members": junk,
            "reason": junk,
            "body": junk,
            "cadence_days": junk,
            "days": junk,
            "url": junk,
            "note": junk,
            "next": junk,
            "page": junk,
            "draft": junk,
            "action": junk,
        }
        for url in _pages(member, intro, note):
            # when
            response = client.get(url, params)
            # then
            assert response.status_code in OK, (url, junk, response.status_code)
        for url in _posts(member, intro, note):
            response = client.post(url, params)
            assert response.status_code in OK, (url, junk, response.status_code)
    # (checked in Python: SQLite's LIKE stops at a NUL byte)
    assert not [
        body for body in ContactNote.objects.values_list("body", flat=True) if "\x00" in body
    ]


def test_junk_ids_in_page_urls_never_500(setup):
    # given
    client = setup[0]
    for junk in JUNK_IDS:
        for url in [
            *_posts(junk, junk, junk),
            f"/network/introductions/{junk}/",
            f"/network/follow-ups/notes/{junk}/delete/",
            f"/network/follow-ups/thank-yous/{junk}/done/",
            f"/network/follow-ups/thank-yous/{junk}/dismiss/",
        ]:
            # when
            response = client.post(url, {"body": "b", "cadence_days": "30"})
            # then
            assert response.status_code in OK, (url, response.status_code)


def test_the_api_never_500s_on_junk(setup):
    # given
    client, member, intro, note = setup
    payloads: list[object] = [
        dict.fromkeys(
            ("members", "reason", "body", "cadence_days", "days", "url", "note", "member"), junk
        )
        for junk in JUNK
    ] + [
        {"members": [1, None, {}], "reason": 5},
        {"cadence_days": 10**30, "days": -(10**30)},
        {"member": ["x"], "url": ["https://e.org"]},
        [],
        "nope",
        None,
    ]
    writes = [
        ("post", "/api/v1/introductions"),
        ("post", f"/api/v1/introductions/{intro}/accept"),
        ("post", f"/api/v1/introductions/{intro}/decline"),
        ("post", f"/api/v1/followups/contacts/{member}/notes"),
        ("patch", f"/api/v1/followups/notes/{note}"),
        ("put", f"/api/v1/followups/notes/{note}"),
        ("put", f"/api/v1/followups/contacts/{member}/keep-in-touch"),
        ("post", f"/api/v1/followups/contacts/{member}/contacted"),
        ("post", f"/api/v1/followups/contacts/{member}/snooze"),
        ("post", "/api/v1/articles"),
    ]
    for payload in payloads:
        for method, url in writes:
            # when
            response = getattr(client, method)(url, payload, content_type="application/json")
            # then
            assert response.status_code < 500, (url, payload, response.status_code)
    for junk in JUNK:
        for url in (
            "/api/v1/introductions",
            f"/api/v1/introductions/{intro}",
            "/api/v1/followups",
            "/api/v1/followups/reciprocity",
            f"/api/v1/followups/contacts/{member}/notes",
            "/api/v1/articles",
        ):
            response = client.get(url, {"page": junk, "page_size": junk, "limit": junk})
            assert response.status_code < 500, (url, junk, response.status_code)
    for junk in JUNK_IDS:
        for method, url in (
            ("get", f"/api/v1/introductions/{junk}"),
            ("post", f"/api/v1/introductions/{junk}/accept"),
            ("post", f"/api/v1/introductions/{junk}/decline"),
            ("get", f"/api/v1/followups/contacts/{junk}/notes"),
            ("delete", f"/api/v1/followups/notes/{junk}"),
            ("delete", f"/api/v1/followups/contacts/{junk}/keep-in-touch"),
            ("post", f"/api/v1/followups/thank-yous/{junk}/done"),
            ("post", f"/api/v1/followups/thank-yous/{junk}/dismiss"),
        ):
            response = getattr(client, method)(url)
            assert response.status_code < 500, (url, response.status_code)
