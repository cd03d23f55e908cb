"""Preferences: defaults, changes that keep what they don't name, all or nothing."""

from __future__ import annotations

import pytest

from commonground.notifications.errors import PreferenceInvalid
from commonground.notifications.models import NotificationPreference
from commonground.notifications.selectors import notification_preferences
from commonground.notifications.services import PreferenceChange, notification_preferences_set
from tests.commonground.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def test_without_rows_every_kind_has_its_default(django_assert_num_queries):
    # given
    ada = ProfileFactory()

    # when
    with django_assert_num_queries(1):
        choices = notification_preferences(user=ada.user)

    # then
    assert choices.email_paused is False
    assert choices.by_kind["network.connection_request"].email == "immediate"
    assert choices.by_kind["groups.announcement"].email == "weekly"
    assert choices.by_kind["network.reminder"].email == "daily"
    assert all(c.in_app for c in choices.by_kind.values())


def test_a_change_keeps_what_it_does_not_name():
    # given
    ada = ProfileFactory()
    notification_preferences_set(
        user=ada.user, changes={"groups.reply": PreferenceChange(in_app=False)}
    )

    # when
    notification_preferences_set(
        user=ada.user, changes={"groups.reply": PreferenceChange(email="weekly")}
    )

    # then
    choice = notification_preferences(user=ada.user).by_kind["groups.reply"]
    assert (choice.in_app, choice.email) == (False, "weekly")
    assert NotificationPreference.objects.filter(user=ada.user).count() == 1


def test_pausing_and_resuming_email():
    # given
    ada = ProfileFactory()

    # when
    notification_preferences_set(user=ada.user, changes={}, email_paused=True)
    paused = notification_preferences(user=ada.user)
    notification_preferences_set(user=ada.user, changes={}, email_paused=False)
    resumed = notification_preferences(user=ada.user)

    # then
    assert paused.email_paused is True
    assert paused.email_for("messaging.message") == "off"
    assert resumed.email_paused is False
    assert resumed.email_for("messaging.message") == "immediate"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"nope.kind": PreferenceChange(email="daily")}, "kind"),
        ({"all": PreferenceChange(email="off")}, "kind"),
        ({"groups.reply": PreferenceChange(email="hourly")}, "email"),
    ],
)
def test_a_bad_change_writes_nothing(changes, field):
    # given
    ada = ProfileFactory()
    good = {"messaging.message": PreferenceChange(email="off")}

    # when
    with pytest.raises(PreferenceInvalid) as caught:
        notification_preferences_set(user=ada.user, changes={**good, **changes})

    # then
    assert caught.value.field == field
    assert not NotificationPreference.objects.exists()


def test_one_members_choice_is_theirs_alone():
    # given
    ada, bo = ProfileFactory(), ProfileFactory()

    # when
    notification_preferences_set(
        user=ada.user, changes={"messaging.message": PreferenceChange(email="off")}
    )

    # then
    assert notification_preferences(user=bo.user).email_for("messaging.message") == "immediate"
