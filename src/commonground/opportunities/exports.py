"""A member's own opportunities data as JSON: what they posted, their referrals, their
interest and their signal. Only what the visibility rules let them see."""

from __future__ import annotations

from django.db.models import QuerySet

from commonground.opportunities.models import InterestExpression, OpenToSignal, Opportunity
from commonground.opportunities.selectors.opportunities import opportunity_list_mine
from commonground.opportunities.selectors.referrals import (
    referral_view_fields,
    referrals_visible_to,
)
from commonground.opportunities.selectors.visibility import q_opportunity_visible_to
from commonground.profiles.selectors import Viewer


def member_export(*, viewer: Viewer) -> dict[str, object]:
    if viewer.user_id is None:
        return {}
    posted = [
        {
            "id": v.public_id,
            "kind": v.opportunity.kind,
            "title": v.opportunity.title,
            "organization": v.opportunity.organization,
            "description": v.opportunity.description,
            "status": v.opportunity.status,
            "audience": v.opportunity.audience,
            "expires_at": v.opportunity.expires_at,
            "created_at": v.opportunity.created_at,
        }
        for v in opportunity_list_mine(viewer=viewer)
    ]
    referrals = [
        referral_view_fields(r, viewer=viewer)
        for r in referrals_visible_to(viewer).order_by("-created_at")
    ]
    interest = [
        {"opportunity": row.opportunity.public_id, "title": row.opportunity.title, "note": row.note}
        for row in InterestExpression.objects.filter(
            member_id=viewer.user_id, opportunity__in=_visible(viewer)
        ).select_related("opportunity")
    ]
    signal = OpenToSignal.objects.filter(user_id=viewer.user_id).first()
    return {
        "opportunities_posted": posted,
        "referrals": referrals,
        "interest_expressed": interest,
        "open_to_signal": (
            {"kinds": signal.kinds, "note": signal.note, "audience": signal.audience}
            if signal
            else None
        ),
    }


def _visible(viewer: Viewer) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(q_opportunity_visible_to(viewer))
