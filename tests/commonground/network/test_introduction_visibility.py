"""The introduction rule: the detail check, the list, the API and the page agree, over
generated cases (roles × states × blocks), and an outsider never reads the reason."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.core.errors import NotFound
from commonground.network.models import Introduction
from commonground.network.selectors_introductions import (
    introduction_get,
    introduction_list,
    q_introduction_visible,
)
from commonground.network.services import (
    introduction_accept,
    introduction_create,
    introduction_decline,
    member_block,
)
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import ProfileFactory, connect

pytestmark = pytest.mark.django_db

CANARY = "canary-intro-5d1e"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    role=st.sampled_from(["introducer", "introduced", "outsider", "anonymous"]),
    state=st.sampled_from(["pending", "accepted", "declined"]),
    blocked=st.sampled_from(["none", "introducer", "other"]),
)
def test_detail_list_api_and_page_agree(role, state, blocked):
    # given
    introducer, ada, bo, outsider = (ProfileFactory() for _ in range(4))
    connect(introducer, ada)
    connect(introducer, bo)
    intro = introduction_create(
        introducer=introducer.user,
        member_public_ids=[ada.user.public_id, bo.user.public_id],
        reason=CANARY,
    )
    if state == "accepted":
        for member in (ada, bo):
            introduction_accept(user=member.user, introduction_public_id=intro.public_id)
    elif state == "declined":
        introduction_decline(user=bo.user, introduction_public_id=intro.public_id)
    subject = {"introducer": introducer, "introduced": ada, "outsider": outsider}.get(role)
    if subject is not None and blocked != "none":
        target = introducer if blocked == "introducer" and subject != introducer else bo
        member_block(user=subject.user, member_public_id=target.user.public_id)
    viewer = Viewer.for_user(subject.user) if subject is not None else Viewer(user_id=None)

    # when
    try:
        introduction_get(viewer=viewer, public_id=intro.public_id)
        detail = True
    except NotFound:
        detail = False
    found = introduction_list(viewer=viewer)
    listed = intro.public_id in {v.public_id for v in found.made + found.proposed}
    ruled = Introduction.objects.filter(q_introduction_visible(viewer), pk=intro.pk).exists()
    client = Client()
    if subject is not None:
        client.force_login(subject.user)
    page = client.get(f"/network/introductions/{intro.public_id}/")
    api = client.get(f"/api/v1/introductions/{intro.public_id}")

    # then
    expected = role == "introducer" or (role == "introduced" and blocked != "introducer")
    assert detail == listed == ruled == expected
    assert (page.status_code == 200) == expected
    assert (api.status_code == 200) == expected
    if not expected:
        assert CANARY not in page.content.decode()
        assert CANARY not in api.content.decode()
    Introduction.objects.all().delete()
