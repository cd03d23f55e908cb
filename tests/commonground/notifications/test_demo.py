"""Demo notifications: for the demo logins, deterministic, idempotent, no email."""

from __future__ import annotations

import pytest

from commonground.notifications.demo import seed_demo
from commonground.notifications.models import Notification
from commonground.notifications.selectors import notification_unread_count
from tests.commonground.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_demo_logins_inboxes_once(mailoutbox):
    # given
    alex = ProfileFactory(user__email="alex@demo.example", display_name="Alex")
    ProfileFactory(user__email="demo-1@example.org", display_name="Dana Demo")

    # when
    seed_demo(seed=2026)
    seed_demo(seed=2026)

    # then
    assert Notification.objects.filter(recipient=alex.user).count() == 9
    assert notification_unread_count(user=alex.user) == 4
    assert Notification.objects.filter(text__startswith="Dana Demo").count() == 6
    messages = Notification.objects.filter(recipient=alex.user, kind="messaging.message")
    assert len({m.actor_id for m in messages}) == 1
    assert mailoutbox == []
