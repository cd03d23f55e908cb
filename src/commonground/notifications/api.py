"""/api/v1/notifications: the list, marking read, and preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from commonground.api.errors import ERRORS
from commonground.api.errors import SESSION_WRITE_ERRORS as WRITE_ERRORS
from commonground.core.http import member_of
from commonground.notifications import selectors, services
from commonground.notifications.models import KIND_MAX_LENGTH
from commonground.notifications.preferences import Choices
from commonground.notifications.selectors import NotificationView
from commonground.notifications.services import PreferenceChange
from commonground.profiles.api import PUBLIC_ID_PATTERN

router = Router(tags=["notifications"])
NotificationId = Annotated[str, Field(max_length=32, pattern=PUBLIC_ID_PATTERN)]
EmailChoice = Literal["off", "immediate", "daily", "weekly"]


class ActorOut(Schema):
    id: str
    display_name: str


class NotificationOut(Schema):
    id: str
    kind: str
    area: str
    text: str
    url: str
    actor: ActorOut | None
    created_at: datetime
    read: bool
    read_at: datetime | None


class NotificationPageOut(Schema):
    count: int
    unread: int
    page: int
    pages: int
    results: list[NotificationOut]


class NotificationQuery(Schema):
    unread: bool = Field(False, description="Only unread notifications")
    page: Annotated[int, Field(1, ge=1, le=10_000)] = 1
    page_size: Annotated[int, Field(20, ge=1, le=100)] = 20


class MarkedOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str
    label: str
    area: str
    in_app: bool
    email: EmailChoice
    default_email: EmailChoice


class PreferencesOut(Schema):
    email_paused: bool
    kinds: list[PreferenceOut]


class PreferenceIn(Schema):
    kind: str = Field(..., min_length=1, max_length=KIND_MAX_LENGTH)
    in_app: bool | None = None
    email: EmailChoice | None = None


class PreferencesIn(Schema):
    email_paused: bool | None = Field(None, description="true: no email at all")
    kinds: list[PreferenceIn] = Field([], max_length=200)


def _out(view: NotificationView) -> dict[str, object]:
    actor = None
    if view.actor_public_id is not None:
        actor = {"id": view.actor_public_id, "display_name": view.actor_name or "Member"}
    return {
        "id": view.public_id,
        "kind": view.kind,
        "area": view.area,
        "text": view.text,
        "url": view.url,
        "actor": actor,
        "created_at": view.created_at,
        "read": not view.is_unread,
        "read_at": view.read_at,
    }


def _preferences_out(choices: Choices) -> dict[str, object]:
    return {
        "email_paused": choices.email_paused,
        "kinds": [
            {
                "kind": c.kind,
                "label": c.label,
                "area": c.area,
                "in_app": c.in_app,
                "email": c.email.value,
                "default_email": c.default_email.value,
            }
            for c in choices.by_kind.values()
        ],
    }


@router.get(
    "/notifications",
    response={200: NotificationPageOut, **ERRORS},
    summary="Your notifications, newest first",
)
def notification_list(request: HttpRequest, filters: Query[NotificationQuery]) -> dict[str, object]:
    user = member_of(request)
    page = selectors.notification_list(
        user=user, page=filters.page, size=filters.page_size, unread_only=filters.unread
    )
    return {
        "count": page.total,
        "unread": selectors.notification_unread_count(user=user),
        "page": page.number,
        "pages": page.pages,
        "results": [_out(v) for v in page.items],
    }


@router.post(
    "/notifications/read-all",
    response={200: MarkedOut, **WRITE_ERRORS},
    summary="Mark every notification read; answers how many were unread",
)
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.notification_mark_all_read(user=member_of(request))}


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **WRITE_ERRORS},
    summary="Mark one notification read (repeating it changes nothing)",
)
def notification_read(request: HttpRequest, notification_id: NotificationId) -> dict[str, object]:
    user = member_of(request)
    services.notification_mark_read(user=user, public_id=notification_id)
    return _out(selectors.notification_get(user=user, public_id=notification_id))


@router.get(
    "/notifications/preferences",
    response={200: PreferencesOut, **ERRORS},
    summary="For each kind: shown in the app, and email off, right away, daily or weekly",
)
def preferences_get(request: HttpRequest) -> dict[str, object]:
    return _preferences_out(selectors.notification_preferences(user=member_of(request)))


@router.put(
    "/notifications/preferences",
    response={200: PreferencesOut, **WRITE_ERRORS},
    summary="Change some kinds' choices (kinds left out keep theirs), or pause all email",
)
def preferences_put(request: HttpRequest, payload: PreferencesIn) -> dict[str, object]:
    user = member_of(request)
    changes: dict[str, PreferenceChange] = {}
    for item in payload.kinds:
        changes[item.kind] = PreferenceChange(in_app=item.in_app, email=item.email)
    services.notification_preferences_set(
        user=user, changes=changes, email_paused=payload.email_paused
    )
    return _preferences_out(selectors.notification_preferences(user=user))
