"""Sharing an article with a connection: a link and a note; the contact is notified."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.errors import ValidationFailed
from commonground.core.validation import clean_text
from commonground.network.errors import ArticlesLimited, NotYourConnection, SelfRelation
from commonground.network.followup_models import (
    ARTICLE_NOTE_MAX_LENGTH,
    ARTICLE_URL_MAX_LENGTH,
    SharedArticle,
)
from commonground.network.services.members import lock_member, member_for, name_of
from commonground.notifications.services import notify
from commonground.profiles.selectors import Viewer

ARTICLES_PER_DAY = 50
_URL = URLValidator(schemes=["http", "https"])


def articles_per_day() -> int:
    return int(getattr(settings, "SHARED_ARTICLES_PER_DAY", ARTICLES_PER_DAY))


def article_url_clean(url: str) -> str:
    """An absolute http(s) address, or a clear error on the field 'url'."""
    text = clean_text(url, field="url", max_length=ARTICLE_URL_MAX_LENGTH, required=True)
    try:
        _URL(text)
    except ValidationError:
        raise ValidationFailed(
            "Enter a full web address starting with http:// or https://.", field="url"
        ) from None
    return text


def article_share(
    *, sender: User, contact_public_id: str, url: str, note: str = ""
) -> SharedArticle:
    """Share a link with one of your connections, with a note; they are notified."""
    address = article_url_clean(url)
    text = clean_text(note, field="note", max_length=ARTICLE_NOTE_MAX_LENGTH)
    if contact_public_id == sender.public_id:
        raise SelfRelation("Share articles with other members.", field="member")
    with transaction.atomic():
        lock_member(user_id=sender.pk)
        # Checked under the lock a block or a removal also takes, not before it (TOCTOU).
        viewer = Viewer.for_user(sender)
        contact = member_for(viewer=viewer, public_id=contact_public_id)
        if contact.pk not in viewer.connections:
            raise NotYourConnection("You can share articles with your connections.", field="member")
        limit = articles_per_day()
        since = timezone.now() - timedelta(days=1)
        if SharedArticle.objects.filter(sender=sender, created_at__gte=since).count() >= limit:
            raise ArticlesLimited(
                f"You can share at most {limit} articles a day. Try again tomorrow."
            )
        article = SharedArticle.objects.create(
            sender=sender, recipient=contact, url=address, note=text
        )
        notify(
            recipient=contact,
            kind="network.article",
            text=f"{name_of(sender)} shared an article with you.",
            url=reverse("network:articles"),
            actor=sender,
            thread_key=f"articles:{sender.public_id}",
        )
    return article
