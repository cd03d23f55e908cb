from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from commonground.interests.models import MemberInterest
from commonground.profiles.models import Profile
from tests.commonground.factories import (
    NewMemberFactory,
    ProfileFactory,
    give_interests,
    interest_named,
)
from tests.commonground.html import page_text, shows, without_csrf

pytestmark = pytest.mark.django_db

ABOUT = {
    "display_name": "Shy Sam",
    "headline": "Never misses a Caps game",
    "profession": "Policy analyst",
    "industry": "Government",
    "organization": "",
    "city": "Arlington",
    "region": "Virginia",
    "country": "US",
    "reach": "regional",
}


def _stored(profile: Profile) -> dict[str, object]:
    return model_to_dict(Profile.objects.get(pk=profile.pk))


def test_onboarding_walks_three_steps(client):
    # given
    member = NewMemberFactory()
    client.force_login(member.user)

    # when: step 1, about you
    first = client.get("/welcome/")
    about = client.post("/welcome/", ABOUT)
    # step 2: at least three interests, one a nickname and one a typo
    second = client.get("/welcome/")
    too_few = client.post("/welcome/", {"continue": "1"})
    for text in ("Caps", "sourdoguh", "Star Trek"):
        client.post(
            "/me/interests/add/",
            {"interest": text, "kind": "passion", "intensity": "2", "next": "/welcome/"},
        )
    interests_done = client.post("/welcome/", {"continue": "1"})
    # step 3: open to
    third = client.get("/welcome/")
    done = client.post("/welcome/", {"open_to": ["friends", "mentoring"]})

    # then
    assert first.templates[0].name == "profiles/onboarding_about.html"
    assert (about.status_code, about["Location"]) == (302, "/welcome/")
    assert second.templates[0].name == "profiles/onboarding_interests.html"
    assert too_few.status_code == 200
    assert shows(too_few, "Add at least 3 interests (0 so far).")
    assert (interests_done.status_code, interests_done["Location"]) == (302, "/welcome/")
    assert third.templates[0].name == "profiles/onboarding_open_to.html"
    assert (done.status_code, done["Location"]) == (302, "/home/")
    profile = Profile.objects.get(pk=member.pk)
    assert profile.is_onboarded is True
    assert (profile.display_name, profile.city_key, profile.open_to) == (
        "Shy Sam",
        "arlington",
        ["friends", "mentoring"],
    )
    assert sorted(
        MemberInterest.objects.filter(user=member.user).values_list("interest__name", flat=True)
    ) == ["Sourdough baking", "Star Trek", "Washington Capitals"]


def test_onboarding_about_without_a_name_rerenders_with_the_error_and_saves_nothing(client):
    # given
    member = NewMemberFactory()
    client.force_login(member.user)
    before = _stored(member)

    # when
    response = client.post("/welcome/", {**ABOUT, "display_name": ""})

    # then
    assert response.status_code == 200
    assert shows(response, "This field is required.")
    assert _stored(member) == before


def test_onboarding_back_buttons_go_one_step_back(client):
    # given
    member = NewMemberFactory(display_name="Sam", onboarding_step=3)
    client.force_login(member.user)

    # when
    from_three = client.post("/welcome/", {"back": "1"})
    step_after_first_back = Profile.objects.get(pk=member.pk).onboarding_step
    from_two = client.post("/welcome/", {"back": "1"})

    # then
    assert (from_three.status_code, from_three["Location"]) == (302, "/welcome/")
    assert step_after_first_back == 2
    assert (from_two.status_code, from_two["Location"]) == (302, "/welcome/")
    assert Profile.objects.get(pk=member.pk).onboarding_step == 1


def _edit_data(**overrides):
    return {
        **ABOUT,
        "bio": "",
        "time_zone": "America/New_York",
        "open_to": ["friends"],
        **overrides,
    }


