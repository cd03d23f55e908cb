"""Digests: merged by thread, identical lines once, one email per member, idempotent, safe to
kill and retry, and never carrying what the member may no longer receive."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from commonground.network.services import member_block
from commonground.notifications.models import Delivery, Digest, Notification
from commonground.notifications.services import (
    PreferenceChange,
    notification_digest_send,
    notification_preferences_set,
)
from commonground.notifications.services.digests import LEASE, _claim
from commonground.notifications.tasks import send_digests
from tests.commonground.concurrency import race
from tests.commonground.factories import ProfileFactory
from tests.commonground.notifications.helpers import notify_now

pytestmark = pytest.mark.django_db


def _busy_day(captured, ada, bo) -> None:
    """Five messages in one conversation (the first emailed at once), two identical replies,
    a connection accepted, and one weekly announcement."""
    for n in range(5):
        notify_now(
            captured,
            recipient=ada.user,
            kind="messaging.message",
            text=f"Bo in Kittens & Bacon: message {n}",
            url="/messages/c7/",
            actor=bo.user,
            thread_key="conversation:7",
        )
    for _ in range(2):
        notify_now(
            captured,
            recipient=ada.user,
            kind="groups.reply",
            text="Bo commented on your post",
            url="/groups/g1/",
            actor=bo.user,
        )
    notify_now(
        captured,
        recipient=ada.user,
        kind="network.connection_accepted",
        text="Cy accepted your request",
        url="/network/",
    )
    notify_now(
        captured,
        recipient=ada.user,
        kind="groups.announcement",
        text="A new group fits you: Lichen walks",
        url="/groups/g2/",
    )


def test_a_daily_digest_merges_threads_and_identical_texts(
    django_capture_on_commit_callbacks, mailoutbox
):
    # given
    ada, bo = ProfileFactory(display_name="Ada"), ProfileFactory(display_name="Bo")
    _busy_day(django_capture_on_commit_callbacks, ada, bo)
    mailoutbox.clear()

    # when
    summary = notification_digest_send(period="daily")

    # then
    assert (summary.emails, summary.notifications, summary.lines, summary.skipped) == (1, 7, 3, 0)
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [ada.user.email]
    assert email.subject == "[Common Ground] 7 new notifications today"
    body = email.body
    assert (
        "- Bo in Kittens & Bacon: message 4 (4 in all)\n  http://localhost:8000/messages/c7/"
        in body
    )
    assert body.count("Bo commented on your post") == 1
    assert "- Cy accepted your request\n" in body
    assert "Lichen walks" not in body
    assert body.index("Connections\n") < body.index("Groups\n") < body.index("Messages\n")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = email.alternatives[0][0]
    assert "Kittens &amp; Bacon: message 4" in html
    assert "(4 in all)" in html
    sent = Notification.objects.filter(delivery=Delivery.DAILY)
    assert sent.count() == 7
    assert not sent.filter(emailed_at__isnull=True).exists()
    assert Notification.objects.get(delivery=Delivery.WEEKLY).emailed_at is None


def test_the_weekly_digest_sends_only_weekly_kinds(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()
    _busy_day(django_capture_on_commit_callbacks, ada, bo)
    mailoutbox.clear()

    # when
    summary = notification_digest_send(period="weekly")

    # then
    assert (summary.emails, summary.notifications, summary.lines) == (1, 1, 1)
    assert mailoutbox[0].subject == "[Common Ground] 1 new notification this week"
    assert "- A new group fits you: Lichen walks\n" in mailoutbox[0].body


def test_running_twice_sends_one_email(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()
    _busy_day(django_capture_on_commit_callbacks, ada, bo)
    mailoutbox.clear()

    # when
    first = notification_digest_send(period="daily")
    second = notification_digest_send(period="daily")

    # then
    assert (first.emails, second.emails) == (1, 0)
    assert len(mailoutbox) == 1
    assert Digest.objects.count() == 1


def test_one_email_per_member(django_capture_on_commit_callbacks, mailoutbox):
    # given
    members = [ProfileFactory() for _ in range(3)]
    for member in members:
        for n in range(2):
            notify_now(
                django_capture_on_commit_callbacks,
                recipient=member.user,
                kind="groups.reply",
                text=f"Reply {n}",
            )

    # when
    summary = notification_digest_send(period="daily")

    # then
    assert summary.emails == 3
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.user.email for p in members)


def test_only_what_was_written_before_now(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada = ProfileFactory()
    notify_now(
        django_capture_on_commit_callbacks, recipient=ada.user, kind="groups.reply", text="Old"
    )
    notify_now(
        django_capture_on_commit_callbacks, recipient=ada.user, kind="groups.reply", text="New"
    )
    cut = timezone.now()
    Notification.objects.filter(text="New").update(created_at=cut + timedelta(minutes=1))

    # when
    summary = notification_digest_send(period="daily", now=cut)

    # then
    assert summary.notifications == 1
    assert "- Old\n" in mailoutbox[0].body
    assert Notification.objects.get(text="New").digest is None


def test_what_was_read_unsubscribed_or_blocked_since_is_left_out(
    django_capture_on_commit_callbacks, mailoutbox
):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()
    for text in ("Read already", "Stays"):
        notify_now(
            django_capture_on_commit_callbacks, recipient=ada.user, kind="groups.reply", text=text
        )
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="network.connection_accepted",
        text="Unsubscribed since",
    )
    notify_now(
        django_capture_on_commit_callbacks,
        recipient=ada.user,
        kind="groups.reply",
        text="From someone blocked since",
        actor=bo.user,
    )
    Notification.objects.filter(text="Read already").update(read_at=timezone.now())
    notification_preferences_set(
        user=ada.user, changes={"network.connection_accepted": PreferenceChange(email="off")}
    )
    member_block(user=ada.user, member_public_id=bo.user.public_id)

    # when
    summary = notification_digest_send(period="daily")

    # then
    assert (summary.emails, summary.notifications, summary.skipped) == (1, 1, 3)
    body = mailoutbox[0].body
    assert "- Stays\n" in body
    for left_out in ("Read already", "Unsubscribed since", "blocked since"):
        assert left_out not in body


def test_nothing_left_sends_nothing(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada = ProfileFactory()
    notify_now(
        django_capture_on_commit_callbacks, recipient=ada.user, kind="groups.reply", text="A"
    )
    Notification.objects.update(read_at=timezone.now())

    # when
    summary = notification_digest_send(period="daily")
    again = notification_digest_send(period="daily")

    # then
    assert (summary.emails, summary.skipped, again.emails, again.skipped) == (0, 1, 0, 0)
    assert mailoutbox == []


def test_a_run_killed_after_claiming_is_finished_by_a_later_run(
    django_capture_on_commit_callbacks, mailoutbox
):
    # given: a run claimed ada's notifications, then died before sending
    ada = ProfileFactory()
    notify_now(
        django_capture_on_commit_callbacks, recipient=ada.user, kind="groups.reply", text="A"
    )
    digest = _claim(recipient_id=ada.user.pk, period="daily", until=timezone.now())
    assert digest is not None

    # when: a run while the lease holds, then one after it expired, then one more
    during = notification_digest_send(period="daily")
    Digest.objects.update(attempted_at=timezone.now() - LEASE - timedelta(seconds=1))
    after = notification_digest_send(period="daily")
    again = notification_digest_send(period="daily")

    # then
    assert (during.emails, after.emails, again.emails) == (0, 1, 0)
    assert len(mailoutbox) == 1
    assert Digest.objects.get().sent_at is not None


def test_a_failing_mail_server_is_retried_by_the_next_run(
    django_capture_on_commit_callbacks, mailoutbox, settings
):
    # given
    ada = ProfileFactory()
    notify_now(
        django_capture_on_commit_callbacks, recipient=ada.user, kind="groups.reply", text="A"
    )
    settings.EMAIL_BACKEND = "tests.commonground.notifications.failing.FailingBackend"

    # when
    failed = notification_digest_send(period="daily")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Digest.objects.update(attempted_at=timezone.now() - LEASE - timedelta(seconds=1))
    retried = notification_digest_send(period="daily")

    # then
    assert (failed.emails, failed.failed, retried.emails) == (0, 1, 1)
    assert len(mailoutbox) == 1
    assert Notification.objects.get().emailed_at is not None


def test_an_unknown_period_is_refused():
    # when / then
    with pytest.raises(Exception, match="daily or weekly") as caught:
        notification_digest_send(period="hourly")
    assert getattr(caught.value, "code", None) == "invalid"


def test_the_cli_prints_a_summary(django_capture_on_commit_callbacks, mailoutbox, capsys):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()
    _busy_day(django_capture_on_commit_callbacks, ada, bo)
    mailoutbox.clear()

    # when
    call_command("digest", "--period", "daily")

    # then
    assert capsys.readouterr().out.strip() == (
        "Daily digest: 1 email sent, 7 notifications in 3 lines, 0 left out (read, "
        "unsubscribed or blocked since), 0 failed (retried next run)."
    )
    assert len(mailoutbox) == 1


def test_the_task_sends_the_digests(django_capture_on_commit_callbacks, mailoutbox):
    # given
    ada = ProfileFactory()
    notify_now(
        django_capture_on_commit_callbacks, recipient=ada.user, kind="groups.reply", text="A"
    )

    # when
    sent = send_digests.call("daily")

    # then
    assert sent == 1
    assert len(mailoutbox) == 1


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_member_one_email(file_database, mailoutbox):
    # given
    from commonground.notifications.services.delivery import deliver

    members = [ProfileFactory() for _ in range(6)]
    for member in members:
        for n in range(3):
            deliver(
                recipient_id=member.user.pk,
                kind="groups.reply",
                text=f"Reply {n}",
                url="",
                actor_id=None,
                thread_key="post:1",
            )

    # when
    answers, handled, unexpected = race(
        [lambda: notification_digest_send(period="daily") for _ in range(4)], file_database
    )

    # then
    assert (handled, unexpected) == ([], [])
    assert sum(a.emails for a in answers) == 6
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.user.email for p in members)
    assert Digest.objects.filter(sent_at__isnull=False).count() == 6


def test_a_long_digest_shows_the_newest_lines_and_counts_the_rest(
    django_capture_on_commit_callbacks, mailoutbox
):
    # given
    ada = ProfileFactory()
    start = timezone.now() - timedelta(hours=1)
    for n in range(45):
        notify_now(
            django_capture_on_commit_callbacks,
            recipient=ada.user,
            kind="groups.reply",
            text=f"Reply number {n:02d}",
            thread_key=f"post:{n}",
        )
    for n in range(45):
        Notification.objects.filter(text=f"Reply number {n:02d}").update(
            created_at=start + timedelta(minutes=n)
        )

    # when
    summary = notification_digest_send(period="daily")

    # then
    body = mailoutbox[0].body
    assert (summary.notifications, summary.lines) == (45, 45)
    assert mailoutbox[0].subject == "[Common Ground] 45 new notifications today"
    assert "Reply number 44" in body
    assert "Reply number 05" in body
    assert "Reply number 04" not in body
    assert "…and 5 more.\n" in body
