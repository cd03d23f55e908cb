from __future__ import annotations

import pytest

from commonground.profiles.directory import DirectoryFilter, member_search
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import InterestFactory, ProfileFactory, give_interests

pytestmark = pytest.mark.django_db


def test_and_filter_returns_only_members_with_every_interest():
    # given
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    viewer = ProfileFactory()
    both = ProfileFactory(display_name="Both")
    only_kittens = ProfileFactory(display_name="Only kittens")
    give_interests(both, kittens, bacon)
    give_interests(only_kittens, kittens)

    # when
    page = member_search(
        viewer=Viewer.for_user(viewer.user),
        viewer_profile=viewer,
        flt=DirectoryFilter(interest_ids=(kittens.pk, bacon.pk)),
    )

    # then
    assert [m.display_name for m in page.items] == ["Both"]
    assert page.total == 1