def test_profile_edit_saves_and_redirects(client):
    # given
    member = ProfileFactory()
    client.force_login(member.user)

    # when
    response = client.post("/me/", _edit_data(bio="Hello"))

    # then
    assert (response.status_code, response["Location"]) == (302, "/me/")
    stored = Profile.objects.get(pk=member.pk)
    assert (stored.display_name, stored.bio, stored.time_zone, stored.open_to) == (
        "Shy Sam",
        "Hello",
        "America/New_York",
        ["friends"],
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"display_name": "x" * 81}, "Ensure this value has at most 80 characters (it has 81)."),
        ({"display_name": ""}, "This field is required."),
        ({"headline": "nul\x00byte"}, "Null characters are not allowed."),
        ({"headline": "bell\x07"}, "Control characters are not allowed."),
        (
            {"time_zone": "Mars/Olympus"},
            "Select a valid choice. Mars/Olympus is not one of the available choices.",
        ),
        (
            {"reach": "galactic"},
            "Select a valid choice. galactic is not one of the available choices.",
        ),
        (
            {"open_to": ["world_domination"]},
            "Select a valid choice. world_domination is not one of the available choices.",
        ),
    ],
)
def test_profile_edit_with_bad_input_rerenders_with_the_error_and_saves_nothing(
    client, overrides, message
):
    # given
    member = ProfileFactory()
    client.force_login(member.user)
    before = _stored(member)

    # when
    response = client.post("/me/", _edit_data(**overrides))

    # then
    assert response.status_code == 200
    assert shows(response, message)
    assert _stored(member) == before


def test_privacy_saves_levels(client):
    # given
    member = ProfileFactory()
    client.force_login(member.user)
    levels = {
        "headline": "members",
        "bio": "only_me",
        "work": "connections",
        "location": "only_me",
        "open_to": "everyone",
        "interests": "everyone",
    }

    # when
    response = client.post("/me/privacy/", levels)

    # then
    assert (response.status_code, response["Location"]) == (302, "/me/privacy/")
    stored = Profile.objects.get(pk=member.pk)
    assert {g: stored.visibility_of(g) for g in levels} == levels


def test_privacy_with_a_bad_level_rerenders_and_saves_nothing(client):
    # given
    member = ProfileFactory()
    client.force_login(member.user)
    before = _stored(member)

    # when
    response = client.post(
        "/me/privacy/",
        {
            "headline": "only_me",
            "bio": "friends_of_friends",
            "work": "members",
            "location": "members",
            "open_to": "members",
            "interests": "members",
        },
    )

    # then
    assert response.status_code == 200
    assert shows(
        response, "Select a valid choice. friends_of_friends is not one of the available choices."
    )
    assert _stored(member) == before


def test_a_hidden_member_and_a_missing_one_give_identical_404_pages(client):
    # given
    unfinished = NewMemberFactory(display_name="Canary Unfinished")
    client.force_login(ProfileFactory().user)

    # when
    hidden = client.get(f"/people/{unfinished.user.public_id}/")
    missing = client.get("/people/AAAAAAAAAAA/")

    # then
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert without_csrf(hidden) == without_csrf(missing)
    assert "Canary Unfinished" not in page_text(hidden)


def test_a_members_page_shows_only_what_the_viewer_may_see(client):
    # given
    owner = ProfileFactory(
        display_name="Owner", headline="Canary headline", bio="Canary bio", profession="Canary job"
    )
    connection_only = interest_named("Star Trek")
    give_interests(owner, connection_only)
    url = f"/people/{owner.user.public_id}/"

    # when
    as_visitor = page_text(client.get(url))
    client.force_login(ProfileFactory().user)
    as_member = page_text(client.get(url))

    # then
    assert (
        "Canary headline" in as_visitor,
        "Canary bio" in as_visitor,
        "Canary job" in as_visitor,
        "Star Trek" in as_visitor,
    ) == (True, False, False, False)
    assert (
        "Canary headline" in as_member,
        "Canary bio" in as_member,
        "Canary job" in as_member,
        "Star Trek" in as_member,
    ) == (True, True, True, True)


