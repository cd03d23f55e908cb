"""Small builders for opportunity tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from commonground.opportunities import services
from commonground.opportunities.models import Opportunity
from commonground.profiles.models import Profile


def in_days(days: float) -> Any:
    return timezone.now() + timedelta(days=days)


def post(poster: Profile, **fields: Any) -> Opportunity:
    """An open opportunity posted through the service (defaults: a remote job for all)."""
    fields.setdefault("kind", "job")
    fields.setdefault("title", "Data engineer")
    fields.setdefault("audience", "everyone")
    fields.setdefault("remote", True)
    fields.setdefault("expires_at", in_days(30))
    return services.opportunity_create(user=poster.user, **fields)


def expire(opportunity: Opportunity) -> None:
    """Move its closing date into the past, as time passing would (the sweep has not run)."""
    Opportunity.objects.filter(pk=opportunity.pk).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )
    opportunity.refresh_from_db()
