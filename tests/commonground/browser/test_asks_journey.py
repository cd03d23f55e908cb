"""Answering an ask: A asks the community, B (who has the skill) finds it in "asks for you",
answers, A marks it helpful, and B sees the mark."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, expect

from commonground.asks.models import Answer, AskRouting
from commonground.interests.models import Interest
from commonground.interests.services import taxonomy_load
from tests.commonground.factories import ProfileFactory, give_interests

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def _signed_in(browser: Browser, live_server, profile) -> BrowserContext:
    """A browser context with the member's session (login itself is covered elsewhere)."""
    client = Client()
    client.force_login(profile.user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
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


def test_a_member_answers_an_ask_routed_to_them_and_sees_it_marked_helpful(
    live_server, browser: Browser
):
    # given: Ana, and Ben who can share Sourdough baking as a skill
    taxonomy_load()
    sourdough = Interest.objects.get(name="Sourdough baking")
    ana = ProfileFactory(display_name="Ana Silva")
    ben = ProfileFactory(display_name="Ben Osei")
    give_interests(ben, sourdough, kind="skill")
    ana_context = _signed_in(browser, live_server, ana)
    ben_context = _signed_in(browser, live_server, ben)
    a = ana_context.new_page()
    b = ben_context.new_page()

    # when: Ana asks the community about sourdough
    a.goto(f"{live_server.url}/asks/")
    a.get_by_role("link", name="Ask for help").first.click()
    expect(a.get_by_role("heading", name="Ask or offer help")).to_be_visible()
    a.get_by_label("About").select_option("feedback")
    a.get_by_label("In one line").fill("Why are my sourdough loaves so dense?")
    a.get_by_label("Details").fill("Starter fed 1:1:1 twice a day. Loaves come out *dense*.")
    a.get_by_label("Interests").fill("sourdough baking")
    a.get_by_label("The whole community").check()
    a.get_by_role("button", name="Post").click()
    expect(a.get_by_role("heading", name="Why are my sourdough loaves so dense?")).to_be_visible()
    expect(a.locator(".messages")).to_contain_text("We are asking the members most likely")

    # and the background worker routes it
    call_command("db_worker", batch=True, queue_name="*", interval=0.1, startup_delay=False)
    assert AskRouting.objects.filter(member=ben.user).count() == 1

    # then Ben sees it first in "asks for you", with why
    b.goto(f"{live_server.url}/asks/")
    card = b.locator("#results > li").first
    expect(card).to_contain_text("Why are my sourdough loaves so dense?")
    expect(card).to_contain_text("Asked for you")
    expect(card).to_contain_text("You know Sourdough baking (skill)")

    # and answers it
    card.get_by_role("link", name="Why are my sourdough loaves so dense?").click()
    expect(b.locator(".routed")).to_contain_text("You know Sourdough baking (skill)")
    b.get_by_label("Your answer").fill("Use your starter at its peak, and try a **stiffer** one.")
    b.get_by_role("button", name="Post answer").click()
    expect(b.locator(".messages")).to_contain_text("Thank you! Your answer is posted.")
    expect(b.locator("#answers")).to_contain_text("Use your starter at its peak")
    expect(b.get_by_role("heading", name="Edit your answer")).to_be_visible()

    # and Ana marks it helpful
    a.reload()
    answer = a.locator("#answers > li").first
    expect(answer).to_contain_text("Ben Osei")
    expect(answer.locator("strong")).to_have_text("stiffer")
    answer.get_by_role("button", name="This helped").click()
    expect(a.locator(".messages")).to_contain_text("Marked as helpful.")

    # then Ben sees the mark
    b.reload()
    expect(b.locator("#answers > li").first.locator(".helped-badge")).to_have_text("✓ This helped")
    assert Answer.objects.get().helpful is True
    ana_context.close()
    ben_context.close()