def test_directory_add_resolves_a_nickname_and_redirects_to_the_slug(client):
    # given
    client.force_login(ProfileFactory().user)

    # when
    response = client.get("/people/?add=Trekkie")

    # then
    assert (response.status_code, response["Location"]) == (302, "/people/?i=star-trek")


def test_directory_add_keeps_other_filters(client):
    # given
    client.force_login(ProfileFactory().user)

    # when
    response = client.get("/people/?i=star-trek&add=caps&profession=analyst&near=city")

    # then
    assert (
        response["Location"]
        == "/people/?i=star-trek&i=washington-capitals&near=city&profession=analyst"
    )


def test_directory_pick_adds_a_filter(client):
    # given
    client.force_login(ProfileFactory().user)

    # when
    response = client.get("/people/?i=star-trek&pick=washington-capitals&add=half-typed")

    # then
    assert (response.status_code, response["Location"]) == (
        302,
        "/people/?i=star-trek&i=washington-capitals",
    )


def test_directory_add_of_unknown_text_redirects_with_a_message(client):
    # given
    client.force_login(ProfileFactory().user)

    # when
    response = client.get("/people/?add=zzzzqqq", follow=True)

    # then
    assert response.redirect_chain == [("/people/?", 302)]
    assert shows(response, "We don't know “zzzzqqq” yet. You can also add it as a new interest.")


def test_directory_ands_interests_and_shows_the_shared_ones(client):
    # given
    trek, caps = interest_named("Star Trek"), interest_named("Washington Capitals")
    me = ProfileFactory()
    give_interests(me, trek, caps)
    give_interests(ProfileFactory(display_name="Both"), trek, caps)
    give_interests(ProfileFactory(display_name="Only Trek"), trek)
    client.force_login(me.user)

    # when
    response = client.get("/people/?i=star-trek&i=washington-capitals")

    # then
    assert response.status_code == 200
    results = response.context["results"]
    assert [(m.display_name, sorted(r.name for r in m.shared)) for m in results.items] == [
        ("Both", ["Star Trek", "Washington Capitals"])
    ]
    assert shows(response, "1 member who loves Star Trek and Washington Capitals")


def test_directory_with_an_unknown_slug_shows_an_error_not_a_500(client):
    # given
    client.force_login(ProfileFactory().user)

    # when
    response = client.get("/people/?i=no-such-interest")

    # then
    assert response.status_code == 200
    assert shows(response, "No interest “no-such-interest”.")
    assert response.context["results"] is None


def test_directory_near_without_a_city_shows_the_reason(client):
    # given
    client.force_login(ProfileFactory(city="").user)

    # when
    response = client.get("/people/?near=city")

    # then
    assert response.status_code == 200
    assert shows(response, "Add your city to your profile to search near you.")


def test_directory_pages(client):
    # given
    me = ProfileFactory()
    for n in range(25):
        ProfileFactory(display_name=f"P{n}")
    client.force_login(me.user)

    # when
    first = client.get("/people/")
    second = client.get("/people/?page=2")

    # then
    assert [len(first.context["results"].items), len(second.context["results"].items)] == [20, 5]
    assert first.context["results"].total == 25
    names = {m.display_name for m in first.context["results"].items} | {
        m.display_name for m in second.context["results"].items
    }
    assert len(names) == 25


def test_the_bare_directory_lists_people_without_an_error(client):
    # given
    me = ProfileFactory()
    ProfileFactory(display_name="Someone")
    client.force_login(me.user)

    # when
    response = client.get("/people/")

    # then
    assert response.status_code == 200
    assert response.context["error"] is None
    assert [m.display_name for m in response.context["results"].items] == ["Someone"]
    assert not shows(response, "Check the filters below.")


def test_directory_with_a_bad_page_number_shows_an_error_not_a_500(client):
    # given
    client.force_login(ProfileFactory().user)

    # when
    response = client.get("/people/?page=abc")

    # then
    assert response.status_code == 200
    assert response.context["error"] == "Check the filters below."
