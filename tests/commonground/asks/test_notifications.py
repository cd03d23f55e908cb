"""Who is told what: the asker about answers, the answerer about "helped", routed members."""

from __future__ import annotations

import pytest

from commonground.asks import services
from commonground.asks.services import ask_route
from commonground.notifications.models import Notification
from tests.commonground.asks.helpers import make_ask
from tests.commonground.factories import InterestFactory, ProfileFactory, give_interests

pytestmark = pytest.mark.django_db


def _told(profile) -> list[tuple[str, str, str]]:
    return list(
        Notification.objects.filter(recipient=profile.user)
        .order_by("pk")
        .values_list("kind", "text", "url")
    )


def test_the_asker_hears_of_answers_and_the_answerer_of_help_once(
    django_capture_on_commit_callbacks,
):
    # given
    ana, ben = ProfileFactory(display_name="Ana Silva"), ProfileFactory(display_name="Ben Osei")
    ask = make_ask(ana, title="Dense sourdough loaves")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_create(user=ben.user, ask_public_id=ask.public_id, body="Hi")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            services.answer_mark_helpful(
                user=ana.user, ask_public_id=ask.public_id, answer_public_id=answer.public_id
            )

    # then
    url = f"/asks/{ask.public_id}/#answer-{answer.public_id}"
    assert _told(ana) == [
        ("asks.answer", "Ben Osei answered your ask: Dense sourdough loaves", url)
    ]
    assert _told(ben) == [
        ("asks.helpful", "Ana Silva marked your answer as helpful: Dense sourdough loaves", url)
    ]


def test_routed_members_are_told_once_with_the_reason(django_capture_on_commit_callbacks):
    ana, ben, cy = ProfileFactory(), ProfileFactory(), ProfileFactory()
    baking = InterestFactory(name="Sourdough baking")
    give_interests(ben, baking, kind="skill")
    ask = make_ask(ana, baking, title="Dense sourdough loaves")
    with django_capture_on_commit_callbacks(execute=True):
        ask_route(ask_id=ask.pk)
        ask_route(ask_id=ask.pk)
    assert _told(ben) == [
        (
            "asks.routed",
            "An ask you could help with: Dense sourdough loaves "
            "(You know Sourdough baking (skill))",
            f"/asks/{ask.public_id}/",
        )
    ]
    assert _told(cy) == []
    assert _told(ana) == []
