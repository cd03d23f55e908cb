"""Background jobs of the opportunities app (django-tasks; run by `commonground worker`)."""

from __future__ import annotations

from django_tasks import task

from commonground.opportunities.services import opportunity_close_expired, opportunity_match_notify


@task()
def notify_opportunity_matches(opportunity_id: int) -> int:
    """Idempotent: each member is told about an opportunity at most once."""
    return opportunity_match_notify(opportunity_id=opportunity_id)


@task()
def close_expired_opportunities() -> int:
    """Idempotent: a second run closes nothing more."""
    return opportunity_close_expired()
