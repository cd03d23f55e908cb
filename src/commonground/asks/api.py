"""/api/v1/asks: asks and offers visible to you, posting, answers, "this helped", status."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from commonground.accounts.models import User
from commonground.api.errors import ERRORS, WRITE_ERRORS
from commonground.api.schemas import Text
from commonground.asks import services
from commonground.asks.models import (
    BODY_MAX_LENGTH,
    MAX_ASK_INTERESTS,
    TITLE_MAX_LENGTH,
    Answer,
    AskStatus,
)
from commonground.asks.selectors import AskCard, AskView, ask_get, ask_list_for
from commonground.core.http import member_of
from commonground.core.markdown import render_markdown
from commonground.interests.selectors import interest_get_many
from commonground.profiles.api import PUBLIC_ID_PATTERN
from commonground.profiles.selectors import Viewer

router = Router(tags=["Asks and offers"])
PublicId = Annotated[str, Field(max_length=16, pattern=PUBLIC_ID_PATTERN)]
InterestSlug = Annotated[str, Field(max_length=90, pattern=r"^[a-z0-9_-]+$")]
KindChoice = Literal["ask", "offer"]
TopicChoice = Literal["advice", "introduction", "referral", "feedback", "other"]
AudienceChoice = Literal["network", "group", "community"]
StatusChoice = Literal["open", "resolved", "closed"]


class AskInterestOut(Schema):
    slug: str
    name: str


class AskSummaryOut(Schema):
    id: str
    kind: KindChoice
    topic: TopicChoice
    title: str
    audience: AudienceChoice
    group: str | None = None
    status: StatusChoice
    author_name: str
    interests: list[AskInterestOut]
    answer_count: int
    routed_to_you: bool = False
    routed_reason: str = ""
    answered_by_you: bool = False
    fit: float = 0.0
    created_at: datetime


class AskPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[AskSummaryOut]


class AnswerOut(Schema):
    id: str
    author_id: str
    author_name: str
    body: str
    body_html: str
    helpful: bool
    marked_at: datetime | None = None
    is_mine: bool = False
    created_at: datetime
    updated_at: datetime


class AskOut(Schema):
    id: str
    kind: KindChoice
    topic: TopicChoice
    title: str
    body: str
    body_html: str
    audience: AudienceChoice
    group: str | None = None
    status: StatusChoice
    author_id: str
    author_name: str
    is_author: bool
    interests: list[AskInterestOut]
    routed_reason: str = ""
    answers: list[AnswerOut]
    created_at: datetime
    resolved_at: datetime | None = None


class AskQuery(Schema):
    tab: Literal["asks", "offers", "mine"] = "asks"
    q: Annotated[Text, Field("", max_length=100, description="Words in the title or text")] = ""
    interests: Annotated[
        Text,
        Field("", max_length=500, description="Interest slugs, comma-separated: ALL of them"),
    ] = ""
    page: Annotated[int, Field(1, ge=1, le=10_000)] = 1
    page_size: Annotated[int, Field(20, ge=1, le=100)] = 20


class AskIn(Schema):
    kind: KindChoice = "ask"
    topic: TopicChoice = "advice"
    title: Text = Field(max_length=TITLE_MAX_LENGTH)
    body: Text = Field("", max_length=BODY_MAX_LENGTH)
    interests: list[InterestSlug] = Field(default_factory=list, max_length=MAX_ASK_INTERESTS)
    audience: AudienceChoice = "community"
    group: PublicId | None = Field(None, description="The group's id, for audience 'group'")


class AnswerIn(Schema):
    body: Text = Field("", max_length=BODY_MAX_LENGTH)


class HelpfulIn(Schema):
    helpful: bool = True


def _summary(card: AskCard) -> dict[str, object]:
    ask = card.ask
    return {
        "id": ask.public_id,
        "kind": ask.kind,
        "topic": ask.topic,
        "title": ask.title,
        "audience": ask.audience,
        "status": ask.status,
        "author_name": card.author_name,
        "interests": [{"slug": i.slug, "name": i.name} for i in card.interests],
        "answer_count": card.answer_count,
        "routed_to_you": bool(card.routed_reason),
        "routed_reason": card.routed_reason,
        "answered_by_you": card.answered,
        "fit": round(card.score, 4),
        "created_at": ask.created_at,
    }


def _answer_out(answer: Answer, *, name: str, author_id: str, is_mine: bool) -> dict[str, object]:
    return {
        "id": answer.public_id,
        "author_id": author_id,
        "author_name": name,
        "body": answer.body,
        "body_html": render_markdown(answer.body),
        "helpful": answer.helpful,
        "marked_at": answer.marked_at,
        "is_mine": is_mine,
        "created_at": answer.created_at,
        "updated_at": answer.updated_at,
    }


def _ask_out(view: AskView) -> dict[str, object]:
    ask = view.ask
    return {
        "id": ask.public_id,
        "kind": ask.kind,
        "topic": ask.topic,
        "title": ask.title,
        "body": ask.body,
        "body_html": view.body_html,
        "audience": ask.audience,
        "group": view.group.slug if view.group else None,
        "status": ask.status,
        "author_id": view.author_public_id,
        "author_name": view.author_name,
        "is_author": view.is_author,
        "interests": [{"slug": i.slug, "name": i.name} for i in view.interests],
        "routed_reason": view.routed_reason,
        "answers": [
            _answer_out(
                a.answer, name=a.author_name, author_id=a.author_public_id, is_mine=a.is_mine
            )
            for a in view.answers
        ],
        "created_at": ask.created_at,
        "resolved_at": ask.resolved_at,
    }


def _ask(request: HttpRequest, public_id: str) -> dict[str, object]:
    return _ask_out(ask_get(viewer=Viewer.for_user(request.user), public_id=public_id))


@router.get(
    "/asks",
    response={200: AskPageOut, **ERRORS},
    summary="Asks (routed to you first, then by fit), offers, or your own; search by words "
    "and interests",
)
def asks_list(request: HttpRequest, filters: Query[AskQuery]) -> dict[str, object]:
    slugs = [s for s in dict.fromkeys(p.strip() for p in filters.interests.split(",")) if s]
    interests = interest_get_many(slugs=slugs[:MAX_ASK_INTERESTS]) if slugs else []
    page = ask_list_for(
        viewer=Viewer.for_user(request.user),
        tab=filters.tab,
        text=filters.q.strip(),
        interest_ids=[i.pk for i in interests],
        page=filters.page,
        size=filters.page_size,
    )
    return {
        "count": page.total,
        "page": page.number,
        "pages": page.pages,
        "results": [_summary(card) for card in page.items],
    }


@router.post(
    "/asks",
    response={201: AskOut, **WRITE_ERRORS},
    summary="Post an ask or an offer (at most 5 a day; past that: 429)",
)
def ask_create(request: HttpRequest, payload: AskIn) -> Status:
    ask = services.ask_create(
        user=member_of(request),
        kind=payload.kind,
        topic=payload.topic,
        title=payload.title,
        body=payload.body,
        interests=interest_get_many(slugs=list(dict.fromkeys(payload.interests))),
        audience=payload.audience,
        group_slug=payload.group or "",
    )
    return Status(201, _ask(request, ask.public_id))


@router.get("/asks/{ask_id}", response={200: AskOut, **ERRORS}, summary="One ask and its answers")
def ask_detail(request: HttpRequest, ask_id: PublicId) -> dict[str, object]:
    return _ask(request, ask_id)


@router.post(
    "/asks/{ask_id}/answers",
    response={201: AnswerOut, **WRITE_ERRORS},
    summary="Answer an ask, or say you would like an offer (once; then edit it)",
)
def answer_create(request: HttpRequest, ask_id: PublicId, payload: AnswerIn) -> Status:
    user = member_of(request)
    answer = services.answer_create(user=user, ask_public_id=ask_id, body=payload.body)
    return Status(201, _own_answer(user, answer))


@router.patch(
    "/asks/{ask_id}/answers/{answer_id}",
    response={200: AnswerOut, **WRITE_ERRORS},
    summary="Edit your answer",
)
def answer_update(
    request: HttpRequest, ask_id: PublicId, answer_id: PublicId, payload: AnswerIn
) -> dict[str, object]:
    user = member_of(request)
    answer = services.answer_update(
        user=user, ask_public_id=ask_id, answer_public_id=answer_id, body=payload.body
    )
    return _own_answer(user, answer)


@router.post(
    "/asks/{ask_id}/answers/{answer_id}/helpful",
    response={200: AnswerOut, **WRITE_ERRORS},
    summary="Mark an answer to your ask as what helped (helpful: false takes it back)",
)
def answer_helpful(
    request: HttpRequest, ask_id: PublicId, answer_id: PublicId, payload: HelpfulIn
) -> dict[str, object]:
    answer = services.answer_mark_helpful(
        user=member_of(request),
        ask_public_id=ask_id,
        answer_public_id=answer_id,
        helpful=payload.helpful,
    )
    author = answer.author
    profile = getattr(author, "profile", None)
    return _answer_out(
        answer,
        name=(profile.display_name if profile else "") or "Member",
        author_id=author.public_id,
        is_mine=False,
    )


def _own_answer(user: User, answer: Answer) -> dict[str, object]:
    profile = getattr(user, "profile", None)
    return _answer_out(
        answer,
        name=(profile.display_name if profile else "") or "Member",
        author_id=user.public_id,
        is_mine=True,
    )


def _set_status(request: HttpRequest, ask_id: str, status: str) -> dict[str, object]:
    services.ask_status_set(user=member_of(request), public_id=ask_id, status=status)
    return _ask(request, ask_id)


@router.post(
    "/asks/{ask_id}/resolve",
    response={200: AskOut, **WRITE_ERRORS},
    summary="Mark your ask as resolved",
)
def ask_resolve(request: HttpRequest, ask_id: PublicId) -> dict[str, object]:
    return _set_status(request, ask_id, AskStatus.RESOLVED)


@router.post(
    "/asks/{ask_id}/close",
    response={200: AskOut, **WRITE_ERRORS},
    summary="Close your ask: no new answers",
)
def ask_close(request: HttpRequest, ask_id: PublicId) -> dict[str, object]:
    return _set_status(request, ask_id, AskStatus.CLOSED)


@router.post(
    "/asks/{ask_id}/reopen",
    response={200: AskOut, **WRITE_ERRORS},
    summary="Reopen your ask",
)
def ask_reopen(request: HttpRequest, ask_id: PublicId) -> dict[str, object]:
    return _set_status(request, ask_id, AskStatus.OPEN)
