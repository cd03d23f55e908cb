from __future__ import annotations

import pytest

from commonground.interests.models import Interest, InterestStatus, MemberInterest
from tests.commonground.factories import ProfileFactory, give_interests, interest_named

pytestmark = pytest.mark.django_db


def _mine(profile) -> list[tuple[str, str, int]]:
    return sorted(
        MemberInterest.objects.filter(user=profile.user).values_list(
            "interest__slug", "kind", "intensity"
        )
    )


def test_interest_search_puts_star_trek_first_for_trekkie(api_as):
    # given
    api = api_as(ProfileFactory())

    # when
    response = api.get("/interests", q="trekkie")

    # then
    assert response.status_code == 200
    first = response.json()[0]
    assert first == {
        "slug": "star-trek",
        "name": "Star Trek",
        "kind": "tv",
        "matched": "Trekkie",
        "how": "prefix",
        "member_count": 0,
    }


def test_interest_search_forgives_typos_and_respects_the_limit(api_as):
    # given
    api = api_as(ProfileFactory())

    # when
    response = api.get("/interests", q="sourdoguh", limit=3)

    # then
    assert response.json()[0]["name"] == "Sourdough baking"
    assert len(response.json()) <= 3


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "x" * 81}, {"q": "trek", "limit": 0}, {"q": "trek", "limit": 51}],
)
def test_interest_search_with_bad_parameters_is_422(api_as, params):
    # given
    api = api_as(ProfileFactory())

    # when
    response = api.get("/interests", **params)

    # then
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_interest_detail(api_as):
    # given
    give_interests(ProfileFactory(), interest_named("Star Trek"))

    # when
    response = api_as(ProfileFactory()).get("/interests/star-trek")

    # then
    assert response.json() == {
        "slug": "star-trek",
        "name": "Star Trek",
        "kind": "tv",
        "description": "The long-running science fiction franchise about exploring strange new worlds.",
        "status": "canonical",
        "member_count": 1,
    }


def test_interest_detail_of_an_unknown_slug_is_404(api_as):
    # when
    response = api_as(ProfileFactory()).get("/interests/no-such-thing")

    # then
    assert response.status_code == 404
    assert response.json() == {
        "code": "interest_not_found",
        "message": "No such interest.",
        "field": None,
    }


def test_add_by_nickname_is_201_with_the_canonical_interest(api_as):
    # given
    me = ProfileFactory()

    # when
    response = api_as(me).post("/me/interests", {"interest": "Caps"})

    # then
    assert response.status_code == 201
    assert response.json() == {
        "slug": "washington-capitals",
        "name": "Washington Capitals",
        "interest_kind": "sports_team",
        "kind": "passion",
        "intensity": 2,
        "pending_review": False,
    }
    assert _mine(me) == [("washington-capitals", "passion", 2)]
    assert interest_named("Washington Capitals").member_count == 1


def test_adding_a_duplicate_is_409_and_keeps_the_count(api_as):
    # given
    me = ProfileFactory()
    api = api_as(me)
    api.post("/me/interests", {"interest": "Caps"})

    # when
    response = api.post("/me/interests", {"interest": "Washington Capitals"})

    # then
    assert response.status_code == 409
    assert response.json() == {
        "code": "interest_already_added",
        "message": "Washington Capitals is already one of your interests.",
        "field": "interest",
    }
    assert interest_named("Washington Capitals").member_count == 1


def test_adding_unknown_text_is_400_interest_unknown(api_as):
    # given
    me = ProfileFactory()
    before = Interest.objects.count()

    # when
    response = api_as(me).post("/me/interests", {"interest": "zzzzqqq"})

    # then
    assert response.status_code == 400
    assert response.json() == {
        "code": "interest_unknown",
        "message": "We don't know “zzzzqqq” yet. You can also add it as a new interest.",
        "field": "interest",
    }
    assert Interest.objects.count() == before
    assert _mine(me) == []


