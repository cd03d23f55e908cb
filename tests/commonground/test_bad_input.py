"""No input produces a 500: junk posted to every form and endpoint answers below 500."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.accounts.services import api_token_create
from tests.commonground.factories import (
    NewMemberFactory,
    ProfileFactory,
    give_interests,
    interest_named,
)
from tests.commonground.nul import queries_with_nul

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

nasty_text = st.one_of(
    st.just(""),
    st.just(" "),
    st.just("x" * 10_000),
    st.just("\x00"),
    st.just("Star\x00Trek"),
    st.just("🖖 Ｓｔａｒ Ｔｒｅｋ ǅ"),
    st.just("' OR 1=1 --"),
    st.just("<script>alert(1)</script>"),
    st.just("../../etc/passwd"),
    st.just("-1"),
    st.just("99999999999999999999999"),
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),
)
form_value = st.one_of(nasty_text, st.lists(nasty_text, max_size=3))
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), nasty_text),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=6,
)


def _form(fields: list[str]):
    return st.dictionaries(st.sampled_from(fields), form_value, max_size=len(fields))


def _json_object(fields: list[str]):
    return st.one_of(
        json_value, st.dictionaries(st.sampled_from(fields), json_value, max_size=len(fields))
    )


class _Rollback(Exception):
    pass


def _as_member(profile=None) -> Client:
    client = Client()
    client.force_login((profile or ProfileFactory()).user)
    return client


def _in_rollback(body) -> None:
    """Run one example in a transaction that is rolled back, and check that no query carried
    a NUL byte (SQLite stores it; PostgreSQL refuses it with an error, a 500)."""
    try:
        with transaction.atomic(), queries_with_nul() as queries:
            body()
            assert queries == []
            raise _Rollback
    except _Rollback:
        pass


PROFILE_FIELDS = [
    "display_name",
    "headline",
    "bio",
    "profession",
    "industry",
    "organization",
    "city",
    "region",
    "country",
    "reach",
    "time_zone",
    "open_to",
]
PRIVACY_FIELDS = ["headline", "bio", "work", "location", "open_to", "interests"]
ADD_FIELDS = ["interest", "kind", "intensity", "new", "pick", "next"]


@FUZZ
@given(data=_form(PROFILE_FIELDS))
def test_profile_edit_form_never_500s(data):
    def body():
        response = _as_member().post("/me/", data)
        assert response.status_code in (200, 302)

    _in_rollback(body)


@FUZZ
@given(data=_form(PROFILE_FIELDS))
def test_onboarding_about_form_never_500s(data):
    def body():
        response = _as_member(NewMemberFactory()).post("/welcome/", data)
        assert response.status_code in (200, 302)

    _in_rollback(body)


@FUZZ
@given(data=_form(PRIVACY_FIELDS))
def test_privacy_form_never_500s(data):
    def body():
        response = _as_member().post("/me/privacy/", data)
        assert response.status_code in (200, 302)

    _in_rollback(body)


@FUZZ
@given(data=_form(ADD_FIELDS), htmx=st.booleans())
def test_add_interest_form_never_500s(data, htmx):
    def body():
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        response = _as_member().post("/me/interests/add/", data, **headers)
        assert response.status_code in (200, 302)

    _in_rollback(body)


@FUZZ
@given(data=_form(["name"]))
def test_token_form_never_500s(data):
    def body():
        response = _as_member().post("/me/tokens/", data)
        assert response.status_code == 200

    _in_rollback(body)


@FUZZ
@given(params=_form(["i", "add", "pick", "near", "profession", "page"]), path_junk=nasty_text)
def test_directory_interest_and_member_pages_never_500(params, path_junk):
    def body():
        client = _as_member(ProfileFactory(city=""))
        segment = quote(path_junk[:200], safe="") or "x"
        responses = [
            client.get("/people/", params),
            client.get(
                "/interests/",
                {k: v for k, v in params.items() if k in ("i", "page")}
                | {"q": params.get("add", ""), "kind": params.get("near", "")},
            ),
            client.get(
                "/interests/suggest/",
                {"interest": params.get("add", ""), "target": params.get("near", "")},
            ),
            client.get(f"/people/{segment}/"),
            client.get(f"/interests/{segment}/"),
            client.post(f"/me/interests/{segment}/remove/"),
        ]
        assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]

    _in_rollback(body)


def _api(profile) -> tuple[Client, dict[str, str]]:
    key = api_token_create(user=profile.user, name="fuzz").key
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


ME_FIELDS = [*PROFILE_FIELDS, "visibility"]
MEMBER_INTEREST_FIELDS = ["interest", "kind", "intensity", "create_if_missing"]


@FUZZ
@given(payload=_json_object(ME_FIELDS))
def test_api_patch_me_never_500s(payload, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000

    def body():
        client, auth = _api(ProfileFactory())
        response = client.patch(
            "/api/v1/me", json.dumps(payload), content_type="application/json", **auth
        )
        assert response.status_code < 500
        assert response.status_code == 200 or set(response.json()) == {"code", "message", "field"}

    _in_rollback(body)


@FUZZ
@given(payload=_json_object(MEMBER_INTEREST_FIELDS), patch=_json_object(["kind", "intensity"]))
def test_api_my_interests_never_500(payload, patch, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000

    def body():
        profile = ProfileFactory()
        give_interests(profile, interest_named("Chess"))
        client, auth = _api(profile)
        added = client.post(
            "/api/v1/me/interests", json.dumps(payload), content_type="application/json", **auth
        )
        changed = client.patch(
            "/api/v1/me/interests/chess", json.dumps(patch), content_type="application/json", **auth
        )
        raw = client.post(
            "/api/v1/me/interests", b"\x00\xff{", content_type="application/json", **auth
        )
        for response in (added, changed, raw):
            assert response.status_code < 500
            if response.status_code >= 400:
                assert set(response.json()) == {"code", "message", "field"}

    _in_rollback(body)


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["interests", "near", "profession", "page", "page_size", "q", "limit"]),
        nasty_text,
        max_size=4,
    ),
    path_junk=nasty_text,
)
def test_api_reads_never_500(params, path_junk, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000

    def body():
        client, auth = _api(ProfileFactory())
        segment = quote(path_junk[:200], safe="") or "x"
        responses = [
            client.get("/api/v1/members", params, **auth),
            client.get("/api/v1/interests", params, **auth),
            client.get(f"/api/v1/members/{segment}", **auth),
            client.get(f"/api/v1/interests/{segment}", **auth),
            client.delete(f"/api/v1/me/interests/{segment}", **auth),
        ]
        assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]

    _in_rollback(body)


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/members?profession=sci%00", None),
        ("get", "/api/v1/members?interests=star-trek%00", None),
        ("get", "/api/v1/members/abc%00def", None),
        ("get", "/api/v1/interests/star%00trek", None),
        pytest.param("get", "/api/v1/interests?q=tr%00ek", None, id="autocomplete-in-memory"),
        ("patch", "/api/v1/me/interests/ch%00ess", {"intensity": 3}),
        ("delete", "/api/v1/me/interests/ch%00ess", None),
        ("post", "/api/v1/me/interests", {"interest": "Star\u0000Trek", "create_if_missing": True}),
        ("patch", "/api/v1/me", {"headline": "nul\u0000", "city": "x\u0000"}),
    ],
)
def test_nul_bytes_sent_to_the_api_never_reach_the_database(api_as, method, url, body):
    """PostgreSQL refuses NUL in a query with an error (a 500); SQLite lets it through, so
    the suite checks the queries themselves, on every database."""
    # given
    api = api_as(ProfileFactory())

    # when
    with queries_with_nul() as queries:
        kwargs = (
            {} if body is None else {"data": json.dumps(body), "content_type": "application/json"}
        )
        response = getattr(api.client, method)(url, **kwargs, **api.headers)

    # then
    assert response.status_code < 500
    assert response.status_code >= 400 or "interests?q=" in url  # autocomplete searches in memory
    assert queries == []


@pytest.mark.parametrize(
    "url",
    [
        "/people/abc%00def/",
        "/interests/star%00trek/",
        "/people/?profession=sci%00",
        "/people/?i=star%00trek",
    ],
)
def test_nul_bytes_in_page_urls_never_reach_the_database(client, url):
    # given
    client.force_login(ProfileFactory().user)

    # when
    with queries_with_nul() as queries:
        response = client.get(url)

    # then
    assert response.status_code < 500
    assert queries == []
