"""The journey with notifications: the badge, marking read with and without a reload,
settings, and unsubscribing from an email's link while logged out."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from commonground.notifications.models import NotificationPreference
from commonground.notifications.services.delivery import deliver
from tests.commonground.factories import PASSWORD, ProfileFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_read_notifications_change_settings_and_unsubscribe(
    live_server, page: Page, browser: Browser
):
    # given: Ada has two unread notifications, one of them emailed to her
    ada = ProfileFactory(display_name="Ada", user__email="ada@example.org")
    bo = ProfileFactory(display_name="Bo")
    EmailAddress.objects.create(user=ada.user, email=ada.user.email, verified=True, primary=True)
    for text, kind in (
        ("Bo commented on your post", "groups.reply"),
        ("Bo sent you a message", "messaging.message"),
    ):
        deliver(
            recipient_id=ada.user.pk,
            kind=kind,
            text=text,
            url="/groups/",
            actor_id=bo.user.pk,
            thread_key="",
        )
    assert [m.subject for m in mail.outbox] == ["[Common Ground] Bo sent you a message"]

    # when: she opens her notifications
    _log_in(page, live_server.url, "ada@example.org")
    page.get_by_role("link", name="Notifications, 2 unread").click()

    # then: both are unread, newest first
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.locator(".notif.is-unread")).to_have_count(2)
    expect(page.locator(".notif").first).to_contain_text("Bo sent you a message")

    # when: she marks the first read (htmx swaps the row, no reload)
    page.get_by_role("button", name="Mark read: Bo sent you a message").click()

    # then
    expect(page.locator(".notif.is-unread")).to_have_count(1)
    expect(page.locator("#unread-summary")).to_have_text("1 unread")
    expect(page.get_by_role("button", name="Mark read: Bo sent you a message")).to_have_count(0)

    # when: she marks all read
    page.get_by_role("button", name="Mark all read").click()

    # then
    expect(page.get_by_text("Marked 1 notification read.")).to_be_visible()
    expect(page.get_by_text("You're all caught up.")).to_be_visible()
    expect(page.locator(".notif.is-unread")).to_have_count(0)

    # when: she asks for comments in a weekly digest
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_label("Email for “Comments on your posts”").select_option("weekly")
    page.get_by_role("button", name="Save settings").click()

    # then
    expect(page.get_by_text("Your notification settings are saved.")).to_be_visible()
    expect(page.get_by_label("Email for “Comments on your posts”")).to_have_value("weekly")

    # when: logged out elsewhere, she follows the email's unsubscribe link
    link = re.search(r"Stop emails about \"New messages\": (\S+)", mail.outbox[0].body)
    assert link is not None
    path = link.group(1).removeprefix("http://localhost:8000")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    other = context.new_page()
    other.goto(f"{live_server.url}{path}")
    expect(other.get_by_role("heading", name="Unsubscribe?")).to_be_visible()
    other.get_by_role("button", name="Unsubscribe").click()

    # then
    expect(other.get_by_role("heading", name="You're unsubscribed")).to_be_visible()
    context.close()
    assert set(
        NotificationPreference.objects.filter(user=ada.user).values_list("kind", "email")
    ) == {("groups.reply", "weekly"), ("messaging.message", "off")}
