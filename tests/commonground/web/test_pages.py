"""Routing and permissions of every page, for visitors, new members and members."""

from __future__ import annotations

import pytest

from tests.commonground.factories import NewMemberFactory, ProfileFactory, interest_named

pytestmark = pytest.mark.django_db

LOGIN_REQUIRED = [
    "/home/",
    "/welcome/",
    "/people/",
    "/me/",
    "/me/privacy/",
    "/me/tokens/",
    "/interests/suggest/?interest=trek",
]
PUBLIC = ["/interests/", "/interests/star-trek/"]


@pytest.mark.parametrize("url", LOGIN_REQUIRED)
def test_visitors_are_sent_to_log_in(client, url):
    # when
    response = client.get(url)

    # then
    assert response.status_code == 302
    path = url.split("?")[0]
    assert response["Location"].startswith(f"/accounts/login/?next={path}")


@pytest.mark.parametrize(
    ("url", "method"),
    [
        ("/me/interests/add/", "post"),
        ("/me/interests/star-trek/remove/", "post"),
        ("/me/tokens/1/revoke/", "post"),
    ],
)
def test_visitors_posting_are_sent_to_log_in_and_nothing_happens(client, url, method):
    # when
    response = getattr(client, method)(url, {"interest": "Star Trek"})

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert interest_named("Star Trek").member_count == 0


def test_the_landing_page_is_open_to_visitors(client):
    # when
    response = client.get("/")

    # then
    assert response.status_code == 200
    assert response.templates[0].name == "web/landing.html"


@pytest.mark.parametrize("url", PUBLIC)
def test_interest_pages_are_open_to_visitors(client, url):
    # when
    response = client.get(url)

    # then
    assert response.status_code == 200


def test_a_members_page_is_open_to_visitors(client):
    # given
    member = ProfileFactory(display_name="Open Olga")

    # when
    response = client.get(f"/people/{member.user.public_id}/")

    # then
    assert response.status_code == 200
    assert "Open Olga" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/home/",
        "/people/",
        "/me/",
        "/me/privacy/",
        "/me/tokens/",
        "/interests/",
        "/interests/star-trek/",
        "/me/interests/add/",
    ],
)
def test_members_who_have_not_finished_onboarding_are_sent_to_welcome(client, url):
    # given
    member = NewMemberFactory()
    client.force_login(member.user)

    # when
    response = client.get(url)

    # then
    assert response.status_code == 302
    assert response["Location"] == "/welcome/"


def test_a_new_member_on_the_landing_page_goes_home_and_then_to_welcome(client):
    # given
    client.force_login(NewMemberFactory().user)

    # when
    response = client.get("/", follow=True)

    # then
    assert response.redirect_chain == [("/home/", 302), ("/welcome/", 302)]
    assert response.status_code == 200


def test_a_new_member_may_use_suggestions_while_onboarding(client):
    # given
    client.force_login(NewMemberFactory().user)

    # when
    response = client.get("/interests/suggest/?interest=trek")

    # then
    assert response.status_code == 200
    assert "Star Trek" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/home/",
        "/people/",
        "/me/",
        "/me/privacy/",
        "/me/tokens/",
        "/interests/",
        "/interests/star-trek/",
        "/interests/suggest/?interest=trek",
    ],
)
def test_members_see_every_page(client, url):
    # given
    client.force_login(ProfileFactory().user)

    # when
    response = client.get(url)

    # then
    assert response.status_code == 200


def test_members_on_the_landing_or_welcome_page_go_home(client):
    # given
    client.force_login(ProfileFactory().user)

    # when
    landing = client.get("/")
    welcome = client.get("/welcome/")

    # then
    assert (landing.status_code, landing["Location"]) == (302, "/home/")
    assert (welcome.status_code, welcome["Location"]) == (302, "/home/")


@pytest.mark.parametrize("url", ["/me/interests/add/", "/me/interests/star-trek/remove/"])
def test_post_only_pages_refuse_get(client, url):
    # given
    client.force_login(ProfileFactory().user)

    # when
    response = client.get(url)

    # then
    assert response.status_code == 405


def test_home_shows_people_who_share_interests(client):
    # given
    from tests.commonground.factories import give_interests

    me = ProfileFactory()
    trek = interest_named("Star Trek")
    give_interests(me, trek)
    give_interests(ProfileFactory(display_name="Fellow Trekkie"), trek)
    client.force_login(me.user)

    # when
    response = client.get("/home/")

    # then
    assert response.status_code == 200
    assert [p.display_name for p in response.context["people"].items] == ["Fellow Trekkie"]


def test_an_unknown_url_is_the_404_page(client):
    # when
    response = client.get("/no/such/page/")

    # then
    assert response.status_code == 404
    assert "We couldn" in response.content.decode()
