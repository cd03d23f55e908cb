from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from commonground.interests.services import member_interest_norms_refresh
from commonground.profiles.models import Profile
from tests.commonground.factories import (
    InterestFactory,
    NewMemberFactory,
    ProfileFactory,
    connect,
    give_interests,
    interest_named,
)

pytestmark = pytest.mark.django_db


def _stored(profile: Profile) -> dict[str, object]:
    return model_to_dict(Profile.objects.get(pk=profile.pk))


def test_get_me_returns_the_whole_profile(api_as):
    # given
    me = ProfileFactory(
        display_name="Ada", bio="Hi", open_to=["friends"], time_zone="Europe/London"
    )

    # when
    response = api_as(me).get("/me")

    # then
    assert response.status_code == 200
    assert response.json() == {
        "id": me.user.public_id,
        "email": me.user.email,
        "display_name": "Ada",
        "headline": "Curious about everything",
        "bio": "Hi",
        "profession": "Research Scientist",
        "industry": "Science",
        "organization": "",
        "city": "Washington",
        "region": "District of Columbia",
        "country": "US",
        "reach": "regional",
        "open_to": ["friends"],
        "time_zone": "Europe/London",
        "onboarded": True,
        "visibility": {
            "headline": "everyone",
            "bio": "members",
            "work": "members",
            "location": "members",
            "open_to": "members",
            "interests": "members",
        },
    }


def test_patch_me_changes_fields_and_visibility_together(api_as):
    # given
    me = ProfileFactory()

    # when
    response = api_as(me).patch(
        "/me", {"headline": "New line", "city": "Arlington", "visibility": {"bio": "only_me"}}
    )

    # then
    assert response.status_code == 200
    body = response.json()
    assert (
        body["headline"],
        body["city"],
        body["visibility"]["bio"],
        body["visibility"]["work"],
    ) == ("New line", "Arlington", "only_me", "members")
    stored = Profile.objects.get(pk=me.pk)
    assert (stored.headline, stored.city_key, stored.bio_visibility) == (
        "New line",
        "arlington",
        "only_me",
    )


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"display_name": "x" * 81}, 422, "invalid", "display_name"),
        ({"display_name": ""}, 422, "invalid", "display_name"),
        ({"display_name": None}, 400, "invalid", "display_name"),
        ({"headline": "nul\u0000byte"}, 422, "invalid", "headline"),
        ({"bio": "bell\u0007"}, 422, "invalid", "bio"),
        ({"reach": "galactic"}, 422, "invalid", "reach"),
        ({"open_to": ["world_domination"]}, 422, "invalid", "open_to.0"),
        ({"time_zone": "Mars/Olympus"}, 400, "invalid", "time_zone"),
        ({"visibility": {"bio": "friends_of_friends"}}, 422, "invalid", "visibility.bio"),
        ({"headline": 42}, 422, "invalid", "headline"),
        ({"headline": "Fine", "time_zone": "Nowhere/Else"}, 400, "invalid", "time_zone"),
    ],
)
def test_patch_me_with_bad_input_is_a_4xx_with_the_field_and_changes_nothing(
    api_as, body, status, code, field
):
    # given
    me = ProfileFactory()
    before = _stored(me)

    # when
    response = api_as(me).patch("/me", body)

    # then
    assert response.status_code == status
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert isinstance(response.json()["message"], str)
    assert response.json()["message"]
    assert _stored(me) == before


def test_patch_me_with_a_bad_level_leaves_the_fields_too(api_as):
    # given: the visibility part fails after the field part validated
    me = ProfileFactory(headline="Before")

    # when
    response = api_as(me).patch("/me", {"headline": "After", "visibility": {"bio": "nobody"}})

    # then
    assert response.status_code == 422
    assert Profile.objects.get(pk=me.pk).headline == "Before"


def test_patch_me_with_malformed_json_is_a_4xx(api_as):
    # given
    me = ProfileFactory()

    # when
    response = api_as(me).patch("/me", "{not json")

    # then
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "message", "field"}


def _member_json(profile, **overrides):
    return {
        "id": profile.user.public_id,
        "display_name": profile.display_name,
        "headline": None,
        "bio": None,
        "profession": None,
        "industry": None,
        "organization": None,
        "city": None,
        "region": None,
        "country": None,
        "reach": None,
        "open_to": None,
        "interests": None,
        "shared_interests": [],
        "score": 0.0,
        "is_connection": False,
        **overrides,
    }


