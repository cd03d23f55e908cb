"""THE visibility rule for opportunities. Every channel (pages, lists, search, "for you", the
API, referrals, notifications, export, the admin for staff without the view permission) asks
it, so no two channels can disagree.

Who sees an opportunity:
- its poster, always;
- never anyone blocked by the poster or blocking them, whatever the audience;
- otherwise, by the audience the poster chose: every signed-in member (everyone); the poster's
  connections (connections); those and their connections (second_degree); the CURRENT active
  members of any audience group (groups: a member who left loses it); the named members
  (named);
- and a candidate someone referred to it: the referrer shared it with them.
Anonymous visitors see nothing. Staff are members like any other here; the admin is theirs.
Closed, filled and expired opportunities stay visible to the same people, marked closed; the
lists of open opportunities leave them out.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from commonground.groups.models import Membership, MembershipState
from commonground.network.models import Connection
from commonground.opportunities.models import Audience, Opportunity, OpportunityStatus, Referral
from commonground.profiles.selectors import Viewer


def q_opportunity_visible_to(viewer: Viewer) -> Q:
    """The rule as a filter on Opportunity, for lists, search, counts and single reads."""
    if viewer.user_id is None:
        return Q(pk__in=[])
    user_id = viewer.user_id
    connections = sorted(viewer.connections)
    in_groups = Opportunity.audience_groups.through.objects.filter(
        group_id__in=Membership.objects.filter(
            user_id=user_id, state=MembershipState.ACTIVE
        ).values("group_id")
    ).values("opportunity_id")
    named = Opportunity.audience_members.through.objects.filter(user_id=user_id).values(
        "opportunity_id"
    )
    second_degree = (
        Q(poster_id__in=connections)
        | Q(
            poster_id__in=Connection.objects.filter(user_low_id__in=connections).values(
                "user_high_id"
            )
        )
        | Q(
            poster_id__in=Connection.objects.filter(user_high_id__in=connections).values(
                "user_low_id"
            )
        )
    )
    referred = Referral.objects.filter(candidate_id=user_id).values("opportunity_id")
    by_audience = (
        Q(audience=Audience.EVERYONE)
        | Q(audience=Audience.CONNECTIONS, poster_id__in=connections)
        | (Q(audience=Audience.SECOND_DEGREE) & second_degree)
        | Q(audience=Audience.GROUPS, pk__in=in_groups)
        | Q(audience=Audience.NAMED, pk__in=named)
        | Q(pk__in=referred)
    )
    if viewer.blocked:
        by_audience &= ~Q(poster_id__in=sorted(viewer.blocked))
    return Q(poster_id=user_id) | by_audience


def q_opportunity_open(now: datetime | None = None) -> Q:
    """Open and not yet expired: an expired opportunity is closed whether or not the sweep
    has run."""
    return Q(status=OpportunityStatus.OPEN, expires_at__gt=now or timezone.now())


def opportunity_visible(*, opportunity: Opportunity, viewer: Viewer) -> bool:
    """The same rule for one opportunity (one query, the same filter)."""
    if viewer.user_id is None:
        return False
    return Opportunity.objects.filter(q_opportunity_visible_to(viewer), pk=opportunity.pk).exists()


def opportunity_is_open(opportunity: Opportunity, now: datetime | None = None) -> bool:
    return opportunity.status == OpportunityStatus.OPEN and opportunity.expires_at > (
        now or timezone.now()
    )
