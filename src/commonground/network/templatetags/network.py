"""Template helpers for pages other apps own (a member's page, 'For you')."""

from __future__ import annotations

from typing import Any

from django import template

from commonground.network.selectors import (
    Relationship,
    connection_note_suggestion,
    relationship_get,
)
from commonground.profiles.selectors import MemberView, Viewer

register = template.Library()


@register.filter
def connection_note(member: MemberView) -> str:
    """The icebreaker a request's note starts with."""
    return connection_note_suggestion(recipient=member)


@register.simple_tag(takes_context=True)
def relationship_with(context: dict[str, Any], member: MemberView) -> Relationship:
    request = context["request"]
    return relationship_get(viewer=Viewer.for_user(request.user), public_id=member.public_id)
