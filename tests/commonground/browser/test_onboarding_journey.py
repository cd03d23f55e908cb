"""The journey a new member takes: sign up, verify, onboard, find their people."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from commonground.interests.models import Interest
from commonground.interests.services import taxonomy_load
from tests.commonground.factories import ProfileFactory, give_interests

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    # Transactional tests run after all others (pytest-django orders them last) and start from a
    # flushed database: each loads the taxonomy it needs itself.
    pytest.mark.django_db(transaction=True),
]


def _add_interest(page: Page, text: str) -> None:
    page.get_by_label("Add an interest").fill(text)
    page.get_by_role("button", name="Add", exact=True).click()


def test_signup_verify_onboard_and_find_a_member_by_two_interests(live_server, page: Page):
    # given: a member who loves Star Trek and Kittens, and one who loves only Star Trek
    taxonomy_load()
    star_trek = Interest.objects.get(name="Star Trek")
    kittens = Interest.objects.get(name="Kittens")
    sourdough = Interest.objects.get(name="Sourdough baking")
    match = ProfileFactory(display_name="Priya Natarajan", profession="Nurse")
    give_interests(match, star_trek, kittens, sourdough)
    other = ProfileFactory(display_name="Only Trek")
    give_interests(other, star_trek)

    # when: a newcomer signs up
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Join the community").click()
    page.get_by_label("Email").fill("newcomer@example.org")
    page.locator("#id_password1").fill("a long enough passphrase")
    page.locator("#id_password2").fill("a long enough passphrase")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    # and follows the link in the verification email
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert link is not None
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()

    # then onboarding step 1
    expect(page.get_by_role("heading", name="Hi! Tell us a little about you")).to_be_visible()
    page.get_by_label("Name to show").fill("Newcomer Nguyen")
    page.get_by_label("Profession").fill("Software Engineer")
    page.get_by_role("button", name="Continue").click()

    # step 2: a typo, a nickname and a plain name
    expect(page.get_by_role("heading", name="What do you love?")).to_be_visible()
    _add_interest(page, "sourdoguh")
    expect(page.locator("#my-interests")).to_contain_text("Sourdough baking")
    _add_interest(page, "Trekkie")
    expect(page.locator("#my-interests")).to_contain_text("Star Trek")
    _add_interest(page, "kittens")
    expect(page.locator("#interest-count")).to_have_text("3")
    page.get_by_role("button", name="Continue").click()

    # step 3
    expect(page.get_by_role("heading", name="What are you open to?")).to_be_visible()
    page.get_by_text("Making friends").click()
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome back, Newcomer"))).to_be_visible()

    # the directory, ANDing two interests typed by their nicknames
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_label("Interest", exact=True).fill("Trekkie")
    page.get_by_label("Interest", exact=True).press("Enter")
    expect(page.locator(".filters .chip.shared")).to_have_count(1)
    page.get_by_label("And also…").fill("kittens")
    page.get_by_label("And also…").press("Enter")
    expect(page.locator(".filters .chip.shared")).to_have_count(2)

    # then exactly the member with both appears, with what they share
    results = page.locator("#results > li")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Priya Natarajan")
    shared = results.first.get_by_role("list", name="Interests you share")
    expect(shared).to_contain_text("Star Trek")
    expect(shared).to_contain_text("Kittens")
    expect(shared).to_contain_text("Sourdough baking")
    expect(page.get_by_text("Only Trek")).to_have_count(0)
