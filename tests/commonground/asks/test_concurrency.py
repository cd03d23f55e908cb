"""Concurrent posts, answers and routing runs: exactly the right rows, never a server error."""

from __future__ import annotations

import pytest

from commonground.asks import services
from commonground.asks.models import Answer, Ask, AskRouting
from commonground.asks.services import ask_route
from tests.commonground.concurrency import race
from tests.commonground.factories import InterestFactory, ProfileFactory, give_interests

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_20_concurrent_posts_by_one_member_make_exactly_five(file_database):
    # given
    author = ProfileFactory()

    # when
    answers, handled, unexpected = race(
        [
            lambda n=n: services.ask_create(user=author.user, title=f"Concurrent ask {n}").pk
            for n in range(20)
        ],
        file_database,
    )

    # then
    assert unexpected == []
    assert len(answers) == 5
    assert handled == ["too_many_asks"] * 15
    assert Ask.objects.filter(author=author.user).count() == 5


def test_20_concurrent_answers_by_one_member_make_one(file_database):
    author, helper = ProfileFactory(), ProfileFactory()
    ask = services.ask_create(user=author.user, title="Concurrent answers please")
    answers, handled, unexpected = race(
        [
            lambda: (
                services.answer_create(
                    user=helper.user, ask_public_id=ask.public_id, body="Mine"
                ).pk
            )
        ]
        * 20,
        file_database,
    )
    assert unexpected == []
    assert len(answers) == 1
    assert handled == ["already_answered"] * 19
    assert Answer.objects.count() == 1


def test_10_concurrent_routing_runs_store_and_tell_each_helper_once(file_database):
    author = ProfileFactory()
    topic = InterestFactory()
    helpers = ProfileFactory.create_batch(4)
    for p in helpers:
        give_interests(p, topic)
    ask = services.ask_create(user=author.user, title="Route me once", interests=[topic])
    answers, handled, unexpected = race([lambda: ask_route(ask_id=ask.pk)] * 10, file_database)
    assert unexpected == []
    assert handled == []
    assert sum(answers) == 4  # type: ignore[arg-type]
    assert AskRouting.objects.filter(ask=ask).count() == 4
    assert AskRouting.objects.filter(ask=ask, notified_at__isnull=True).count() == 0
