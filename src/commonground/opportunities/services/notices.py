"""Telling members: every notification of this app goes through here, and only to members
the visibility rule lets see what the text names."""

from __future__ import annotations

from django.urls import reverse

from commonground.accounts.models import User
from commonground.notifications import services as notifications
from commonground.opportunities.models import Opportunity
from commonground.opportunities.selectors.visibility import opportunity_visible
from commonground.profiles.selectors import Viewer

KIND_MATCH = "opportunities.match"
KIND_REFERRAL = "opportunities.referral"


def opportunity_url(opportunity: Opportunity) -> str:
    return reverse("opportunities:detail", args=[opportunity.public_id])


def display_name(user: User) -> str:
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or "A member"


def tell(
    *,
    recipient: User,
    opportunity: Opportunity,
    kind: str,
    text: str,
    actor: User | None = None,
    url: str = "",
) -> bool:
    """Notify one member about an opportunity, if and only if they may see it."""
    if not opportunity_visible(opportunity=opportunity, viewer=Viewer.for_user(recipient)):
        return False
    notifications.notify(
        recipient=recipient,
        kind=kind,
        text=text,
        url=url or opportunity_url(opportunity),
        actor=actor,
        thread_key=f"opportunity:{opportunity.public_id}",
    )
    return True
