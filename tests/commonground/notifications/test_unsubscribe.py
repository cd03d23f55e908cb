"""Unsubscribe links: signed, salted, no login, GET confirms, POST (or one-click) applies;
tampered or expired links get a clear page, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client

from commonground.notifications.models import Delivery, Notification, NotificationPreference
from commonground.notifications.tokens import SALT, unsubscribe_token
from tests.commonground.factories import NewMemberFactory, ProfileFactory
from tests.commonground.html import page_text
from tests.commonground.notifications.helpers import notify_now

pytestmark = pytest.mark.django_db


def _url(token: str) -> str:
    return f"/notifications/unsubscribe/{token}/"


def test_get_asks_to_confirm_and_changes_nothing():
    # given
    ada = ProfileFactory()
    token = unsubscribe_token(user=ada.user, kind="messaging.message")

    # when
    response = Client().get(_url(token))

    # then
    assert response.status_code == 200
    html = page_text(response)
    assert "Stop email about “New messages”?" in html
    assert '<button class="btn" type="submit">Unsubscribe</button>' in html
    assert not NotificationPreference.objects.exists()


def test_post_without_login_or_csrf_stops_that_kind_only(
    django_capture_on_commit_callbacks, mailoutbox
):
    # given
    ada = ProfileFactory()
    token = unsubscribe_token(user=ada.user, kind="messaging.message")
    client = Client(enforce_csrf_checks=True)

    # when
    response = client.post(_url(token))
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="messaging.message",
        text="Muted by email",
    )
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="network.connection_request",
        text="Still emailed",
    )

    # then
    assert response.status_code == 200
    assert "No more email about “New messages”." in page_text(response)
    assert [m.subject for m in mailoutbox] == ["[Common Ground] Still emailed"]
    pref = NotificationPreference.objects.get(user=ada.user)
    assert (pref.kind, pref.in_app, pref.email) == ("messaging.message", True, "off")
    assert Notification.objects.get(text="Muted by email").delivery == Delivery.NONE


def test_rfc8058_one_click_post_and_repeats_are_fine():
    # given
    ada = ProfileFactory()
    token = unsubscribe_token(user=ada.user, kind="all")
    client = Client(enforce_csrf_checks=True)

    # when
    first = client.post(
        _url(token),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    second = client.post(
        _url(token),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    # then
    assert (first.status_code, second.status_code) == (200, 200)
    assert "We won't email you any more." in page_text(second)
    assert list(
        NotificationPreference.objects.filter(user=ada.user).values_list("kind", "email")
    ) == [("all", "off")]


def test_unsubscribing_from_all_stops_every_email(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada = ProfileFactory()
    Client().post(_url(unsubscribe_token(user=ada.user, kind="all")))

    # when
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="network.connection_request",
        text="Asks",
    )

    # then
    assert mailoutbox == []
    assert Notification.objects.get().in_app is True


def test_the_link_in_a_real_email_works(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada = ProfileFactory()
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="messaging.message",
        text="Hello",
    )
    header = mailoutbox[0].extra_headers["List-Unsubscribe"]
    path = header.strip("<>").removeprefix("http://localhost:8000")

    # when
    response = Client().post(path)

    # then
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=ada.user).email == "off"


def _tampered(token: str) -> str:
    value, _, signature = token.rpartition(":")
    return f"{value}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


@pytest.mark.parametrize(
    "make",
    [
        lambda ada: _tampered(unsubscribe_token(user=ada.user, kind="all")),
        lambda ada: "not-a-token",
        lambda ada: "x" * 400,
        lambda ada: signing.dumps([ada.user.public_id, "all"]),  # unsalted
        lambda ada: signing.dumps([ada.user.public_id, "all"], salt="other.salt"),
        lambda ada: signing.dumps([ada.user.public_id, "nope.kind"], salt=SALT),
        lambda ada: signing.dumps({"u": ada.user.public_id}, salt=SALT),
        lambda ada: signing.dumps(["nobody-here", "all"], salt=SALT),
    ],
    ids=["tampered", "garbage", "too-long", "unsalted", "other-salt", "bad-kind", "shape", "gone"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_link_gets_a_clear_page_and_changes_nothing(make, method):
    # given
    ada = ProfileFactory()

    # when
    response = getattr(Client(), method)(_url(make(ada)))

    # then
    assert response.status_code == 400
    html = page_text(response)
    assert "This link doesn't work" in html
    assert "This unsubscribe link is not valid." in html
    assert not NotificationPreference.objects.exists()


def test_an_expired_link_says_so(monkeypatch):
    # given
    ada = ProfileFactory()
    token = unsubscribe_token(user=ada.user, kind="all")
    monkeypatch.setattr("commonground.notifications.tokens.MAX_AGE", timedelta(seconds=-1))

    # when
    response = Client().post(_url(token))

    # then
    assert response.status_code == 400
    assert "This unsubscribe link has expired." in page_text(response)
    assert not NotificationPreference.objects.exists()


def test_a_token_for_an_unknown_kind_cannot_be_made():
    # when / then
    with pytest.raises(ValueError, match="Unknown notification kind"):
        unsubscribe_token(user=ProfileFactory().user, kind="nope")


def test_other_methods_are_refused():
    # given
    token = unsubscribe_token(user=ProfileFactory().user, kind="all")

    # when
    response = Client().put(_url(token))

    # then
    assert response.status_code == 405


def test_a_member_still_onboarding_can_unsubscribe():
    # given
    newcomer = NewMemberFactory()
    client = Client()
    client.force_login(newcomer.user)
    token = unsubscribe_token(user=newcomer.user, kind="all")

    # when
    response = client.get(_url(token))

    # then
    assert response.status_code == 200
    assert "Stop all email from Common Ground?" in page_text(response)
