"""Concurrent identical referrals make exactly one row and never a server error."""

from __future__ import annotations

import pytest

from commonground.opportunities import services
from commonground.opportunities.models import MatchNotice, Referral
from commonground.opportunities.services.opportunities import MATCH_NOTIFY_LIMIT
from tests.commonground.concurrency import race
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests
from tests.commonground.opportunities.helpers import post

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 50


def test_50_concurrent_identical_referrals_make_one(file_database):
    # given
    poster, referrer, candidate = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(referrer, candidate)
    opportunity = post(poster)

    def refer() -> int:
        return services.referral_create(
            user=referrer.user,
            opportunity_public_id=opportunity.public_id,
            candidate_public_id=candidate.user.public_id,
        ).pk

    # when
    answers, handled, unexpected = race([refer] * THREADS, file_database)
    # then
    assert unexpected == []
    assert handled == []
    only = Referral.objects.get(opportunity=opportunity, candidate=candidate.user)
    assert answers == [only.pk] * THREADS


def test_50_concurrent_referrals_by_different_referrers_make_one(file_database):
    poster, candidate = ProfileFactory(), ProfileFactory()
    referrers = [ProfileFactory() for _ in range(10)]
    for r in referrers:
        connect(r, candidate)
    opportunity = post(poster)
    jobs = [
        (
            lambda r=r: (
                services.referral_create(
                    user=r.user,
                    opportunity_public_id=opportunity.public_id,
                    candidate_public_id=candidate.user.public_id,
                ).pk
            )
        )
        for r in referrers
    ]
    answers, handled, unexpected = race(jobs, file_database)
    assert unexpected == []
    assert len(answers) == 1
    assert handled == ["cannot_refer"] * 9
    assert Referral.objects.filter(opportunity=opportunity).count() == 1


def test_concurrent_match_runs_tell_at_most_the_limit_between_them(file_database):
    # given: more fitting members than the limit
    python = InterestFactory(name="Python")
    poster = ProfileFactory()
    for _ in range(MATCH_NOTIFY_LIMIT + 10):
        give_interests(ProfileFactory(), python, kind="skill")
    opportunity = post(poster, skills=[python], title="Gig")

    # when: six runs of the background job at once
    answers, handled, unexpected = race(
        [lambda: services.opportunity_match_notify(opportunity_id=opportunity.pk)] * 6,
        file_database,
    )

    # then
    assert unexpected == []
    assert handled == []
    assert sum(answers) == MATCH_NOTIFY_LIMIT
    assert MatchNotice.objects.filter(opportunity=opportunity).count() == (MATCH_NOTIFY_LIMIT)
