"""A NUL byte in any id of an opportunity or referral URL, page or API, never reaches the
database (PostgreSQL refuses it with an error: a 500) and answers below 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.commonground.factories import ProfileFactory
from tests.commonground.nul import queries_with_nul

pytestmark = pytest.mark.django_db

NUL_ID = "abc%00def"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", f"/opportunities/{NUL_ID}/"),
        ("post", f"/opportunities/{NUL_ID}/refer/"),
        ("post", f"/opportunities/{NUL_ID}/interest/"),
        ("post", f"/opportunities/{NUL_ID}/status/"),
        ("post", f"/referrals/requests/{NUL_ID}/decline/"),
        ("post", f"/referrals/{NUL_ID}/agree/"),
        ("post", f"/referrals/{NUL_ID}/decline/"),
        ("post", f"/referrals/{NUL_ID}/withdraw/"),
        ("post", f"/referrals/{NUL_ID}/status/"),
        ("get", "/opportunities/?tab=all&q=tr%00ek"),
        ("get", "/opportunities/?tab=all&skill=tr%00ek"),
        ("get", "/opportunities/?tab=all&kind=jo%00b"),
    ],
)
def test_nul_bytes_in_opportunity_page_urls_never_reach_the_database(method, url):
    # given
    client = Client()
    client.force_login(ProfileFactory().user)
    # when
    with queries_with_nul() as queries:
        response = getattr(client, method)(url, {"status": "filled"} if method == "post" else {})
    # then
    assert response.status_code < 500
    assert queries == []


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", f"/api/v1/opportunities/{NUL_ID}", None),
        ("post", f"/api/v1/opportunities/{NUL_ID}/status", {"status": "filled"}),
        ("get", f"/api/v1/opportunities/{NUL_ID}/people", None),
        ("post", f"/api/v1/opportunities/{NUL_ID}/interest", {"note": ""}),
        ("post", f"/api/v1/referrals/{NUL_ID}/answer", {"agree": True}),
        ("post", f"/api/v1/referrals/{NUL_ID}/status", {"status": "interviewing"}),
        ("post", f"/api/v1/referrals/{NUL_ID}/withdraw", None),
        ("post", "/api/v1/referrals", {"opportunity": "a\u0000b", "candidate": "c\u0000d"}),
        ("get", "/api/v1/opportunities?q=tr%00ek", None),
        ("get", "/api/v1/opportunities?skill=tr%00ek", None),
    ],
)
def test_nul_bytes_sent_to_the_opportunities_api_never_reach_the_database(
    api_as, method, url, body
):
    # given
    api = api_as(ProfileFactory())
    kwargs = {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
    # when
    with queries_with_nul() as queries:
        response = getattr(api.client, method)(url, **kwargs, **api.headers)
    # then
    assert response.status_code < 500
    assert queries == []
