"""Junk in every query parameter and JSON field of the opportunity, referral and ask pages
and API answers below 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.commonground.factories import ProfileFactory
from tests.commonground.junk import JUNK

pytestmark = pytest.mark.django_db

PAGE_PARAMS = {
    "/opportunities/": ["tab", "q", "skill", "kind", "remote", "page"],
    "/asks/": ["tab", "q", "i", "add", "pick", "page", "topic", "kind"],
    "/referrals/": ["page"],
    "/": ["page"],
}
API_LISTS = {
    "/api/v1/opportunities": ["q", "skill", "kind", "remote", "page", "size", "tab"],
    "/api/v1/referrals": ["page", "size"],
    "/api/v1/asks": ["q", "interests", "tab", "page", "size", "kind", "topic"],
}
JSON_JUNK: list[object] = [None, -1, 10**30, 1.5, "x" * 5000, [], {}, True, ["a"] * 500]


def test_junk_query_parameters_never_500(api_as):
    # given
    profile = ProfileFactory()
    client = Client()
    client.force_login(profile.user)
    api = api_as(profile)
    failures = []
    # when
    for url, names in PAGE_PARAMS.items():
        for name in names:
            for value in JUNK:
                status = client.get(url, {name: value}).status_code
                if status >= 500:
                    failures.append((url, name, value[:20], status))
    for url, names in API_LISTS.items():
        for name in names:
            for value in JUNK:
                status = api.client.get(url, {name: value}, **api.headers).status_code
                if status >= 500:
                    failures.append((url, name, value[:20], status))
    # then
    assert failures == []


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/api/v1/referrals", ["opportunity", "candidate", "note"]),
        ("/api/v1/asks", ["kind", "topic", "title", "body", "interests", "audience", "group"]),
        (
            "/api/v1/opportunities",
            ["kind", "title", "organization", "expires_at", "audience", "skills", "remote"],
        ),
    ],
)
def test_junk_json_fields_never_500(api_as, url, fields):
    # given
    api = api_as(ProfileFactory())
    failures = []
    # when
    for name in fields:
        for value in JSON_JUNK:
            response = api.client.post(
                url, data=json.dumps({name: value}), content_type="application/json", **api.headers
            )
            if response.status_code >= 500:
                failures.append((name, str(value)[:20], response.status_code))
    # then
    assert failures == []
