"""Notification pages: routing, permissions, what each shows, and fixed query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from commonground.notifications.models import Notification, NotificationPreference
from tests.commonground.factories import ProfileFactory
from tests.commonground.html import page_text, shows
from tests.commonground.notifications.helpers import make_notification

pytestmark = pytest.mark.django_db


def _client(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/notifications/"),
        ("get", "/notifications/settings/"),
        ("post", "/notifications/settings/"),
        ("post", "/notifications/read-all/"),
        ("post", "/notifications/abc/read/"),
        ("get", "/notifications/abc/open/"),
    ],
)
def test_every_notification_page_needs_a_login(client, method, url):
    # when
    response = getattr(client, method)(url)

    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", ["/notifications/read-all/", "/notifications/abc/read/"])
def test_writes_refuse_get(url):
    # when
    response = _client(ProfileFactory()).get(url)

    # then
    assert response.status_code == 405


def test_the_list_shows_newest_first_with_unread_highlighted():
    # given
    ada = ProfileFactory()
    start = timezone.now() - timedelta(hours=1)
    make_notification(ada.user, "Older & read", created_at=start, read_at=start)
    unread = make_notification(ada.user, "Newer & unread", created_at=start + timedelta(minutes=5))

    # when
    response = _client(ada).get("/notifications/")

    # then
    assert response.status_code == 200
    html = page_text(response)
    assert html.index("Newer &amp; unread") < html.index("Older &amp; read")
    assert f'<li class="notif is-unread" id="n-{unread.public_id}">' in html
    assert shows(response, "1 unread")
    assert html.count("Mark read</button>") == 1
    assert 'aria-label="Notifications, 1 unread"' in html


def test_the_empty_list_says_so():
    # when
    response = _client(ProfileFactory()).get("/notifications/")

    # then
    assert shows(response, "No notifications yet")
    assert "You're all caught up." in page_text(response)


def test_nobody_sees_another_members_notifications():
    # given
    ada, eve = ProfileFactory(), ProfileFactory()
    row = make_notification(ada.user, "canary-7f3a")

    # when
    listed = _client(eve).get("/notifications/")
    marked = _client(eve).post(f"/notifications/{row.public_id}/read/")
    opened = _client(eve).get(f"/notifications/{row.public_id}/open/")
    missing = _client(eve).post("/notifications/nosuchid/read/")

    # then
    assert "canary-7f3a" not in page_text(listed)
    assert (marked.status_code, opened.status_code, missing.status_code) == (404, 404, 404)
    row.refresh_from_db()
    assert row.read_at is None


@pytest.mark.parametrize("size", [2, 30])
def test_the_list_page_has_a_fixed_query_count(django_assert_num_queries, size):
    # given
    ada = ProfileFactory()
    for n in range(size):
        make_notification(ada.user, f"n{n}", actor=ProfileFactory().user)
    client = _client(ada)

    # when: session, user, profile (onboarding), count, page, unread badge, messages badge
    with django_assert_num_queries(7):
        response = client.get("/notifications/")

    # then
    assert response.status_code == 200
    assert page_text(response).count('<li class="notif is-unread"') == min(size, 20)


def test_paging_and_the_unread_filter():
    # given
    ada = ProfileFactory()
    start = timezone.now()
    for n in range(25):
        make_notification(ada.user, f"item-{n:02d}", created_at=start + timedelta(minutes=n))
    Notification.objects.filter(text="item-24").update(read_at=start)

    # when
    second = _client(ada).get("/notifications/?page=2")
    unread = _client(ada).get("/notifications/?show=unread")
    junk = _client(ada).get("/notifications/?page=abc")

    # then
    assert "item-04" in page_text(second)
    assert "item-05" not in page_text(second)
    assert shows(second, "Page 2 of 2")
    assert "item-24" not in page_text(unread)
    assert "item-23" in page_text(unread)
    assert junk.status_code == 200
    assert "item-24" in page_text(junk)


def test_mark_one_read_without_javascript_goes_back():
    # given
    ada = ProfileFactory()
    row = make_notification(ada.user)

    # when
    response = _client(ada).post(
        f"/notifications/{row.public_id}/read/", {"next": "/notifications/?page=1"}
    )

    # then
    assert (response.status_code, response["Location"]) == (302, "/notifications/?page=1")
    row.refresh_from_db()
    assert row.read_at is not None


def test_mark_one_read_ignores_a_next_elsewhere():
    # given
    ada = ProfileFactory()
    row = make_notification(ada.user)

    # when
    response = _client(ada).post(
        f"/notifications/{row.public_id}/read/", {"next": "https://evil.example/"}
    )

    # then
    assert response["Location"] == "/notifications/"


def test_mark_one_read_with_htmx_answers_the_row():
    # given
    ada = ProfileFactory()
    row = make_notification(ada.user, "Hello there")

    # when
    response = _client(ada).post(f"/notifications/{row.public_id}/read/", HTTP_HX_REQUEST="true")

    # then
    assert response.status_code == 200
    html = page_text(response)
    assert html.startswith(f'<li class="notif" id="n-{row.public_id}">')
    assert "Hello there" in html
    assert "Mark read" not in html
    assert '<p id="unread-summary" aria-live="polite" hx-swap-oob="true">' in html
    assert "You're all caught up." in html


def test_mark_all_read():
    # given
    ada = ProfileFactory()
    make_notification(ada.user, "a")
    make_notification(ada.user, "b")

    # when
    response = _client(ada).post("/notifications/read-all/", follow=True)

    # then
    assert [str(m) for m in response.context["messages"]] == ["Marked 2 notifications read."]
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_opening_marks_read_and_follows_the_link():
    # given
    ada = ProfileFactory()
    row = make_notification(ada.user, url="/groups/abc/")

    # when
    response = _client(ada).get(f"/notifications/{row.public_id}/open/")

    # then
    assert (response.status_code, response["Location"]) == (302, "/groups/abc/")
    row.refresh_from_db()
    assert row.read_at is not None


def test_the_settings_page_groups_kinds_by_area_with_defaults():
    # when
    response = _client(ProfileFactory()).get("/notifications/settings/")

    # then
    assert response.status_code == 200
    html = page_text(response)
    for area in ("Connections", "Messages", "Groups", "Events", "Asks and offers"):
        assert f">{area}</h2>" in html
    assert shows(response, "Someone asks to connect")
    assert '<select name="messaging.message:email" id="id_messaging.message:email">' in html
    assert '<option value="immediate" selected>Right away</option>' in html
    assert '<option value="weekly" selected>Weekly digest</option>' in html


def test_saving_settings():
    # given
    ada = ProfileFactory()
    client = _client(ada)
    form = client.get("/notifications/settings/").context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial}
    data["messaging.message:email"] = "daily"
    data.pop("groups.announcement:in_app")

    # when
    response = client.post("/notifications/settings/", data, follow=True)

    # then
    assert [str(m) for m in response.context["messages"]] == [
        "Your notification settings are saved."
    ]
    saved = set(
        NotificationPreference.objects.filter(user=ada.user).values_list("kind", "in_app", "email")
    )
    assert saved == {
        ("messaging.message", True, "daily"),
        ("groups.announcement", False, "weekly"),
    }


def test_pausing_all_email_in_the_settings():
    # given
    ada = ProfileFactory()
    client = _client(ada)
    form = client.get("/notifications/settings/").context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial}
    data["email_paused"] = "on"

    # when
    client.post("/notifications/settings/", data)
    again = client.get("/notifications/settings/")

    # then
    assert list(
        NotificationPreference.objects.filter(user=ada.user).values_list("kind", "email")
    ) == [("all", "off")]
    assert 'name="email_paused" id="id_email_paused" checked' in page_text(again)


def test_a_bad_email_choice_re_renders_and_writes_nothing():
    # given
    ada = ProfileFactory()

    # when
    response = _client(ada).post("/notifications/settings/", {"messaging.message:email": "hourly"})

    # then
    assert response.status_code == 200
    assert shows(response, "Please fix the highlighted fields below.")
    assert not NotificationPreference.objects.exists()
