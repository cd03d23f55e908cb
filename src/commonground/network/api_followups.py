"""/api/v1/followups (private notes, keep-in-touch, thank-you reminders, reciprocity) and
/api/v1/articles (share a link with a connection). Notes and reminders are the caller's own."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from commonground.api.errors import ERRORS, WRITE_ERRORS
from commonground.api.schemas import Text
from commonground.core.http import member_of
from commonground.network import selectors_followups as selectors
from commonground.network import services
from commonground.network.followup_models import (
    ARTICLE_NOTE_MAX_LENGTH,
    ARTICLE_URL_MAX_LENGTH,
    CONTACT_NOTE_MAX_LENGTH,
    ContactNote,
    KeepInTouch,
)
from commonground.network.selectors import MemberRef
from commonground.profiles.api import PUBLIC_ID_PATTERN
from commonground.profiles.selectors import Viewer

router = Router(tags=["follow-ups"])
PublicId = Annotated[str, Field(max_length=32, pattern=PUBLIC_ID_PATTERN)]


class MemberRefOut(Schema):
    id: str
    display_name: str


class NoteOut(Schema):
    id: str
    body: str
    created_at: datetime
    updated_at: datetime


class NoteIn(Schema):
    body: Text = Field(..., min_length=1, max_length=CONTACT_NOTE_MAX_LENGTH)


class KeepInTouchOut(Schema):
    member: MemberRefOut
    cadence_days: int
    last_contact_at: datetime | None
    due_at: datetime
    snoozed_until: datetime | None
    is_due: bool


class KeepInTouchIn(Schema):
    cadence_days: Literal[14, 30, 60, 90, 180]


class SnoozeIn(Schema):
    days: int = Field(7, ge=1, le=90)


class ThankYouOut(Schema):
    id: str
    member: MemberRefOut
    reason: str
    due_at: datetime
    is_due: bool
    draft: str


class FollowupsOut(Schema):
    keep_in_touch: list[KeepInTouchOut]
    thank_yous: list[ThankYouOut]


class ReciprocityOut(Schema):
    label: str
    count: int


class ArticleIn(Schema):
    member_id: PublicId
    url: Text = Field(..., min_length=1, max_length=ARTICLE_URL_MAX_LENGTH)
    note: Text = Field("", max_length=ARTICLE_NOTE_MAX_LENGTH)


class ArticleOut(Schema):
    id: str
    member: MemberRefOut
    url: str
    note: str
    created_at: datetime


class ArticleListOut(Schema):
    received: list[ArticleOut]
    sent: list[ArticleOut]


def _ref(ref: MemberRef) -> dict[str, str]:
    return {"id": ref.public_id, "display_name": ref.display_name}


def _note_out(note: ContactNote | selectors.NoteView) -> dict[str, object]:
    return {
        "id": note.public_id,
        "body": note.body,
        "created_at": note.created_at,
        "updated_at": note.updated_at,
    }


def _keep_out(view: selectors.KeepInTouchView) -> dict[str, object]:
    return {
        "member": _ref(view.contact),
        "cadence_days": view.cadence_days,
        "last_contact_at": view.last_contact_at,
        "due_at": view.due_at,
        "snoozed_until": view.snoozed_until,
        "is_due": view.is_due,
    }


def _keep_row_out(row: KeepInTouch) -> dict[str, object]:
    fresh = KeepInTouch.objects.select_related("contact__profile").get(pk=row.pk)
    return _keep_out(selectors.keep_in_touch_view_build(fresh, timezone.now()))


def _article_out(view: selectors.ArticleView) -> dict[str, object]:
    return {
        "id": view.public_id,
        "member": _ref(view.member),
        "url": view.url,
        "note": view.note,
        "created_at": view.created_at,
    }


@router.get(
    "/followups",
    response={200: FollowupsOut, **ERRORS},
    summary="Your keep-in-touch contacts and open thank-you reminders, due ones first",
)
def followups_list(request: HttpRequest) -> dict[str, object]:
    found = selectors.followup_list(viewer=Viewer.for_user(request.user))
    return {
        "keep_in_touch": [_keep_out(k) for k in found.keep_in_touch],
        "thank_yous": [
            {
                "id": t.public_id,
                "member": _ref(t.contact),
                "reason": t.reason,
                "due_at": t.due_at,
                "is_due": t.is_due,
                "draft": t.draft,
            }
            for t in found.thank_yous
        ],
    }


@router.get(
    "/followups/reciprocity",
    response={200: list[ReciprocityOut], **ERRORS},
    summary="Who helped you and whom you helped, as counts",
)
def reciprocity(request: HttpRequest) -> list[dict[str, object]]:
    rows = selectors.reciprocity_get(viewer=Viewer.for_user(request.user))
    return [{"label": r.label, "count": r.count} for r in rows]


@router.get(
    "/followups/contacts/{member_id}/notes",
    response={200: list[NoteOut], **ERRORS},
    summary="Your private notes about a member, newest first",
)
def notes_list(request: HttpRequest, member_id: PublicId) -> list[dict[str, object]]:
    viewer = Viewer.for_user(request.user)
    return [
        _note_out(n)
        for n in selectors.contact_notes_list(viewer=viewer, contact_public_id=member_id)
    ]


@router.post(
    "/followups/contacts/{member_id}/notes",
    response={201: NoteOut, **WRITE_ERRORS},
    summary="Add a private note about a member. Nobody else ever reads it.",
)
def note_create(request: HttpRequest, member_id: PublicId, payload: NoteIn) -> Status:
    note = services.contact_note_create(
        owner=member_of(request), contact_public_id=member_id, body=payload.body
    )
    return Status(201, _note_out(note))


@router.patch(
    "/followups/notes/{note_id}", response={200: NoteOut, **WRITE_ERRORS}, summary="Edit a note"
)
def note_update(request: HttpRequest, note_id: PublicId, payload: NoteIn) -> dict[str, object]:
    note = services.contact_note_update(
        owner=member_of(request), note_public_id=note_id, body=payload.body
    )
    return _note_out(note)


@router.delete(
    "/followups/notes/{note_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a note"
)
def note_delete(request: HttpRequest, note_id: PublicId) -> Status:
    services.contact_note_delete(owner=member_of(request), note_public_id=note_id)
    return Status(204, None)


@router.put(
    "/followups/contacts/{member_id}/keep-in-touch",
    response={200: KeepInTouchOut, **WRITE_ERRORS},
    summary="Keep in touch with a member every 14, 30, 60, 90 or 180 days",
)
def keep_in_touch_set(
    request: HttpRequest, member_id: PublicId, payload: KeepInTouchIn
) -> dict[str, object]:
    row = services.keep_in_touch_set(
        owner=member_of(request), contact_public_id=member_id, cadence_days=payload.cadence_days
    )
    return _keep_row_out(row)


@router.delete(
    "/followups/contacts/{member_id}/keep-in-touch",
    response={204: None, **WRITE_ERRORS},
    summary="Stop keep-in-touch reminders for a member",
)
def keep_in_touch_clear(request: HttpRequest, member_id: PublicId) -> Status:
    services.keep_in_touch_clear(owner=member_of(request), contact_public_id=member_id)
    return Status(204, None)


@router.post(
    "/followups/contacts/{member_id}/contacted",
    response={200: KeepInTouchOut, **WRITE_ERRORS},
    summary="Mark as contacted today: the next reminder is a full cadence away",
)
def contacted(request: HttpRequest, member_id: PublicId) -> dict[str, object]:
    row = services.contact_mark_contacted(owner=member_of(request), contact_public_id=member_id)
    return _keep_row_out(row)


@router.post(
    "/followups/contacts/{member_id}/snooze",
    response={200: KeepInTouchOut, **WRITE_ERRORS},
    summary="Remind me again in a few days",
)
def snooze(request: HttpRequest, member_id: PublicId, payload: SnoozeIn) -> dict[str, object]:
    row = services.keep_in_touch_snooze(
        owner=member_of(request), contact_public_id=member_id, days=payload.days
    )
    return _keep_row_out(row)


@router.post(
    "/followups/thank-yous/{reminder_id}/done",
    response={204: None, **WRITE_ERRORS},
    summary="Mark a thank-you as sent",
)
def thank_you_done(request: HttpRequest, reminder_id: PublicId) -> Status:
    services.thank_you_done(owner=member_of(request), reminder_public_id=reminder_id)
    return Status(204, None)


@router.post(
    "/followups/thank-yous/{reminder_id}/dismiss",
    response={204: None, **WRITE_ERRORS},
    summary="Dismiss a thank-you reminder",
)
def thank_you_dismiss(request: HttpRequest, reminder_id: PublicId) -> Status:
    services.thank_you_dismiss(owner=member_of(request), reminder_public_id=reminder_id)
    return Status(204, None)


@router.get(
    "/articles",
    response={200: ArticleListOut, **ERRORS},
    summary="Articles shared with you, and those you shared",
)
def articles_list(request: HttpRequest) -> dict[str, object]:
    found = selectors.article_list(viewer=Viewer.for_user(request.user))
    return {
        "received": [_article_out(a) for a in found.received],
        "sent": [_article_out(a) for a in found.sent],
    }


@router.post(
    "/articles",
    response={201: ArticleOut, **WRITE_ERRORS},
    summary="Share an article (an http or https address) with one of your connections, with a "
    "note. They are notified. At most 50 a day.",
)
def article_share(request: HttpRequest, payload: ArticleIn) -> Status:
    sender = member_of(request)
    article = services.article_share(
        sender=sender, contact_public_id=payload.member_id, url=payload.url, note=payload.note
    )
    recipient = article.recipient
    profile = getattr(recipient, "profile", None)
    member = MemberRef(
        public_id=recipient.public_id,
        display_name=(profile.display_name if profile is not None else "") or "Member",
    )
    return Status(
        201,
        _article_out(
            selectors.ArticleView(
                article.public_id, member, article.url, article.note, article.created_at
            )
        ),
    )
