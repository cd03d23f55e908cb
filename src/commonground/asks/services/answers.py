"""Answers: one per member and ask (answering again edits it), and the asker's "this helped"."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.models import User
from commonground.asks.errors import (
    AlreadyAnswered,
    AskInvalid,
    AskNotOpen,
    NotAskAuthor,
    OwnAsk,
)
from commonground.asks.models import BODY_MAX_LENGTH, Answer, Ask, AskStatus
from commonground.asks.selectors import answer_get_for_ask, ask_get
from commonground.core.validation import clean_text
from commonground.notifications.services import notify
from commonground.profiles.selectors import Viewer

OFFER_REPLY = "I'd like this."


def _clean_body(body: str, *, ask: Ask) -> str:
    text = clean_text(body, field="body", max_length=BODY_MAX_LENGTH)
    if not text and not ask.is_offer:
        raise AskInvalid("Write your answer first.", field="body")
    return text or OFFER_REPLY


def _display_name(user: User) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or "A member"


def answer_create(*, user: User, ask_public_id: str, body: str) -> Answer:
    """Answer an ask (or say "I'd like this" to an offer). A second answer by the same member
    is refused (409): they edit the first instead. The asker is told."""
    view = ask_get(viewer=Viewer.for_user(user), public_id=ask_public_id)
    ask = view.ask
    if view.is_author:
        raise OwnAsk("This is your own post: others answer it.")
    if not ask.is_open:
        raise AskNotOpen("This ask is no longer open.")
    text = _clean_body(body, ask=ask)
    try:
        with transaction.atomic():
            # Lock the ask and look again: an answer never lands on an ask closed meanwhile
            # (the close's UPDATE holds the same row lock until it commits).
            status = (
                Ask.objects.select_for_update().filter(pk=ask.pk).values_list("status", flat=True)
            )
            if list(status) != [AskStatus.OPEN]:
                raise AskNotOpen("This ask is no longer open.")
            answer = Answer.objects.create(ask=ask, author=user, body=text)
            url = reverse("asks:detail", kwargs={"public_id": ask.public_id})
            verb = "would like your offer" if ask.is_offer else "answered your ask"
            notify(
                recipient=ask.author,
                kind="asks.answer",
                text=f"{_display_name(user)} {verb}: {ask.title}",
                url=f"{url}#answer-{answer.public_id}",
                actor=user,
                thread_key=f"ask:{ask.pk}",
            )
    except IntegrityError:
        raise AlreadyAnswered(
            "You already answered this; edit your answer instead.", field="body"
        ) from None
    return answer


def answer_update(*, user: User, ask_public_id: str, answer_public_id: str, body: str) -> Answer:
    """Edit one's own answer, on an ask one can still see."""
    viewer = Viewer.for_user(user)
    answer = answer_get_for_ask(
        viewer=viewer, ask_public_id=ask_public_id, answer_public_id=answer_public_id
    )
    if answer.author_id != user.pk:
        raise NotAskAuthor("You can only edit your own answer.", code="not_answer_author")
    text = _clean_body(body, ask=answer.ask)
    Answer.objects.filter(pk=answer.pk).update(body=text, updated_at=timezone.now())
    answer.refresh_from_db()
    return answer


def answer_mark_helpful(
    *, user: User, ask_public_id: str, answer_public_id: str, helpful: bool = True
) -> Answer:
    """The asker marks an answer as what helped (or takes the mark back). The answerer is
    told once, the first time; repeating the mark changes nothing."""
    if not isinstance(helpful, bool):
        raise AskInvalid("Say true or false.", field="helpful")
    viewer = Viewer.for_user(user)
    answer = answer_get_for_ask(
        viewer=viewer, ask_public_id=ask_public_id, answer_public_id=answer_public_id
    )
    ask = answer.ask
    if ask.author_id != user.pk:
        raise NotAskAuthor("Only the member who posted it can mark what helped.")
    with transaction.atomic():
        if helpful:
            moved = Answer.objects.filter(pk=answer.pk, helpful=False).update(
                helpful=True, marked_at=timezone.now()
            )
            if moved:
                url = reverse("asks:detail", kwargs={"public_id": ask.public_id})
                what = "that they helped you" if ask.is_offer else "your answer as helpful"
                notify(
                    recipient=answer.author,
                    kind="asks.helpful",
                    text=f"{_display_name(user)} marked {what}: {ask.title}",
                    url=f"{url}#answer-{answer.public_id}",
                    actor=user,
                    thread_key=f"ask:{ask.pk}",
                )
        else:
            Answer.objects.filter(pk=answer.pk, helpful=True).update(helpful=False, marked_at=None)
    answer.refresh_from_db()
    return answer