def test_create_if_missing_adds_a_pending_interest(api_as):
    # given
    me = ProfileFactory()

    # when
    response = api_as(me).post(
        "/me/interests",
        {
            "interest": "Competitive axolotl husbandry",
            "create_if_missing": True,
            "kind": "skill",
            "intensity": 3,
        },
    )

    # then
    assert response.status_code == 201
    assert response.json() == {
        "slug": "competitive-axolotl-husbandry",
        "name": "Competitive axolotl husbandry",
        "interest_kind": "other",
        "kind": "skill",
        "intensity": 3,
        "pending_review": True,
    }
    created = Interest.objects.get(slug="competitive-axolotl-husbandry")
    assert (created.status, created.member_count) == (InterestStatus.PENDING, 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "interest"),
        ({"interest": ""}, "interest"),
        ({"interest": "x" * 81}, "interest"),
        ({"interest": "Star\u0000Trek"}, "interest"),
        ({"interest": "Caps", "kind": "hobby"}, "kind"),
        ({"interest": "Caps", "intensity": 4}, "intensity"),
        ({"interest": "Caps", "intensity": "lots"}, "intensity"),
        ({"interest": ["Caps"]}, "interest"),
    ],
)
def test_adding_with_bad_input_is_422_and_adds_nothing(api_as, body, field):
    # given
    me = ProfileFactory()

    # when
    response = api_as(me).post("/me/interests", body)

    # then
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("invalid", field)
    assert _mine(me) == []


def test_list_my_interests(api_as):
    # given
    me = ProfileFactory()
    give_interests(me, interest_named("Chess"))
    give_interests(me, interest_named("Star Trek"), intensity=3)

    # when
    response = api_as(me).get("/me/interests")

    # then
    assert [(i["slug"], i["intensity"]) for i in response.json()] == [
        ("star-trek", 3),
        ("chess", 2),
    ]


def test_patch_changes_kind_and_intensity(api_as):
    # given
    me = ProfileFactory()
    give_interests(me, interest_named("Chess"))

    # when
    response = api_as(me).patch("/me/interests/chess", {"kind": "skill", "intensity": 3})

    # then
    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["intensity"]) == ("skill", 3)
    assert _mine(me) == [("chess", "skill", 3)]


def test_patch_of_an_interest_not_held_is_404(api_as):
    # given
    me = ProfileFactory()

    # when
    response = api_as(me).patch("/me/interests/chess", {"kind": "skill"})

    # then
    assert response.status_code == 404
    assert response.json() == {
        "code": "interest_not_found",
        "message": "That interest is not on your profile.",
        "field": "interest",
    }


def test_patch_with_a_bad_intensity_is_422_and_changes_nothing(api_as):
    # given
    me = ProfileFactory()
    give_interests(me, interest_named("Chess"))

    # when
    response = api_as(me).patch("/me/interests/chess", {"intensity": 0})

    # then
    assert response.status_code == 422
    assert _mine(me) == [("chess", "passion", 2)]


def test_delete_is_204_and_counts_one_less(api_as):
    # given
    me = ProfileFactory()
    give_interests(me, interest_named("Chess"))

    # when
    response = api_as(me).delete("/me/interests/chess")
    again = api_as(me).delete("/me/interests/chess")

    # then
    assert response.status_code == 204
    assert response.content == b""
    assert again.status_code == 404
    assert _mine(me) == []
    assert interest_named("Chess").member_count == 0


def test_a_member_cannot_touch_another_members_interests(api_as):
    # given
    owner, other = ProfileFactory(), ProfileFactory()
    give_interests(owner, interest_named("Chess"))

    # when
    patched = api_as(other).patch("/me/interests/chess", {"intensity": 3})
    deleted = api_as(other).delete("/me/interests/chess")

    # then
    assert (patched.status_code, deleted.status_code) == (404, 404)
    assert _mine(owner) == [("chess", "passion", 2)]
