"""No junk sent to the messaging pages or API produces a 500."""

from __future__ import annotations

import pytest

from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.junk import JUNK
from tests.commonground.messaging.helpers import connected_pair, conversation_of, login, start

pytestmark = pytest.mark.django_db


def test_the_pages_never_500_on_junk_query_params():
    # given
    a, b = connected_pair()
    public_id = conversation_of(start(a, b)).public_id
    client = login(a)
    for junk in JUNK:
        for url in (
            "/messages/",
            "/messages/new/",
            f"/messages/{public_id}/",
        ):
            # when
            response = client.get(url, {"page": junk, "to": junk})
            # then
            assert response.status_code in (200, 404), (url, junk, response.status_code)


def test_the_forms_never_500_on_junk_bodies():
    # given
    a, b = connected_pair()
    c = ProfileFactory()
    connect(a, c)
    public_id = conversation_of(start(a, b, c)).public_id
    client = login(a)
    for junk in JUNK:
        data = {"body": junk, "subject": junk, "to": junk, "allow_from": junk}
        for url in (
            "/messages/new/",
            f"/messages/new/?to={b.user.public_id}",
            f"/messages/{public_id}/",
            f"/messages/{public_id}/add/",
            "/messages/settings/",
        ):
            # when
            response = client.post(url, data)
            # then
            assert response.status_code in (200, 302, 400, 403, 404, 409, 422, 429), (
                url,
                junk,
                response.status_code,
            )


def test_junk_conversation_ids_in_urls_answer_404():
    # given
    client = login(ProfileFactory())
    for junk in ["x" * 500, "²", "%00", "-1", "..%2F", "🙂"]:
        for suffix in ("", "leave/", "add/"):
            # when
            url = f"/messages/{junk}/{suffix}"
            response = client.post(url) if suffix else client.get(url)
            # then
            assert response.status_code == 404, (url, response.status_code)


def test_the_api_never_500s_on_junk():
    # given
    a, b = connected_pair()
    public_id = conversation_of(start(a, b)).public_id
    client = login(a)
    bodies = [{"to": junk, "body": junk, "subject": junk, "allow_from": junk} for junk in JUNK] + [
        {"to": [1, None, {}], "body": 5},
        {"to": ["x" * 33]},
        [],
        "nope",
        None,
    ]
    for payload in bodies:
        for method, url in (
            ("post", "/api/v1/messages"),
            ("post", f"/api/v1/messages/{public_id}/messages"),
            ("post", f"/api/v1/messages/{public_id}/participants"),
            ("put", "/api/v1/messages/settings"),
        ):
            # when
            response = getattr(client, method)(url, payload, content_type="application/json")
            # then
            assert response.status_code < 500, (url, payload, response.status_code)
    for junk in JUNK:
        for url in (
            "/api/v1/messages",
            f"/api/v1/messages/{public_id}",
        ):
            response = client.get(url, {"page": junk, "page_size": junk})
            assert response.status_code < 500, (url, junk, response.status_code)
