"""Template helpers for pages other apps own (a member's page, 'For you')."""

from __future__ import annotations

from typing import Any

from django import template

from commonground.accounts.models import User
from commonground.network.followup_models import CADENCE_CHOICES
from commonground.network.selectors import (
    Relationship,
    connection_note_suggestion,
    relationship_get,
)
from commonground.network.selectors_followups import ContactFollowup, contact_followup_get
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


@register.simple_tag(takes_context=True)
def followup_with(context: dict[str, Any], member: MemberView) -> ContactFollowup:
    """The viewer's own notes, cadence and thank-yous about this member."""
    request = context["request"]
    viewer = Viewer.for_user(request.user)
    contact_id = (
        User.objects.filter(public_id=member.public_id, is_active=True)
        .values_list("pk", flat=True)
        .first()
    )
    if contact_id is None:
        return ContactFollowup(notes=[], keep_in_touch=None, thank_yous=[])
    return contact_followup_get(viewer=viewer, contact_id=contact_id)


@register.simple_tag
def cadence_choices() -> tuple[int, ...]:
    return CADENCE_CHOICES
