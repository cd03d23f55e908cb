"""Background jobs of the notifications app (django-tasks; run by `commonground worker`)."""

from __future__ import annotations

from django_tasks import task

from commonground.notifications.services import notification_digest_send


@task()
def send_digests(period: str) -> int:
    """Idempotent: however often it runs, each notification is in one digest email at most.
    Answers how many emails went out."""
    return notification_digest_send(period=period).emails
