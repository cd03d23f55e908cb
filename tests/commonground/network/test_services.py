from __future__ import annotations

import pytest

from commonground.core.errors import ValidationFailed
from commonground.network.models import Connection
from commonground.network.selectors import are_connected, connection_ids
from commonground.network.services import connection_create
from tests.commonground.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_connection_create_is_mutual_and_stored_once():
    # given
    a, b = UserFactory(), UserFactory()

    # when
    first = connection_create(user_id=b.pk, other_id=a.pk)
    again = connection_create(user_id=a.pk, other_id=b.pk)

    # then
    assert first.pk == again.pk
    assert Connection.objects.count() == 1
    assert (first.user_low_id, first.user_high_id) == (min(a.pk, b.pk), max(a.pk, b.pk))
    assert are_connected(user_id=a.pk, other_id=b.pk) is True
    assert are_connected(user_id=b.pk, other_id=a.pk) is True
    assert connection_ids(user_id=a.pk) == {b.pk}
    assert connection_ids(user_id=b.pk) == {a.pk}


def test_connecting_to_oneself_is_refused():
    # given
    a = UserFactory()

    # when
    with pytest.raises(ValidationFailed) as caught:
        connection_create(user_id=a.pk, other_id=a.pk)

    # then
    assert caught.value.field == "member"
    assert Connection.objects.count() == 0
    assert are_connected(user_id=a.pk, other_id=a.pk) is False
