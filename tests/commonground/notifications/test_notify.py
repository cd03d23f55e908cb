"""notify(): kinds, preferences, blocks, mutes, immediate email and the thread quiet time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from commonground.network.services import member_block, member_mute
from commonground.notifications.models import Delivery, Notification, NotificationPreference
from commonground.notifications.services import notify
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.notifications.helpers import notify_now

pytestmark = pytest.mark.django_db


def test_notify_writes_the_notification_and_emails_at_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    # given
    ada = ProfileFactory(display_name="Ada")
    bo = ProfileFactory(display_name="Bo")

    # when
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="network.connection_request",
        text="Bo asks to connect",
        url="/network/",
        actor=bo.user,
        thread_key="request:1",
    )

    # then
    row = Notification.objects.get()
    assert (row.recipient, row.actor, row.kind, row.text, row.url, row.thread_key) == (
        ada.user,
        bo.user,
        "network.connection_request",
        "Bo asks to connect",
        "/network/",
        "request:1",
    )
    assert (row.in_app, row.delivery, row.read_at) == (True, Delivery.IMMEDIATE, None)
    assert row.emailed_at is not None
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [ada.user.email]
    assert email.subject == "[Common Ground] Bo asks to connect"
    assert "Hi Ada," in email.body
    assert "http://localhost:8000/network/" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.extra_headers["List-Unsubscribe"].startswith(
        "<http://localhost:8000/notifications/unsubscribe/"
    )
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert "Bo asks to connect" in html


def test_notify_waits_for_the_commit_and_drops_on_rollback(
    django_capture_on_commit_callbacks, mailoutbox
):
    # given
    ada = ProfileFactory()

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(recipient=ada.user, kind="messaging.message", text="Hello")
                assert Notification.objects.count() == 0
                raise RuntimeError("roll back")
        except RuntimeError:
            pass

    # then
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_unknown_kind_is_a_programming_error():
    # given
    ada = ProfileFactory()

    # when / then
    with pytest.raises(ValueError, match=r"Unknown notification kind 'network\.nope'"):
        notify(recipient=ada.user, kind="network.nope", text="Hi")


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "network/", "/a b"]
)
def test_a_url_outside_the_site_is_a_programming_error(url):
    # given
    ada = ProfileFactory()

    # when / then
    with pytest.raises(ValueError, match="url"):
        notify(recipient=ada.user, kind="messaging.message", text="Hi", url=url)


def test_nobody_is_notified_of_their_own_action(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada = ProfileFactory()

    # when
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="messaging.message",
        text="You wrote",
        actor=ada.user,
    )

    # then
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_text_is_flattened_and_clipped(django_capture_on_commit_callbacks):
    # given
    ada = ProfileFactory()

    # when
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="groups.reply",
        text="  line one\nline\x00two " + "x" * 400,
    )

    # then
    text = Notification.objects.get().text
    assert text.startswith("line one line two xxx")
    assert len(text) == 300
    assert text.endswith("…")


def test_email_off_keeps_it_in_app_only(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada = ProfileFactory()
    NotificationPreference.objects.create(
        user=ada.user, kind="messaging.message", in_app=True, email="off"
    )

    # when
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="messaging.message",
        text="Hello",
    )

    # then
    row = Notification.objects.get()
    assert (row.in_app, row.delivery, row.emailed_at) == (True, Delivery.NONE, None)
    assert mailoutbox == []


def test_both_off_writes_nothing(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada = ProfileFactory()
    NotificationPreference.objects.create(
        user=ada.user, kind="messaging.message", in_app=False, email="off"
    )

    # when
    notify_now(
        django_capture_on_commit_callbacks, recipient=ada.user, kind="messaging.message", text="Hi"
    )

    # then
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_email_only_is_kept_for_the_digest_but_not_shown(django_capture_on_commit_callbacks):
    # given
    ada = ProfileFactory()
    NotificationPreference.objects.create(
        user=ada.user, kind="groups.reply", in_app=False, email="weekly"
    )

    # when
    notify_now(
        django_capture_on_commit_callbacks, recipient=ada.user, kind="groups.reply", text="Re"
    )

    # then
    row = Notification.objects.get()
    assert (row.in_app, row.delivery) == (False, Delivery.WEEKLY)


@pytest.mark.parametrize(
    ("kind", "delivery"),
    [
        ("network.connection_request", Delivery.IMMEDIATE),
        ("messaging.message", Delivery.IMMEDIATE),
        ("groups.invitation", Delivery.IMMEDIATE),
        ("network.connection_accepted", Delivery.DAILY),
        ("groups.reply", Delivery.DAILY),
        ("groups.announcement", Delivery.WEEKLY),
        ("opportunities.match", Delivery.WEEKLY),
    ],
)
def test_defaults_per_kind(django_capture_on_commit_callbacks, kind, delivery):
    # given
    ada = ProfileFactory()

    # when
    notify_now(django_capture_on_commit_callbacks, recipient=ada.user, kind=kind, text="News")

    # then
    assert Notification.objects.get().delivery == delivery


def test_paused_email_stops_every_kind(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada = ProfileFactory()
    NotificationPreference.objects.create(user=ada.user, kind="all", email="off")

    # when
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="network.connection_request",
        text="Asks",
    )

    # then
    assert Notification.objects.get().delivery == Delivery.NONE
    assert mailoutbox == []


@pytest.mark.parametrize("who_blocks", ["recipient", "actor"])
def test_a_block_either_way_drops_the_notification(
    django_capture_on_commit_callbacks, mailoutbox, who_blocks
):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()
    if who_blocks == "recipient":
        member_block(user=ada.user, member_public_id=bo.user.public_id)
    else:
        member_block(user=bo.user, member_public_id=ada.user.public_id)

    # when
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="messaging.message",
        text="Hi",
        actor=bo.user,
    )

    # then
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_a_muted_actor_notifies_in_app_only(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()
    connect(ada, bo)
    member_mute(user=ada.user, member_public_id=bo.user.public_id)

    # when
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="messaging.message",
        text="Hi",
        actor=bo.user,
    )

    # then
    row = Notification.objects.get()
    assert (row.in_app, row.delivery, row.emailed_at) == (True, Delivery.NONE, None)
    assert mailoutbox == []


def test_an_inactive_recipient_gets_nothing(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada = ProfileFactory(user__is_active=False)

    # when
    notify_now(
        django_capture_on_commit_callbacks, recipient=ada.user, kind="messaging.message", text="Hi"
    )

    # then
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_a_busy_thread_sends_one_email_and_folds_the_rest_into_the_daily_digest(
    django_capture_on_commit_callbacks, mailoutbox
):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()

    # when
    for n in range(5):
        notify_now(
            django_capture_on_commit_callbacks,
            recipient=ada.user,
            kind="messaging.message",
            text=f"Bo: message {n}",
            actor=bo.user,
            thread_key="conversation:7",
        )
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="messaging.message",
        text="Cy: hello",
        thread_key="conversation:8",
    )

    # then
    assert [m.subject for m in mailoutbox] == [
        "[Common Ground] Bo: message 0",
        "[Common Ground] Cy: hello",
    ]
    deliveries = list(Notification.objects.order_by("pk").values_list("text", "delivery"))
    assert deliveries == [
        ("Bo: message 0", "immediate"),
        ("Bo: message 1", "daily"),
        ("Bo: message 2", "daily"),
        ("Bo: message 3", "daily"),
        ("Bo: message 4", "daily"),
        ("Cy: hello", "immediate"),
    ]


def test_a_thread_emails_again_once_the_first_email_was_read(
    django_capture_on_commit_callbacks, mailoutbox
):
    # given
    ada = ProfileFactory()
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="messaging.message",
        text="First",
        thread_key="conversation:7",
    )
    Notification.objects.update(read_at=timezone.now())

    # when
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="messaging.message",
        text="Second",
        thread_key="conversation:7",
    )

    # then
    assert [m.subject for m in mailoutbox] == ["[Common Ground] First", "[Common Ground] Second"]


def test_a_thread_emails_again_after_the_quiet_time(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada = ProfileFactory()
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="messaging.message",
        text="First",
        thread_key="conversation:7",
    )
    Notification.objects.update(emailed_at=timezone.now() - timedelta(hours=7))

    # when
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="messaging.message",
        text="Second",
        thread_key="conversation:7",
    )

    # then
    assert len(mailoutbox) == 2


def test_a_failing_mail_server_leaves_it_for_the_daily_digest(
    django_capture_on_commit_callbacks, settings
):
    # given
    settings.EMAIL_BACKEND = "tests.commonground.notifications.failing.FailingBackend"
    ada = ProfileFactory()

    # when
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="messaging.message",
        text="Hello",
    )

    # then
    row = Notification.objects.get()
    assert (row.delivery, row.emailed_at) == (Delivery.DAILY, None)
