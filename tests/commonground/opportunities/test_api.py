"""/api/v1/opportunities and /api/v1/referrals: routing, permissions, exact answers, errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commonground.opportunities.models import Opportunity, Referral
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests
from tests.commonground.opportunities.helpers import post

pytestmark = pytest.mark.django_db


def _payload(**overrides):
    body = {
        "kind": "job",
        "title": "Staff engineer",
        "organization": "Acme",
        "description": "Build things",
        "remote": True,
        "expires_at": (timezone.now() + timedelta(days=10)).isoformat(),
        "audience": "everyone",
    }
    body.update(overrides)
    return body


def test_anonymous_callers_get_401(api_as):
    response = api_as().get("/opportunities")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_create_then_read_it_back(api_as):
    # given
    python = InterestFactory(name="Python")
    poster = ProfileFactory(display_name="Pat")
    api = api_as(poster)
    # when
    response = api.post("/opportunities", _payload(skills=[python.slug]))
    # then
    assert response.status_code == 201
    body = response.json()
    opportunity = Opportunity.objects.get()
    assert body["id"] == opportunity.public_id
    assert body["skills"] == [{"slug": python.slug, "name": "Python"}]
    assert (body["status"], body["poster_name"], body["is_poster"], body["audience"]) == (
        "open",
        "Pat",
        True,
        "everyone",
    )
    assert api.get(f"/opportunities/{body['id']}").json() == body


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"title": "x" * 141}, 422, "title"),
        ({"title": "a\u0000b"}, 422, "title"),
        ({"kind": "gig"}, 422, "kind"),
        ({"audience": "world"}, 422, "audience"),
        ({"expires_at": "not a date"}, 422, "expires_at"),
        ({"expires_at": "2020-01-01T00:00:00+00:00"}, 400, "expires_at"),
        ({"expires_at": "2030-01-01T00:00:00"}, 400, "expires_at"),
        ({"remote": False}, 400, "country"),
        ({"audience": "named", "audience_members": ["nobodyhere1"]}, 400, "audience_members"),
        ({"skills": ["no-such-skill"]}, 404, None),
    ],
)
def test_bad_input_answers_4xx_with_code_and_field_and_writes_nothing(
    api_as, overrides, status, field
):
    response = api_as(ProfileFactory()).post("/opportunities", _payload(**overrides))
    assert response.status_code == status
    assert set(response.json()) == {"code", "message", "field"}
    if field is not None:
        assert response.json()["field"] == field
    assert Opportunity.objects.count() == 0


def test_a_hidden_opportunity_answers_exactly_like_a_missing_one(api_as):
    poster, outsider = ProfileFactory(), ProfileFactory()
    hidden = post(poster, audience="connections")
    api = api_as(outsider)
    for hidden_path, missing_path in [
        (f"/opportunities/{hidden.public_id}", "/opportunities/nosuchthing1"),
        (f"/opportunities/{hidden.public_id}/people", "/opportunities/nosuchthing1/people"),
    ]:
        a, b = api.get(hidden_path), api.get(missing_path)
        assert a.status_code == b.status_code == 404
        assert a.content == b.content
    for suffix, body in (("/interest", {}), ("/status", {"status": "closed"})):
        a = api.post(f"/opportunities/{hidden.public_id}{suffix}", body)
        b = api.post(f"/opportunities/nosuchthing1{suffix}", body)
        assert a.status_code == b.status_code == 404
        assert a.content == b.content
    assert api.get("/opportunities").json()["count"] == 0


def test_people_who_fit_is_403_for_a_member_of_the_audience_and_lists_paths_for_the_poster(
    api_as,
):
    python = InterestFactory(name="Python")
    poster, sam, ana = (
        ProfileFactory(display_name="Pat"),
        ProfileFactory(display_name="Sam"),
        ProfileFactory(display_name="Ana"),
    )
    connect(poster, sam)
    connect(sam, ana)
    give_interests(ana, python, kind="skill")
    opportunity = post(poster, skills=[python])
    assert api_as(sam).get(f"/opportunities/{opportunity.public_id}/people").status_code == 403
    people = api_as(poster).get(f"/opportunities/{opportunity.public_id}/people").json()
    assert [(p["display_name"], p["path"]) for p in people] == [("Ana", ["Sam"])]


def test_the_referral_flow_over_the_api(api_as):
    # given
    poster, referrer, candidate = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(referrer, candidate)
    opportunity = post(poster)
    # when: referred, agreed, moved along
    created = api_as(referrer).post(
        "/referrals",
        {
            "opportunity": opportunity.public_id,
            "candidate": candidate.user.public_id,
            "note": "Ace",
        },
    )
    rid = created.json()["id"]
    agreed = api_as(candidate).post(f"/referrals/{rid}/answer", {"agree": True})
    forbidden = api_as(referrer).post(f"/referrals/{rid}/status", {"status": "hired"})
    moved = api_as(poster).post(f"/referrals/{rid}/status", {"status": "interviewing"})
    # then
    assert created.status_code == 201
    assert (created.json()["status"], created.json()["mine_as"]) == (
        "awaiting_candidate",
        "referrer",
    )
    assert (agreed.status_code, agreed.json()["status"]) == (200, "submitted")
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "not_poster")
    assert (moved.status_code, moved.json()["status"], moved.json()["mine_as"]) == (
        200,
        "interviewing",
        "poster",
    )
    assert [r["id"] for r in api_as(poster).get("/referrals").json()] == [rid]
    assert Referral.objects.get().status == "interviewing"


def test_referring_a_stranger_is_403_and_a_closed_opportunity_409(api_as):
    poster, referrer, stranger, friend = (ProfileFactory() for _ in range(4))
    connect(referrer, friend)
    opportunity = post(poster)
    api = api_as(referrer)
    a = api.post(
        "/referrals", {"opportunity": opportunity.public_id, "candidate": stranger.user.public_id}
    )
    api_as(poster).post(f"/opportunities/{opportunity.public_id}/status", {"status": "filled"})
    b = api.post(
        "/referrals", {"opportunity": opportunity.public_id, "candidate": friend.user.public_id}
    )
    assert (a.status_code, a.json()["code"]) == (403, "not_connected")
    assert (b.status_code, b.json()["code"]) == (409, "opportunity_closed")
    assert Referral.objects.count() == 0


def test_search_and_for_you_over_the_api(api_as):
    python = InterestFactory(name="Python")
    me, poster = ProfileFactory(), ProfileFactory()
    give_interests(me, python, kind="skill")
    post(poster, title="Python role", skills=[python])
    post(poster, title="Cooking role", kind="volunteer")
    api = api_as(me)
    assert [
        o["title"] for o in api.get("/opportunities", skills=python.slug).json()["results"]
    ] == ["Python role"]
    assert [o["title"] for o in api.get("/opportunities", kind="volunteer").json()["results"]] == [
        "Cooking role"
    ]
    ranked = api.get("/opportunities", for_you="true").json()["results"]
    assert [o["title"] for o in ranked] == ["Python role", "Cooking role"]
    assert ranked[0]["reason"] == "Needs Python, which you list as skills · Remote"
    assert api.get("/opportunities", q="x" * 101).status_code == 422


def test_interest_over_the_api(api_as):
    poster, me = ProfileFactory(), ProfileFactory()
    opportunity = post(poster)
    response = api_as(me).post(f"/opportunities/{opportunity.public_id}/interest", {"note": "Hi"})
    assert response.status_code == 200
    assert (response.json()["opportunity"], response.json()["note"]) == (
        opportunity.public_id,
        "Hi",
    )
    mine = api_as(poster).post(f"/opportunities/{opportunity.public_id}/interest", {})
    assert mine.status_code == 400
