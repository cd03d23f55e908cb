"""No input produces a 500 (nor a query with a NUL byte): junk posted to every opportunity
form and endpoint answers below 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from commonground.accounts.services import api_token_create
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.opportunities.helpers import post
from tests.commonground.test_bad_input import FUZZ, _form, _in_rollback, _json_object, nasty_text

pytestmark = pytest.mark.django_db

NEW_FIELDS = [
    "kind",
    "title",
    "organization",
    "description",
    "skills",
    "interests",
    "remote",
    "city",
    "region",
    "country",
    "compensation",
    "expires_on",
    "audience",
    "audience_groups",
    "audience_members",
]
API_FIELDS = [f for f in NEW_FIELDS if f != "expires_on"] + ["expires_at"]


def _member() -> tuple[Client, object]:
    profile = ProfileFactory()
    client = Client()
    client.force_login(profile.user)
    return client, profile


@FUZZ
@given(data=_form(NEW_FIELDS))
def test_the_new_opportunity_form_never_500s(data):
    def body():
        client, _ = _member()
        assert client.post("/opportunities/new/", data).status_code in (200, 302)

    _in_rollback(body)


@FUZZ
@given(data=_form(["tab", "q", "skill", "kind", "remote", "page"]))
def test_the_list_and_search_never_500(data):
    def body():
        client, _ = _member()
        assert client.get("/opportunities/", data).status_code == 200

    _in_rollback(body)


@FUZZ
@given(
    action=st.sampled_from(["refer", "interest", "ask", "status", "referral"]),
    data=_form(["candidate", "note", "asked", "message", "status", "referral"]),
)
def test_the_detail_actions_never_500(action, data):
    def body():
        client, profile = _member()
        friend = ProfileFactory()
        connect(profile, friend)
        opportunity = post(ProfileFactory())
        response = client.post(f"/opportunities/{opportunity.public_id}/{action}/", data)
        assert response.status_code == 302

    _in_rollback(body)


@FUZZ
@given(data=_form(["kinds", "note", "audience", "audience_members"]))
def test_the_open_to_form_never_500s(data):
    def body():
        client, _ = _member()
        assert client.post("/opportunities/open-to/", data).status_code in (200, 302)

    _in_rollback(body)


@FUZZ
@given(
    payload=_json_object(API_FIELDS),
    path=st.sampled_from(["/opportunities", "/referrals"]),
)
def test_the_api_writes_never_500(payload, path):
    def body():
        profile = ProfileFactory()
        key = api_token_create(user=profile.user, name="fuzz").key
        response = Client().post(
            f"/api/v1{path}",
            json.dumps(payload),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert response.status_code < 500

    _in_rollback(body)


@FUZZ
@given(value=nasty_text, suffix=st.sampled_from(["", "/people", "/status", "/interest"]))
def test_api_paths_with_junk_ids_never_500(value, suffix):
    def body():
        profile = ProfileFactory()
        key = api_token_create(user=profile.user, name="fuzz").key
        client = Client()
        url = f"/api/v1/opportunities/{value.replace('/', '%2F') or 'x'}{suffix}"
        method = client.get if suffix in ("", "/people") else client.post
        response = method(url, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code < 500

    _in_rollback(body)
