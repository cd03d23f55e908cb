"""Background jobs of the network app (django-tasks; run by `commonground worker`)."""

from __future__ import annotations

from django_tasks import task

from commonground.network.services import followup_reminders_send, introduction_expire_overdue


@task()
def send_followup_reminders() -> int:
    """Idempotent: each lapse and each due thank-you is reminded of once, however often it
    runs. Also ends introductions past their 14 days. Answers how many reminders went out."""
    introduction_expire_overdue()
    sweep = followup_reminders_send()
    return sweep.keep_in_touch + sweep.thank_yous
