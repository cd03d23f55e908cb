from __future__ import annotations

import pytest

from commonground.interests.models import Interest, InterestStatus, MemberInterest
from commonground.interests.services import interest_merge
from tests.commonground.factories import (
    InterestFactory,
    ProfileFactory,
    give_interests,
    interest_named,
)
from tests.commonground.html import page_text, shows

pytestmark = pytest.mark.django_db


def _add(client, interest, *, htmx=False, **extra):
    data = {"interest": interest, "kind": "passion", "intensity": "2", "next": "/me/", **extra}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post("/me/interests/add/", data, **headers)


def _mine(profile) -> list[str]:
    return sorted(
        MemberInterest.objects.filter(user=profile.user).values_list("interest__name", flat=True)
    )


def test_add_interest_by_nickname_redirects_to_next(client):
    # given
    member = ProfileFactory()
    client.force_login(member.user)

    # when
    response = _add(client, "Caps", next="/people/")

    # then
    assert (response.status_code, response["Location"]) == (302, "/people/")
    assert _mine(member) == ["Washington Capitals"]
    assert interest_named("Washington Capitals").member_count == 1


def test_add_interest_never_redirects_off_site(client):
    # given
    client.force_login(ProfileFactory().user)

    # when
    response = _add(client, "Caps", next="https://evil.example/")

    # then
    assert response["Location"] == "/me/"


def test_htmx_add_returns_the_partial_with_the_new_interest(client):
    # given
    member = ProfileFactory()
    client.force_login(member.user)

    # when
    response = _add(client, "Trekkie", htmx=True)

    # then
    assert response.status_code == 200
    assert response.templates[0].name == "interests/partials/my_interests.html"
    assert response["HX-Trigger"] == "interestsChanged"
    html = page_text(response)
    assert html.startswith('<div id="my-interests">')
    assert "<html" not in html
    assert '<strong id="interest-count">1</strong>' in html
    assert "Star Trek" in html
    assert _mine(member) == ["Star Trek"]


def test_htmx_add_of_a_duplicate_returns_the_partial_with_the_error(client):
    # given
    member = ProfileFactory()
    give_interests(member, interest_named("Star Trek"))
    client.force_login(member.user)

    # when
    response = _add(client, "Star Trek", htmx=True)

    # then
    assert response.status_code == 200
    assert "HX-Trigger" not in response
    assert shows(response, "Star Trek is already one of your interests.")
    assert interest_named("Star Trek").member_count == 1


def test_adding_unknown_text_rerenders_the_form_with_a_hint_and_adds_nothing(client):
    # given
    member = ProfileFactory()
    client.force_login(member.user)
    before = Interest.objects.count()

    # when
    response = _add(client, "zzzzqqq")

    # then
    assert response.status_code == 200
    assert response.templates[0].name == "interests/add_interest.html"
    assert shows(response, "We don't know “zzzzqqq” yet. You can also add it as a new interest.")
    assert _mine(member) == []
    assert Interest.objects.count() == before


def test_adding_a_new_interest_creates_a_pending_one(client):
    # given
    member = ProfileFactory()
    client.force_login(member.user)

    # when
    response = _add(client, "Competitive axolotl husbandry", new="on")

    # then
    assert response.status_code == 302
    created = Interest.objects.get(name="Competitive axolotl husbandry")
    assert (created.status, created.member_count, created.created_by_id) == (
        InterestStatus.PENDING,
        1,
        member.user_id,
    )


def test_a_picked_suggestion_wins_over_the_half_typed_text(client):
    # given
    member = ProfileFactory()
    client.force_login(member.user)

    # when
    _add(client, "star tr", pick="Star Trek")

    # then
    assert _mine(member) == ["Star Trek"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"interest": ""}, "This field is required."),
        ({"interest": "x" * 81}, "Ensure this value has at most 80 characters (it has 81)."),
        ({"interest": "Star\x00Trek"}, "Null characters are not allowed."),
        ({"kind": "hobby"}, "Select a valid choice. hobby is not one of the available choices."),
        ({"intensity": "9"}, "Select a valid choice. 9 is not one of the available choices."),
    ],
)
def test_add_interest_with_bad_input_rerenders_with_the_error(client, data, message):
    # given
    member = ProfileFactory()
    client.force_login(member.user)

    # when
    response = _add(client, **{"interest": "Star Trek", **data})

    # then
    assert response.status_code == 200
    assert shows(response, message)
    assert _mine(member) == []


def test_remove_interest(client):
    # given
    member = ProfileFactory()
    give_interests(member, interest_named("Star Trek"), interest_named("Chess"))
    client.force_login(member.user)

    # when
    response = client.post("/me/interests/star-trek/remove/", {"next": "/me/"})

    # then
    assert (response.status_code, response["Location"]) == (302, "/me/")
    assert _mine(member) == ["Chess"]
    assert interest_named("Star Trek").member_count == 0


def test_htmx_remove_returns_the_partial(client):
    # given
    member = ProfileFactory()
    give_interests(member, interest_named("Star Trek"))
    client.force_login(member.user)

    # when
    response = client.post("/me/interests/star-trek/remove/", HTTP_HX_REQUEST="true")

    # then
    assert response.status_code == 200
    assert '<strong id="interest-count">0</strong>' in page_text(response)


def test_removing_an_interest_not_held_shows_a_message(client):
    # given
    member = ProfileFactory()
    client.force_login(member.user)

    # when
    response = client.post("/me/interests/star-trek/remove/", follow=True)

    # then
    assert response.status_code == 200
    assert shows(response, "That interest is not on your profile.")


def test_suggestions_forgive_nicknames(client):
    # given
    client.force_login(ProfileFactory().user)

    # when
    response = client.get("/interests/suggest/?interest=trekkie")

    # then
    assert response.status_code == 200
    assert 'value="Star Trek"' in page_text(response)


def test_suggestions_for_the_directory_pick_slugs(client):
    # given
    client.force_login(ProfileFactory().user)

    # when
    response = client.get("/interests/suggest/?add=caps&target=directory")

    # then
    assert 'name="pick" value="washington-capitals" form="directory-form"' in page_text(response)


def test_interest_page_lists_visible_members_only_to_members(client):
    # given
    trek = interest_named("Star Trek")
    give_interests(ProfileFactory(display_name="Visible Vera"), trek)
    give_interests(ProfileFactory(display_name="Hidden Hal", interests_visibility="only_me"), trek)
    url = "/interests/star-trek/"

    # when
    as_visitor = client.get(url)
    client.force_login(ProfileFactory().user)
    as_member = client.get(url)

    # then
    assert as_visitor.context["members"] is None
    assert "Visible Vera" not in page_text(as_visitor)
    assert [m.display_name for m in as_member.context["members"].items] == ["Visible Vera"]
    assert "Hidden Hal" not in page_text(as_member)


def test_a_merged_interests_page_redirects_to_its_target(client):
    # given
    source = InterestFactory(name="Sourdough bread making")
    interest_merge(source=source, target=interest_named("Sourdough baking"))

    # when
    response = client.get("/interests/sourdough-bread-making/")

    # then
    assert (response.status_code, response["Location"]) == (302, "/interests/sourdough-baking/")


def test_an_unknown_interest_is_404(client):
    # when
    response = client.get("/interests/no-such-interest/")

    # then
    assert response.status_code == 404


def test_interest_list_searches_by_nickname(client):
    # when
    response = client.get("/interests/?q=caps")

    # then
    assert response.status_code == 200
    assert response.context["results"][0].interest.name == "Washington Capitals"
