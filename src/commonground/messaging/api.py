"""/api/v1/messages: conversations, threads, sending, read marks and settings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from commonground.api.errors import ERRORS
from commonground.api.errors import SESSION_WRITE_ERRORS as WRITE_ERRORS
from commonground.api.schemas import Text
from commonground.core.http import member_of
from commonground.messaging import services
from commonground.messaging.models import BODY_MAX_LENGTH, MAX_OTHERS, SUBJECT_MAX_LENGTH
from commonground.messaging.selectors import (
    ConversationView,
    allow_from_of,
    conversation_get,
    conversation_list,
    message_list,
    message_payload,
)
from commonground.profiles.api import PUBLIC_ID_PATTERN
from commonground.profiles.selectors import Viewer

router = Router(tags=["messages"])
PublicId = Annotated[str, Field(max_length=32, pattern=PUBLIC_ID_PATTERN)]
AllowFromChoice = Literal["connections", "connections_and_groups", "nobody_new"]


class MemberRefOut(Schema):
    id: str
    display_name: str


class MessageOut(Schema):
    type: Literal["message"] = "message"
    id: str
    conversation: str
    sender: MemberRefOut
    body: str
    created_at: datetime


class ConversationOut(Schema):
    id: str
    kind: Literal["direct", "group"]
    origin: Literal["direct", "introduction", "group"]
    subject: str
    title: str
    others: list[MemberRefOut]
    unread_count: int
    last_message_at: datetime | None
    last_message: MessageOut | None = None


class ConversationPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ConversationOut]


class ThreadOut(Schema):
    conversation: ConversationOut
    count: int
    page: int
    pages: int
    results: list[MessageOut] = Field(description="Newest first; page 1 holds the newest")


class StartIn(Schema):
    to: list[PublicId] = Field(min_length=1, max_length=MAX_OTHERS, description="Member ids")
    body: Text = Field(min_length=1, max_length=BODY_MAX_LENGTH)
    subject: Text = Field("", max_length=SUBJECT_MAX_LENGTH)


class AddIn(Schema):
    to: list[PublicId] = Field(min_length=1, max_length=MAX_OTHERS, description="Member ids")


class SendIn(Schema):
    body: Text = Field(min_length=1, max_length=BODY_MAX_LENGTH)


class SettingsIO(Schema):
    allow_from: AllowFromChoice


class PageQuery(Schema):
    page: Annotated[int, Field(1, ge=1, le=10_000)] = 1
    page_size: Annotated[int, Field(20, ge=1, le=100)] = 20


def _conversation_out(view: ConversationView) -> dict[str, object]:
    last = view.last_message
    conversation = view.conversation
    return {
        "id": view.public_id,
        "kind": conversation.kind,
        "origin": conversation.origin,
        "subject": conversation.subject,
        "title": view.title,
        "others": [{"id": o.public_id, "display_name": o.display_name} for o in view.others],
        "unread_count": view.unread_count,
        "last_message_at": view.last_activity_at,
        "last_message": (
            {
                "id": last.public_id,
                "conversation": view.public_id,
                "sender": {"id": last.sender.public_id, "display_name": last.sender.display_name},
                "body": last.body,
                "created_at": last.created_at,
            }
            if last
            else None
        ),
    }


@router.get(
    "/messages",
    response={200: ConversationPageOut, **ERRORS},
    summary="Your conversations, the latest message first, with unread counts",
)
def conversations(request: HttpRequest, query: Query[PageQuery]) -> dict[str, object]:
    page = conversation_list(
        viewer=Viewer.for_user(request.user), page=query.page, size=query.page_size
    )
    return {
        "count": page.total,
        "page": page.number,
        "pages": page.pages,
        "results": [_conversation_out(v) for v in page.items],
    }


@router.post(
    "/messages",
    response={201: MessageOut, **WRITE_ERRORS},
    summary="Write to one member (your one-to-one conversation with them) or to up to 8 (a "
    "new small-group conversation). Each must be a connection, someone you're introduced to, "
    "or a member of a group you share, as their settings allow.",
)
def conversation_start(request: HttpRequest, payload: StartIn) -> Status:
    message = services.conversation_start(
        sender=member_of(request),
        recipient_public_ids=payload.to,
        body=payload.body,
        subject=payload.subject,
    )
    return Status(201, message_payload(message, conversation=message.conversation))


@router.get(
    "/messages/settings",
    response={200: SettingsIO, **ERRORS},
    summary="Who may start a conversation with you",
)
def settings_get(request: HttpRequest) -> dict[str, str]:
    return {"allow_from": allow_from_of(member_of(request).pk)}


@router.put(
    "/messages/settings",
    response={200: SettingsIO, **WRITE_ERRORS},
    summary="Choose who may start a conversation with you",
)
def settings_put(request: HttpRequest, payload: SettingsIO) -> dict[str, str]:
    row = services.messaging_settings_update(user=member_of(request), allow_from=payload.allow_from)
    return {"allow_from": row.allow_from}


@router.get(
    "/messages/{conversation_id}",
    response={200: ThreadOut, **ERRORS},
    summary="A conversation you take part in and its messages, newest first",
)
def thread(
    request: HttpRequest, conversation_id: PublicId, query: Query[PageQuery]
) -> dict[str, object]:
    viewer = Viewer.for_user(request.user)
    view = conversation_get(viewer=viewer, public_id=conversation_id)
    page = message_list(viewer=viewer, view=view, page=query.page, size=query.page_size)
    return {
        "conversation": _conversation_out(view),
        "count": page.total,
        "page": page.number,
        "pages": page.pages,
        "results": [
            {
                "id": m.public_id,
                "conversation": view.public_id,
                "sender": {"id": m.sender.public_id, "display_name": m.sender.display_name},
                "body": m.body,
                "created_at": m.created_at,
            }
            for m in page.items
        ],
    }


@router.post(
    "/messages/{conversation_id}/messages",
    response={201: MessageOut, **WRITE_ERRORS},
    summary="Send a message in a conversation you take part in",
)
def message_send(request: HttpRequest, conversation_id: PublicId, payload: SendIn) -> Status:
    message = services.message_send(
        sender=member_of(request), conversation_public_id=conversation_id, body=payload.body
    )
    return Status(201, message_payload(message, conversation=message.conversation))


@router.post(
    "/messages/{conversation_id}/read",
    response={204: None, **WRITE_ERRORS},
    summary="Mark a conversation read",
)
def mark_read(request: HttpRequest, conversation_id: PublicId) -> Status:
    services.conversation_mark_read(user=member_of(request), conversation_public_id=conversation_id)
    return Status(204, None)


@router.post(
    "/messages/{conversation_id}/participants",
    response={200: ConversationOut, **WRITE_ERRORS},
    summary="Add people to a small-group conversation you started (8 others at most); they "
    "see the messages written from then on",
)
def participants_add(
    request: HttpRequest, conversation_id: PublicId, payload: AddIn
) -> dict[str, object]:
    user = member_of(request)
    services.conversation_participants_add(
        user=user, conversation_public_id=conversation_id, member_public_ids=payload.to
    )
    return _conversation_out(
        conversation_get(viewer=Viewer.for_user(user), public_id=conversation_id)
    )


@router.post(
    "/messages/{conversation_id}/leave",
    response={204: None, **WRITE_ERRORS},
    summary="Leave a small-group conversation (a one-to-one conversation cannot be left)",
)
def leave(request: HttpRequest, conversation_id: PublicId) -> Status:
    services.conversation_leave(user=member_of(request), conversation_public_id=conversation_id)
    return Status(204, None)
