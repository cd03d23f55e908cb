"""The demo community's content: every app's part, in the app, without a flood of email."""

from __future__ import annotations

import pytest

from commonground.demo.generate import create_demo_logins, seed_app_content, seed_members
from commonground.events.models import Event
from commonground.groups.models import Post
from commonground.interests.models import Interest, InterestAlias
from commonground.interests.taxonomy import load_taxonomy
from commonground.messaging.models import Message
from commonground.notifications.models import Notification
from commonground.opportunities.models import Opportunity

# Real commits, as in `commonground demo`: notifications go out when each write commits.
pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_content_fills_every_area_and_sends_no_email(mailoutbox):
    # given: a flushed database, so the taxonomy is loaded here
    load_taxonomy(Interest, InterestAlias)
    seed_members(count=300, seed=2026, email_prefix="demo-")
    create_demo_logins()
    # when
    seed_app_content(seed=2026)
    # then
    assert Post.objects.exists()
    assert Event.objects.exists()
    assert Message.objects.exists()
    assert Opportunity.objects.exists()
    assert Notification.objects.filter(recipient__email="alex@demo.example").exists()
    assert mailoutbox == []
