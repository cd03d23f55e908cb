"""Background jobs of the groups app (django-tasks; run by `commonground worker`)."""

from __future__ import annotations

from django_tasks import task

from commonground.groups.announcements import announcement_send
from commonground.groups.niches import niche_mine


@task()
def send_group_announcement(announcement_id: int) -> int:
    """Idempotent: an announcement is sent once however often this runs."""
    return announcement_send(announcement_id=announcement_id)


@task()
def mine_unmet_niches() -> int:
    """Idempotent: each run replaces the stored niches as a whole."""
    return niche_mine().niches
