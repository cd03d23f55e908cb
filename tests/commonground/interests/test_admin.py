from __future__ import annotations

import pytest

from commonground.accounts.models import User
from commonground.interests.models import Interest, InterestAlias, InterestStatus, MemberInterest
from commonground.interests.services import interest_for_text
from tests.commonground.factories import InterestFactory, ProfileFactory, give_interests

pytestmark = pytest.mark.django_db


def test_choosing_merged_into_in_the_admin_merges_members_and_keeps_the_name_as_alias(client):
    # given
    admin = User.objects.create_superuser(email="ops@example.org", password="x" * 12)
    source = InterestFactory(name="Sourdough bread making", status=InterestStatus.PENDING)
    target = Interest.objects.get(name="Sourdough baking")
    member = ProfileFactory()
    give_interests(member, source)
    client.force_login(admin)
    form = client.get(f"/admin/interests/interest/{source.pk}/change/").context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(
        {
            "merged_into": target.pk,
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
        }
    )
    data.pop("created_by", None)

    # when
    response = client.post(f"/admin/interests/interest/{source.pk}/change/", data)

    # then
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.status == InterestStatus.MERGED
    assert source.merged_into_id == target.pk
    assert list(
        MemberInterest.objects.filter(user=member.user).values_list("interest", flat=True)
    ) == [target.pk]
    assert InterestAlias.objects.filter(alias="Sourdough bread making", interest=target).exists()
    assert interest_for_text(text="sourdough bread making", user=None, allow_new=False) == target
