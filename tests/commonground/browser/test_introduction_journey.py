"""A double opt-in introduction, as the three people involved see it in a browser."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, expect

from commonground.interests.models import Interest
from commonground.interests.services import taxonomy_load
from tests.commonground.factories import ProfileFactory, connect, give_interests

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def _signed_in(browser: Browser, live_server, profile) -> BrowserContext:
    """A browser context with the member's session (sign-in itself is the onboarding
    journey's subject)."""
    client = Client()
    client.force_login(profile.user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    context.set_default_timeout(15_000)
    return context


def test_introducer_introduces_two_connections_who_both_accept(live_server, browser: Browser):
    # given: Ivy is connected to Ada and to Bo, who share a love of Star Trek
    taxonomy_load()
    star_trek = Interest.objects.get(name="Star Trek")
    ivy = ProfileFactory(display_name="Ivy Introducer")
    ada = ProfileFactory(display_name="Ada Lovelace", profession="Engineer", city="London")
    bo = ProfileFactory(display_name="Bo Diddley", profession="Musician", city="Chicago")
    give_interests(ada, star_trek)
    give_interests(bo, star_trek)
    connect(ivy, ada)
    connect(ivy, bo)
    contexts = [_signed_in(browser, live_server, p) for p in (ivy, ada, bo)]
    as_ivy, as_ada, as_bo = (c.new_page() for c in contexts)

    # when: Ivy introduces them, starting from the drafted reason
    as_ivy.goto(f"{live_server.url}/network/")
    as_ivy.get_by_role("link", name="Introduce people").first.click()
    as_ivy.get_by_label("Ada Lovelace").check()
    as_ivy.get_by_label("Bo Diddley").check()
    as_ivy.get_by_role("button", name="Suggest a reason").click()
    reason = as_ivy.get_by_label("Why should they meet?")
    expect(reason).to_have_value(re.compile("Ada and Bo: you both love Star Trek"))
    as_ivy.get_by_role("button", name="Send introduction").click()
    expect(as_ivy.get_by_role("heading", name="Introduction", exact=True)).to_be_visible()
    expect(as_ivy.get_by_text("0 of 2 said yes")).to_be_visible()

    # then Ada sees who would introduce her and a description of Bo, without his name
    as_ada.goto(f"{live_server.url}/network/introductions/")
    card = as_ada.locator("#proposed article").first
    expect(card).to_contain_text("Ivy Introducer would like to introduce you to someone")
    expect(card).to_contain_text("Musician in Chicago")
    expect(card).to_contain_text("Star Trek")
    expect(as_ada.get_by_text("Bo Diddley")).to_have_count(0)
    card.get_by_role("button", name="Yes, introduce us").click()
    expect(
        as_ada.get_by_text("You said yes. We'll let you know when everyone has.")
    ).to_be_visible()
    expect(as_ada.get_by_text("Bo Diddley")).to_have_count(0)

    # and Bo accepts too
    as_bo.goto(f"{live_server.url}/network/introductions/")
    as_bo.locator("#proposed article").first.get_by_role("button", name="Yes, introduce us").click()
    expect(as_bo.get_by_role("status")).to_contain_text("Everyone said yes")

    # then both see each other's names, linking to their profiles
    expect(as_bo.get_by_role("link", name="Ada Lovelace")).to_be_visible()
    expect(as_bo.get_by_role("link", name="Open your conversation")).to_be_visible()
    as_ada.reload()
    expect(
        as_ada.get_by_role("heading", name=re.compile("introduced you to Bo Diddley"))
    ).to_be_visible()
    expect(as_ada.get_by_role("link", name="Bo Diddley")).to_be_visible()

    # and Ivy sees the outcome
    as_ivy.goto(f"{live_server.url}/network/introductions/")
    made = as_ivy.locator("#made article").first
    expect(made).to_contain_text("You introduced Ada Lovelace and Bo Diddley")
    expect(made.locator(".state")).to_have_text("Accepted")
    for context in contexts:
        context.close()
