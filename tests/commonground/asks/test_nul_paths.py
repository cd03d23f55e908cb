"""A NUL byte in any id of an ask URL, page or API, never reaches the database (PostgreSQL
refuses it with an error: a 500) and answers below 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.commonground.asks.helpers import make_ask
from tests.commonground.factories import ProfileFactory
from tests.commonground.nul import queries_with_nul

pytestmark = pytest.mark.django_db

NUL_ID = "abc%00def"


def _urls(ask_id: str) -> list[tuple[str, str]]:
    return [
        ("post", f"/asks/{NUL_ID}/answer/"),
        ("post", f"/asks/{NUL_ID}/status/"),
        ("post", f"/asks/{NUL_ID}/answers/{NUL_ID}/helpful/"),
        ("post", f"/asks/{ask_id}/answers/{NUL_ID}/helpful/"),
        ("get", f"/api/v1/asks/{NUL_ID}"),
        ("post", f"/api/v1/asks/{NUL_ID}/answers"),
        ("patch", f"/api/v1/asks/{NUL_ID}/answers/{NUL_ID}"),
        ("patch", f"/api/v1/asks/{ask_id}/answers/{NUL_ID}"),
        ("post", f"/api/v1/asks/{NUL_ID}/answers/{NUL_ID}/helpful"),
        ("post", f"/api/v1/asks/{ask_id}/answers/{NUL_ID}/helpful"),
        ("post", f"/api/v1/asks/{NUL_ID}/resolve"),
        ("post", f"/api/v1/asks/{NUL_ID}/close"),
        ("post", f"/api/v1/asks/{NUL_ID}/reopen"),
    ]


def test_nul_bytes_in_any_ask_id_never_reach_the_database(api_as):
    # given
    author = ProfileFactory()
    ask = make_ask(author)
    api = api_as(author)
    client = Client()
    client.force_login(author.user)
    failures = []
    # when
    for method, url in _urls(ask.public_id):
        with queries_with_nul() as queries:
            if url.startswith("/api/") and method == "get":
                response = api.client.get(url, **api.headers)
            elif url.startswith("/api/"):
                response = getattr(api.client, method)(
                    url,
                    data=json.dumps({"body": "An answer", "helpful": True}),
                    content_type="application/json",
                    **api.headers,
                )
            else:
                response = getattr(client, method)(url, {"body": "x", "status": "resolved"})
        if response.status_code >= 500 or queries:
            failures.append((method, url, response.status_code, len(queries)))
    # then
    assert failures == []


def test_nul_bytes_posted_to_the_ask_forms_never_reach_the_database():
    # given
    author = ProfileFactory()
    ask = make_ask(author)
    client = Client()
    client.force_login(ProfileFactory().user)
    form = {
        "kind": "ask",
        "topic": "advice",
        "title": "Help\x00 me",
        "body": "b\x00",
        "interests": "chess\x00",
        "audience": "group",
        "group": "a\x00b",
    }
    # when
    with queries_with_nul() as queries:
        responses = [
            client.post("/asks/new/", form),
            client.post(f"/asks/{ask.public_id}/answer/", {"body": "An\x00 answer"}),
            client.post(f"/asks/{ask.public_id}/status/", {"status": "resolved\x00"}),
            client.post(f"/asks/{ask.public_id}/answers/x/helpful/", {"helpful": "\x00"}),
        ]
    # then
    assert [r.status_code < 500 for r in responses] == [True] * 4
    assert queries == []
