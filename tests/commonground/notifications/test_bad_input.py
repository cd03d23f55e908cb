"""No input to the notifications pages and API produces a 500, nor writes a NUL byte."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.notifications.kinds import KINDS
from commonground.notifications.models import NotificationPreference
from tests.commonground.factories import ProfileFactory
from tests.commonground.notifications.helpers import make_notification

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
nasty = st.one_of(
    st.just(""),
    st.just("\x00"),
    st.just("x" * 5_000),
    st.just("²"),
    st.just("-1"),
    st.just("99999999999999999999"),
    st.just("<script>alert(1)</script>"),
    st.just("../../etc/passwd"),
    st.sampled_from(["off", "immediate", "daily", "weekly", "on", "true"]),
    st.text(max_size=30),
)
FIELDS = ["email_paused"] + [f"{k}:{part}" for k in list(KINDS)[:4] for part in ("in_app", "email")]


class _Rollback(Exception):
    pass


def _in_rollback(body) -> None:
    try:
        with transaction.atomic():
            body()
            raise _Rollback
    except _Rollback:
        pass


@FUZZ
@given(data=st.dictionaries(st.sampled_from(FIELDS), nasty, max_size=len(FIELDS)))
def test_the_settings_form_never_500s(data):
    def body():
        client = Client()
        client.force_login(ProfileFactory().user)
        response = client.post("/notifications/settings/", data)
        assert response.status_code in (200, 302)
        saved = NotificationPreference.objects.values_list("kind", "email")
        assert all("\x00" not in kind + email for kind, email in saved)

    _in_rollback(body)


@FUZZ
@given(junk=nasty, page=nasty, show=nasty)
def test_pages_and_links_never_500(junk, page, show):
    def body():
        ada = ProfileFactory()
        make_notification(ada.user)
        client = Client()
        client.force_login(ada.user)
        segment = quote(junk[:300], safe="") or "x"
        responses = [
            client.get("/notifications/", {"page": page, "show": show}),
            client.post(f"/notifications/{segment}/read/", {"next": junk}),
            client.get(f"/notifications/{segment}/open/"),
            Client().get(f"/notifications/unsubscribe/{segment}/"),
            Client().post(f"/notifications/unsubscribe/{segment}/"),
        ]
        assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]

    _in_rollback(body)


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), nasty),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)
preference_item = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.one_of(st.sampled_from(list(KINDS)), nasty),
        "in_app": json_value,
        "email": json_value,
    },
)
payloads = st.one_of(
    json_value,
    st.fixed_dictionaries(
        {},
        optional={
            "email_paused": json_value,
            "kinds": st.one_of(json_value, st.lists(preference_item, max_size=3)),
        },
    ),
)


@FUZZ
@given(payload=payloads, page=nasty, size=nasty)
def test_the_api_never_500s(api_as, settings, payload, page, size):
    settings.API_RATE_LIMIT_PER_MINUTE = 10_000

    def body():
        api = api_as(ProfileFactory())
        responses = [
            api.client.put(
                "/api/v1/notifications/preferences",
                payload,
                content_type="application/json",
                **api.headers,
            ),
            api.get("/notifications", page=page, page_size=size, unread=page),
        ]
        assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]
        saved = NotificationPreference.objects.values_list("kind", "email")
        assert all("\x00" not in kind + email for kind, email in saved)

    _in_rollback(body)
