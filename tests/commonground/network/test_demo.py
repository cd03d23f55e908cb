"""The network demo content: what the demo logins find, and that seeding twice changes nothing."""

from __future__ import annotations

import pytest

from commonground.network.demo import seed_demo
from commonground.network.followup_models import (
    ContactNote,
    KeepInTouch,
    SharedArticle,
    ThankYouReminder,
)
from commonground.network.models import Introduction
from commonground.network.selectors_followups import followup_list
from commonground.network.selectors_introductions import introduction_list
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import ProfileFactory, connect

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Introduction, ContactNote, KeepInTouch, ThankYouReminder, SharedArticle)
    )


def test_seed_demo_gives_alex_and_sam_something_to_see_and_is_idempotent():
    # given
    alex = ProfileFactory(user__email="alex@demo.example", display_name="Alex Rivera")
    sam = ProfileFactory(user__email="sam@demo.example", display_name="Sam Okafor")
    connect(alex, sam)
    for n in range(6):
        ProfileFactory(user__email=f"demo-{n}@demo.example")

    # when
    seed_demo(seed=1)
    first = _counts()
    seed_demo(seed=1)

    # then
    assert _counts() == first == (2, 3, 3, 2, 2)
    found = introduction_list(viewer=Viewer.for_user(alex.user))
    assert [(v.state, v.my_answer, v.accepted) for v in found.proposed] == [
        ("pending", "pending", 1)
    ]
    assert [(v.state, v.total) for v in found.made] == [("accepted", 2)]
    alex_followups = followup_list(viewer=Viewer.for_user(alex.user))
    assert alex_followups.due_count == 2
    sam_followups = followup_list(viewer=Viewer.for_user(sam.user))
    assert [t.reason for t in sam_followups.thank_yous] == ["met at Stargazing on the Mall"]
