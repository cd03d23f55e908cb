"""The admin shows introductions' delivery facts to staff; their reason to superusers only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from commonground.network import services
from tests.commonground.factories import ProfileFactory, connect

pytestmark = pytest.mark.django_db


def _introduction():
    introducer, b, c = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(introducer, b)
    connect(introducer, c)
    return services.introduction_create(
        introducer=introducer.user,
        member_public_ids=[b.user.public_id, c.user.public_id],
        reason="canary-5d1e: both of you are job hunting quietly.",
    )


def _admin_page(*, superuser: bool, pk: int) -> str:
    staff = ProfileFactory().user
    staff.is_staff = True
    staff.is_superuser = superuser
    staff.save()
    staff.user_permissions.add(Permission.objects.get(codename="view_introduction"))
    client = Client()
    client.force_login(staff)
    response = client.get(f"/admin/network/introduction/{pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_staff_who_are_not_superusers_do_not_read_an_introductions_reason():
    # given
    introduction = _introduction()
    # when
    page = _admin_page(superuser=False, pk=introduction.pk)
    # then
    assert "canary-5d1e" not in page
    assert introduction.public_id in page


def test_superusers_read_it():
    # given
    introduction = _introduction()
    # when
    page = _admin_page(superuser=True, pk=introduction.pk)
    # then
    assert "canary-5d1e" in page