def test_member_detail_hides_each_field_group_as_the_page_does(api_as):
    # given
    owner = ProfileFactory(
        display_name="Owner",
        headline="H",
        bio="B",
        organization="Org",
        open_to=["friends"],
        headline_visibility="everyone",
        bio_visibility="members",
        work_visibility="connections",
        location_visibility="only_me",
        open_to_visibility="members",
        interests_visibility="connections",
    )
    give_interests(owner, interest_named("Star Trek"))
    stranger, friend = ProfileFactory(), ProfileFactory()
    connect(friend, owner)

    # when
    as_stranger = api_as(stranger).get(f"/members/{owner.user.public_id}")
    as_friend = api_as(friend).get(f"/members/{owner.user.public_id}")

    # then
    assert as_stranger.status_code == 200
    assert as_stranger.json() == _member_json(owner, headline="H", bio="B", open_to=["friends"])
    assert as_friend.json() == _member_json(
        owner,
        headline="H",
        bio="B",
        open_to=["friends"],
        profession="Research Scientist",
        industry="Science",
        organization="Org",
        interests=[{"slug": "star-trek", "name": "Star Trek", "kind": "tv", "weight": 0.0}],
        is_connection=True,
    )


def test_hidden_and_missing_members_give_the_same_404(api_as):
    # given
    unfinished = NewMemberFactory(display_name="Canary")
    api = api_as(ProfileFactory())

    # when
    hidden = api.get(f"/members/{unfinished.user.public_id}")
    missing = api.get("/members/AAAAAAAAAAA")

    # then
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.content == missing.content
    assert hidden.json() == {
        "code": "member_not_found",
        "message": "No such member.",
        "field": None,
    }


def test_members_search_ands_interests_ranks_and_lists_shared_ones(api_as):
    # given
    niche, popular = InterestFactory(name="Letterpress"), interest_named("Star Trek")
    me = ProfileFactory()
    give_interests(me, niche, popular)
    both = ProfileFactory(display_name="Both")
    give_interests(both, niche, popular)
    give_interests(ProfileFactory(display_name="Only popular"), popular)
    member_interest_norms_refresh()  # as `commonground match` does for everybody

    # when
    response = api_as(me).get("/members", interests="star-trek,letterpress")
    unfiltered = api_as(me).get("/members")

    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["pages"]) == (1, 1, 1)
    [result] = body["results"]
    assert result["id"] == both.user.public_id
    assert [r["slug"] for r in result["shared_interests"]] == ["letterpress", "star-trek"]
    assert result["shared_interests"][0]["weight"] > result["shared_interests"][1]["weight"] > 0
    # The engine's interest score: the same interests at the same intensity are a cosine of 1.
    assert result["score"] == pytest.approx(1.0, abs=1e-6)
    assert [r["display_name"] for r in unfiltered.json()["results"]] == ["Both", "Only popular"]


def test_members_search_with_an_unknown_slug_is_404_json(api_as):
    # given
    api = api_as(ProfileFactory())

    # when
    response = api.get("/members", interests="star-trek,no-such-thing")

    # then
    assert response.status_code == 404
    assert response.json() == {
        "code": "interest_not_found",
        "message": "No interest “no-such-thing”.",
        "field": "interests",
    }


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"near": "planet"}, 422, "near"),
        ({"near": "city"}, 400, "near"),
        ({"page": 0}, 422, "page"),
        ({"page_size": 101}, 422, "page_size"),
        ({"page": "abc"}, 422, "page"),
        ({"interests": "a,b,c,d,e,f"}, 404, "interests"),
    ],
)
def test_members_search_with_bad_parameters_is_a_4xx(api_as, params, status, field):
    # given
    api = api_as(ProfileFactory(city=""))

    # when
    response = api.get("/members", **params)

    # then
    assert response.status_code == status
    assert response.json()["field"] == field


def test_members_search_with_more_than_five_interests_is_400(api_as):
    # given
    api = api_as(ProfileFactory())
    slugs = ",".join(InterestFactory().slug for _ in range(6))

    # when
    response = api.get("/members", interests=slugs)

    # then
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "Combine at most 5 interests.",
        "field": "interests",
    }


def test_members_search_pages(api_as):
    # given
    me = ProfileFactory()
    for _ in range(5):
        ProfileFactory()
    api = api_as(me)

    # when
    pages = [api.get("/members", page=n, page_size=2).json() for n in (1, 2, 3)]

    # then
    assert [(p["count"], p["page"], p["pages"], len(p["results"])) for p in pages] == [
        (5, 1, 3, 2),
        (5, 2, 3, 2),
        (5, 3, 3, 1),
    ]
    ids = [r["id"] for p in pages for r in p["results"]]
    assert len(set(ids)) == 5
