"""Events in a real browser: RSVP → waitlist → promotion when a seat frees; an organizer
checks people in and runs a speed-networking plan, and an attendee sees their partner per
round."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Browser, Page, expect

from commonground.events import services
from commonground.events.models import Rsvp
from tests.commonground.events.helpers import make_event
from tests.commonground.factories import (
    PASSWORD,
    InterestFactory,
    ProfileFactory,
    connect,
    give_interests,
)
from tests.commonground.groups.helpers import make_group

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def _member(name: str):
    profile = ProfileFactory(display_name=name)
    EmailAddress.objects.create(
        user=profile.user, email=profile.user.email, verified=True, primary=True
    )
    return profile


@contextmanager
def _signed_in(browser: Browser, base: str, profile, *, phone: bool = False) -> Iterator[Page]:
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Email").fill(profile.user.email)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
        yield page
    finally:
        context.close()


def test_rsvp_then_waitlist_then_promotion_when_a_seat_frees(live_server, browser: Browser):
    # given: one seat at a host's event for their connections
    host, first, second = _member("Hana Host"), _member("Fia First"), _member("Sol Second")
    connect(host, first)
    connect(host, second)
    event = make_event(host, title="Tiny tasting", capacity=1)
    url = f"{live_server.url}/events/{event.public_id}/"
    with (
        _signed_in(browser, live_server.url, first) as first_page,
        _signed_in(browser, live_server.url, second, phone=True) as second_page,
    ):
        # when: the first takes the seat
        first_page.goto(url)
        expect(first_page.get_by_role("heading", name="Tiny tasting")).to_be_visible()
        first_page.get_by_role("button", name="Going", exact=True).click()
        expect(first_page.locator("#my-state")).to_have_text("You're going")
        expect(first_page.locator("#seats")).to_contain_text("1 of 1 taken")

        # and the second finds it full and joins the waitlist
        second_page.goto(url)
        second_page.get_by_role("button", name="Join the waitlist").click()
        expect(second_page.locator("#my-state")).to_have_text("On the waitlist: number 1")

        # and the first can't go after all
        first_page.get_by_role("button", name="Can't go after all").click()
        expect(first_page.locator("#my-state")).to_have_text("You said you're not going.")

        # then the second has the seat
        second_page.reload()
        expect(second_page.locator("#my-state")).to_have_text("You're going")
        expect(second_page.locator("#going")).to_contain_text("Sol Second")
        expect(second_page.locator("#going")).not_to_contain_text("Fia First")
    assert Rsvp.objects.get(event=event, user=second.user).state == "going"


def test_organizer_runs_speed_networking_and_an_attendee_sees_a_partner_per_round(
    live_server, browser: Browser
):
    # given: a group's speed-networking event with four people going
    letterpress, origami = InterestFactory(name="Letterpress"), InterestFactory(name="Origami")
    host = _member("Otto Organizer")
    group = make_group(host, letterpress, name="Paper people")
    event = make_event(
        host, group_slug=group.slug, title="Paper speed dating", kind="speed_networking"
    )
    people = [_member(name) for name in ("Ada Ink", "Ben Fold", "Cy Press", "Di Crane")]
    give_interests(people[0], letterpress, origami)
    give_interests(people[1], origami)
    give_interests(people[2], letterpress)
    give_interests(people[3], origami, letterpress)
    for p in people:
        services.event_rsvp(user=p.user, public_id=event.public_id)
    base = live_server.url
    with _signed_in(browser, base, host) as page:
        # when: the organizer checks everyone in from the event page
        page.goto(f"{base}/events/{event.public_id}/")
        for p in people:
            page.get_by_role("button", name=f"Check in {p.display_name}").click()
            expect(
                page.get_by_role("button", name=f"Undo check-in of {p.display_name}")
            ).to_be_visible()
        # and makes a plan of three rounds
        page.get_by_role("link", name="Speed networking").click()
        expect(page.get_by_text("4 checked in.")).to_be_visible()
        page.get_by_label("Rounds").fill("3")
        page.get_by_role("button", name="Generate the plan").click()
        # then the organizer sees the whole plan
        expect(page.get_by_role("heading", name="The whole plan")).to_be_visible()
        expect(page.get_by_role("heading", name=re.compile(r"^Round \d$"))).to_have_count(3)
    with _signed_in(browser, base, people[0], phone=True) as page:
        # and an attendee sees their partner and table in each round, with what they share
        page.goto(f"{base}/events/{event.public_id}/speed-networking/")
        rounds = page.locator("#my-rounds > li")
        expect(rounds).to_have_count(3)
        partners = [rounds.nth(i).locator(".partner").inner_text() for i in range(3)]
        assert sorted(partners) == ["Ben Fold", "Cy Press", "Di Crane"]
        expect(rounds.first).to_contain_text("Round 1 · Table")
        expect(page.get_by_text("you share Letterpress, Origami")).to_be_visible()
        expect(page.get_by_role("heading", name="The whole plan")).to_have_count(0)
