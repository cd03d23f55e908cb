"""The admin shows staff what they moderate, never what members wrote to each other: a
referral's note, a request's message and a note to the poster are for superusers only, and
open-to signals are not in the admin at all."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from commonground.opportunities import services
from commonground.opportunities.models import InterestExpression, Referral
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.opportunities.helpers import post

pytestmark = pytest.mark.django_db

CANARY = "canary-private-7f3a"


def _admin_client(*, superuser: bool) -> Client:
    user = ProfileFactory().user
    user.is_staff = True
    user.is_superuser = superuser
    user.save(update_fields=["is_staff", "is_superuser"])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="opportunities"))
    client = Client()
    client.force_login(user)
    return client


def _private_rows() -> tuple[Referral, InterestExpression]:
    poster, referrer, candidate = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(referrer, candidate)
    opportunity = post(poster, title="Role")
    referral = services.referral_create(
        user=referrer.user,
        opportunity_public_id=opportunity.public_id,
        candidate_public_id=candidate.user.public_id,
        note=f"Between us: {CANARY}",
    )
    interest = services.interest_express(
        user=candidate.user, opportunity_public_id=opportunity.public_id, note=CANARY
    )
    services.open_to_signal_set(
        user=candidate.user, kinds=["job"], note=CANARY, audience="only_me", audience_members=[]
    )
    return referral, interest


@pytest.mark.parametrize(("superuser", "shown"), [(False, False), (True, True)])
def test_private_notes_reach_superusers_only(superuser, shown):
    # given
    referral, interest = _private_rows()
    client = _admin_client(superuser=superuser)
    # when
    pages = [
        client.get(f"/admin/opportunities/referral/{referral.pk}/change/"),
        client.get(f"/admin/opportunities/interestexpression/{interest.pk}/change/"),
    ]
    # then
    assert [p.status_code for p in pages] == [200, 200]
    assert [CANARY in p.content.decode() for p in pages] == [shown, shown]


def test_open_to_signals_are_not_in_the_admin():
    # given
    _private_rows()
    client = _admin_client(superuser=True)
    # when
    response = client.get("/admin/opportunities/opentosignal/")
    # then
    assert response.status_code == 404
    assert CANARY not in client.get("/admin/opportunities/").content.decode()
