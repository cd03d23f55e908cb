"""The match notifications run as a real background job after the post commits."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from commonground.notifications.models import Notification
from commonground.opportunities.models import MatchNotice
from tests.commonground.factories import InterestFactory, ProfileFactory, give_interests
from tests.commonground.opportunities.helpers import post

# db_worker closes the database connection: a transactional test.
pytestmark = pytest.mark.django_db(transaction=True)


def test_posting_enqueues_the_match_job_and_the_worker_tells_the_fitting_member_once():
    # given
    python = InterestFactory(name="Python")
    poster, fit, unfit = ProfileFactory(), ProfileFactory(), ProfileFactory()
    give_interests(fit, python, kind="skill")
    # when: posted (the job is enqueued on commit), and the worker runs twice
    opportunity = post(poster, skills=[python], title="Gig")
    for _ in range(2):
        call_command("db_worker", batch=True, queue_name="*", interval=0.1, startup_delay=False)
    # then
    assert list(MatchNotice.objects.values_list("opportunity_id", "user_id")) == [
        (opportunity.pk, fit.user_id)
    ]
    row = Notification.objects.get(kind="opportunities.match")
    assert (row.recipient_id, row.text, row.url) == (
        fit.user_id,
        "An opportunity that fits you: Gig",
        f"/opportunities/{opportunity.public_id}/",
    )
    assert not Notification.objects.filter(recipient=unfit.user).exists()
