"""No input produces a 500 on the asks pages and API, and no NUL byte reaches the database."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import given

from commonground.accounts.services import api_token_create
from commonground.asks.models import Ask
from tests.commonground.asks.helpers import make_ask
from tests.commonground.factories import ProfileFactory
from tests.commonground.nul import queries_with_nul
from tests.commonground.test_bad_input import (
    FUZZ,
    _form,
    _in_rollback,
    _json_object,
    nasty_text,
)

pytestmark = pytest.mark.django_db

ASK_FIELDS = ["kind", "topic", "title", "body", "interests", "audience", "group"]


def _as_member(profile=None) -> Client:
    client = Client()
    client.force_login((profile or ProfileFactory()).user)
    return client


@FUZZ
@given(data=_form(ASK_FIELDS), answer=_form(["body"]), status=nasty_text)
def test_ask_forms_never_500(data, answer, status):
    def body():
        author = ProfileFactory()
        ask = make_ask(author)
        client = _as_member()
        responses = [
            client.post("/asks/new/", data),
            client.post(f"/asks/{ask.public_id}/answer/", answer),
            _as_member(author).post(f"/asks/{ask.public_id}/status/", {"status": status}),
        ]
        assert all(r.status_code in (200, 302, 429) for r in responses), [
            r.status_code for r in responses
        ]

    _in_rollback(body)


@FUZZ
@given(params=_form(["tab", "q", "i", "add", "pick", "page"]), path_junk=nasty_text)
def test_ask_pages_never_500(params, path_junk):
    def body():
        client = _as_member()
        segment = quote(path_junk[:200], safe="") or "x"
        responses = [
            client.get("/asks/", params),
            client.get(f"/asks/{segment}/"),
            client.post(f"/asks/{segment}/answer/", {"body": "hi"}),
            client.post(f"/asks/{segment}/answers/{segment}/helpful/"),
            client.post(f"/asks/{segment}/status/", {"status": "closed"}),
        ]
        assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]

    _in_rollback(body)


@FUZZ
@given(payload=_json_object(["kind", "topic", "title", "body", "interests", "audience", "group"]))
def test_api_ask_writes_never_500(payload, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000

    def body():
        author = ProfileFactory()
        ask = make_ask(author)
        key = api_token_create(user=ProfileFactory().user, name="fuzz").key
        client, auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        sent = json.dumps(payload)
        responses = [
            client.post("/api/v1/asks", sent, content_type="application/json", **auth),
            client.post(
                f"/api/v1/asks/{ask.public_id}/answers",
                sent,
                content_type="application/json",
                **auth,
            ),
            client.post("/api/v1/asks", b"\x00\xff{", content_type="application/json", **auth),
            client.get(
                "/api/v1/asks",
                {k: str(v) for k, v in payload.items()} if isinstance(payload, dict) else {},
                **auth,
            ),
        ]
        for response in responses:
            assert response.status_code < 500
            if response.status_code >= 400:
                assert set(response.json()) == {"code", "message", "field"}

    _in_rollback(body)


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/asks?q=tr%00ek", None),
        ("get", "/api/v1/asks?interests=star%00trek", None),
        ("get", "/api/v1/asks/abc%00def", None),
        ("post", "/api/v1/asks", {"title": "Star\u0000Trek help"}),
        ("post", "/api/v1/asks", {"title": "Star Trek help", "interests": ["star\u0000trek"]}),
        ("post", "/api/v1/asks", {"title": "Star Trek", "audience": "group", "group": "a\u0000"}),
    ],
)
def test_nul_bytes_sent_to_the_asks_api_never_reach_the_database(api_as, method, url, body):
    api = api_as(ProfileFactory())
    with queries_with_nul() as queries:
        kwargs = (
            {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
        )
        response = getattr(api.client, method)(url, **kwargs, **api.headers)
    assert 400 <= response.status_code < 500
    assert queries == []
    assert Ask.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["/asks/?q=tr%00ek", "/asks/?i=star%00trek", "/asks/abc%00def/", "/asks/?add=a%00b"]
)
def test_nul_bytes_in_ask_page_urls_never_reach_the_database(client, url):
    client.force_login(ProfileFactory().user)
    with queries_with_nul() as queries:
        response = client.get(url)
    assert response.status_code < 500
    assert queries == []
