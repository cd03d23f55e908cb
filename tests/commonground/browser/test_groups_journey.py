"""A member starts a group for two interests; a member who loves both, living there, finds
it suggested among their groups and joins; the group's discussion works without JavaScript
tricks."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Browser, Page, expect

from commonground.groups.models import Group, Membership
from commonground.interests.models import Interest
from commonground.interests.services import taxonomy_load
from tests.commonground.factories import PASSWORD, ProfileFactory, give_interests

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]
DC = {"city": "Washington", "region": "District of Columbia", "country": "US"}


def _member(name: str, *interests: Interest, **place: str):
    profile = ProfileFactory(display_name=name, **place)
    EmailAddress.objects.create(
        user=profile.user, email=profile.user.email, verified=True, primary=True
    )
    give_interests(profile, *interests)
    return profile


def _log_in(page: Page, base: str, profile) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(profile.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_a_two_interest_group_is_suggested_to_a_matching_member_who_joins(
    live_server, browser: Browser
):
    # given: two members of DC who love kittens and bacon, and one who loves only kittens
    taxonomy_load()
    kittens = Interest.objects.get(name="Kittens")
    bacon = Interest.objects.get(name="Bacon")
    founder = _member("Fran Founder", kittens, bacon, **DC)
    match = _member("Mia Match", kittens, bacon, **DC)
    _member("Kit Only", kittens, **DC)
    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        _journey(live_server.url, desktop.new_page(), phone.new_page(), founder, match)
    finally:
        desktop.close()
        phone.close()


def _journey(base: str, founder_page: Page, match_page: Page, founder, match) -> None:
    founder_page.set_default_timeout(15_000)
    match_page.set_default_timeout(15_000)

    # when: the founder starts a regional group for both interests
    _log_in(founder_page, base, founder)
    founder_page.goto(f"{base}/groups/new/")
    founder_page.get_by_label("Name").fill("DC kittens and bacon")
    founder_page.get_by_label("Interests").fill("Kittens, Bacon")
    founder_page.get_by_label("Scope").select_option("regional")
    founder_page.get_by_label("Region").fill("District of Columbia")
    founder_page.get_by_label("Country").fill("US")
    founder_page.get_by_role("button", name="Start the group").click()
    expect(founder_page.get_by_role("heading", name="DC kittens and bacon")).to_be_visible()
    group = Group.objects.get()
    assert sorted(group.interests.values_list("name", flat=True)) == ["Bacon", "Kittens"]

    # and posts in it
    founder_page.get_by_text("Write a post").click()
    founder_page.get_by_label("Your post").fill("Welcome! Introduce your kitten. #kittens")
    founder_page.get_by_role("button", name="Post", exact=True).click()
    expect(founder_page.get_by_text("Welcome! Introduce your kitten.")).to_be_visible()

    # then: the matching member, on a phone, sees it first among their groups
    _log_in(match_page, base, match)
    match_page.goto(f"{base}/groups/")
    expect(match_page.get_by_role("heading", name="Groups for you")).to_be_visible()
    card = match_page.locator("#results > li").first
    expect(card).to_contain_text("DC kittens and bacon")
    expect(card).to_contain_text("You share 2 of 2")

    # and joins it, then reads and answers the founder's post
    card.get_by_role("link", name="DC kittens and bacon").click()
    match_page.get_by_role("button", name="Join").click()
    expect(match_page.get_by_text("You joined the group.")).to_be_visible()
    assert Membership.objects.filter(group=group, user=match.user, state="active").exists()
    match_page.get_by_role("link", name="Comment").first.click()
    match_page.get_by_label("Add a comment").fill("Biscuit, 4 months!")
    match_page.get_by_role("button", name="Comment").click()
    expect(match_page.get_by_text("Biscuit, 4 months!")).to_be_visible()
    match_page.get_by_role("link", name="#kittens").click()
    expect(match_page.get_by_role("heading", name="#kittens")).to_be_visible()
    expect(match_page.get_by_text("1 post in the groups you can read.")).to_be_visible()
