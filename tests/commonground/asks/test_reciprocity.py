"""Help given through asks shows in the network's "give and take" view, for both sides."""

from __future__ import annotations

import pytest

from commonground.asks import services
from commonground.network.selectors_followups import reciprocity_get
from commonground.profiles.selectors import Viewer
from tests.commonground.asks.helpers import make_ask
from tests.commonground.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def _rows(profile) -> dict[str, int]:
    return {row.label: row.count for row in reciprocity_get(viewer=Viewer.for_user(profile.user))}


def test_an_answer_marked_helpful_counts_for_the_helper_and_the_asker():
    # given
    asker, helper, bystander = ProfileFactory(), ProfileFactory(), ProfileFactory()
    ask = make_ask(asker)
    answer = services.answer_create(user=helper.user, ask_public_id=ask.public_id, body="Try X.")
    services.answer_create(user=bystander.user, ask_public_id=ask.public_id, body="No idea.")
    # when
    services.answer_mark_helpful(
        user=asker.user, ask_public_id=ask.public_id, answer_public_id=answer.public_id
    )
    # then
    assert _rows(helper)["Your answers that helped"] == 1
    assert _rows(helper)["Answers that helped you"] == 0
    assert _rows(asker)["Answers that helped you"] == 1
    assert _rows(bystander)["Your answers that helped"] == 0
