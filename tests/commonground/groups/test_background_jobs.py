"""The groups app's background jobs, run by a real worker over the database queue."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from commonground.groups.announcements import group_announce
from commonground.groups.models import Announcement, UnmetNiche
from commonground.groups.tasks import mine_unmet_niches
from commonground.notifications.models import Notification
from tests.commonground.factories import InterestFactory, ProfileFactory, give_interests
from tests.commonground.groups.helpers import make_group

pytestmark = pytest.mark.django_db(transaction=True)


def _run_worker() -> None:
    call_command("db_worker", batch=True, queue_name="*", interval=0.1, startup_delay=False)


def test_an_announcement_is_sent_by_the_worker_once():
    # given
    kittens = InterestFactory()
    owner = ProfileFactory()
    group = make_group(owner, kittens)
    fans = [ProfileFactory() for _ in range(3)]
    for fan in fans:
        give_interests(fan, kittens)
    # when: the announcement commits, a job is queued, a worker runs the queue (twice)
    announcement = group_announce(user=owner.user, slug=group.slug)
    assert Notification.objects.count() == 0
    _run_worker()
    _run_worker()
    # then
    assert announcement.reached == 3
    assert Announcement.objects.get().sent_at is not None
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        f.user_id for f in fans
    )


def test_the_mining_job_replaces_the_niches():
    kittens, bacon = InterestFactory(), InterestFactory()
    for _ in range(10):
        give_interests(ProfileFactory(), kittens, bacon)
    mine_unmet_niches.enqueue()
    mine_unmet_niches.enqueue()
    _run_worker()
    # one pair, for the region, the country and everywhere, once however often it ran
    assert UnmetNiche.objects.count() == 3
