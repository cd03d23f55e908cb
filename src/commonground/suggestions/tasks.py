"""Background jobs of the suggestions app (django-tasks; run by `commonground worker`)."""

from __future__ import annotations

from django_tasks import task

from commonground.suggestions.services import suggestions_refresh_member


@task()
def refresh_member_suggestions(user_id: int) -> int:
    """Idempotent: recomputes and replaces the member's list, however often it runs."""
    return suggestions_refresh_member(user_id=user_id)
