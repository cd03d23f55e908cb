"""A group-only gig: the poster shares it with one group; a group member finds it, refers a
connection, who agrees; an outsider cannot find it anywhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, expect

from commonground.groups import services as group_services
from commonground.opportunities.models import Opportunity, Referral
from tests.commonground.factories import InterestFactory, ProfileFactory, connect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]

TITLE = "Pixel artist for a tiny game"


def _signed_in(browser: Browser, live_server, profile, width: int = 1280) -> BrowserContext:
    """A browser context with the member's session (login itself is covered elsewhere)."""
    client = Client()
    client.force_login(profile.user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    context.set_default_timeout(15_000)
    return context


def test_a_group_only_gig_is_found_and_referred_inside_the_group_and_nowhere_outside(
    live_server, browser: Browser
):
    # given: Pat organizes "Indie game makers"; Gus is in it and connected to Fran; Olga isn't
    base = live_server.url
    pat = ProfileFactory(display_name="Pat Poster")
    gus = ProfileFactory(display_name="Gus Member")
    fran = ProfileFactory(display_name="Fran Friend")
    olga = ProfileFactory(display_name="Olga Outsider")
    connect(gus, fran)
    group = group_services.group_create(
        user=pat.user, name="Indie game makers", interests=[InterestFactory(name="Game art")]
    )
    group_services.group_join(user=gus.user, slug=group.slug)

    # when: Pat shares a gig with the group only
    p = _signed_in(browser, live_server, pat).new_page()
    p.goto(f"{base}/opportunities/")
    p.get_by_role("link", name="Share an opportunity").click()
    expect(p.get_by_role("heading", name="Share an opportunity")).to_be_visible()
    p.get_by_label("Kind").select_option("freelance")
    p.get_by_label("Title").fill(TITLE)
    p.get_by_label("Organization").fill("Tiny Studio")
    p.get_by_label("Description").fill("Twelve **sprites**, paid per sprite.")
    p.get_by_label("Remote").check()
    p.get_by_label("Closes on").fill((timezone.now() + timedelta(days=14)).date().isoformat())
    p.get_by_label("Members of specific groups").check()
    p.get_by_label("Indie game makers").check()
    p.get_by_role("button", name="Share it").click()

    # then: its page, with the poster's tools
    expect(p.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(p.get_by_text("Visible to: Members of specific groups")).to_be_visible()
    opportunity = Opportunity.objects.get()
    assert list(opportunity.audience_groups.all()) == [group]

    # when: Gus finds it among his opportunities and refers Fran
    g = _signed_in(browser, live_server, gus).new_page()
    g.goto(f"{base}/opportunities/")
    g.get_by_role("link", name=TITLE).click()
    expect(g.get_by_role("heading", name="Refer a connection")).to_be_visible()
    g.get_by_label("Which connection").select_option(label="Fran Friend")
    g.get_by_label("Why they fit (for the poster)").fill("Fran draws the best pixel cats.")
    g.get_by_role("button", name="Refer", exact=True).click()
    expect(g.get_by_text("Referral sent. They will be asked to agree first.")).to_be_visible()

    # and Fran agrees on her referrals page
    f = _signed_in(browser, live_server, fran).new_page()
    f.goto(f"{base}/referrals/")
    expect(f.get_by_role("link", name=TITLE)).to_be_visible()
    f.get_by_role("button", name="Agree").click()
    expect(f.get_by_text("Thanks: the poster can now see your referral.")).to_be_visible()
    assert Referral.objects.get().status == "submitted"

    # then Pat sees the referral in the pipeline
    p.reload()
    pipeline = p.locator("section", has=p.get_by_role("heading", name="Referrals"))
    expect(pipeline).to_contain_text("Fran Friend")
    expect(pipeline).to_contain_text("Fran draws the best pixel cats.")
    expect(pipeline).to_contain_text("Submitted")

    # and Olga, outside the group, finds it nowhere: for you, all, search, direct link
    o = _signed_in(browser, live_server, olga, width=390).new_page()
    o.goto(f"{base}/opportunities/")
    expect(o.get_by_role("heading", name="Opportunities for you")).to_be_visible()
    expect(o.get_by_text(TITLE)).to_have_count(0)
    o.goto(f"{base}/opportunities/?tab=all")
    expect(o.get_by_text(TITLE)).to_have_count(0)
    o.get_by_label("Words").fill("pixel artist")
    o.get_by_role("button", name="Search").click()
    expect(o.get_by_role("heading", name="0 open opportunities")).to_be_visible()
    expect(o.get_by_text(TITLE)).to_have_count(0)
    response = o.goto(f"{base}/opportunities/{opportunity.public_id}/")
    assert response is not None
    assert response.status == 404
    expect(o.get_by_role("heading", name="We couldn't find that page")).to_be_visible()
    api = o.goto(f"{base}/api/v1/opportunities/{opportunity.public_id}")
    assert api is not None
    assert api.status == 404
    assert TITLE not in o.content()
