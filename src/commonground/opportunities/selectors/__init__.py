"""Opportunity reads. The one visibility rule is `q_opportunity_visible_to` /
`opportunity_visible` (selectors/visibility.py); every read here goes through it."""

from commonground.opportunities.selectors.matching import (
    PersonFit,
    fitting_member_ids,
    opportunity_list_for_you,
    people_who_fit,
)
from commonground.opportunities.selectors.opportunities import (
    OpportunityView,
    opportunities_visible_to,
    opportunity_get,
    opportunity_list,
    opportunity_list_mine,
)
from commonground.opportunities.selectors.referrals import (
    ReferralLists,
    connections_at_organization,
    interest_expressions_for,
    q_referral_visible_to,
    referral_get,
    referral_lists_for,
    referrals_for_opportunity,
)
from commonground.opportunities.selectors.signals import (
    open_to_signal_get,
    open_to_signal_visible,
    q_open_to_signal_visible_to,
)
from commonground.opportunities.selectors.visibility import (
    opportunity_is_open,
    opportunity_visible,
    q_opportunity_open,
    q_opportunity_visible_to,
)

__all__ = [
    "OpportunityView",
    "PersonFit",
    "ReferralLists",
    "connections_at_organization",
    "fitting_member_ids",
    "interest_expressions_for",
    "open_to_signal_get",
    "open_to_signal_visible",
    "opportunities_visible_to",
    "opportunity_get",
    "opportunity_is_open",
    "opportunity_list",
    "opportunity_list_for_you",
    "opportunity_list_mine",
    "opportunity_visible",
    "people_who_fit",
    "q_open_to_signal_visible_to",
    "q_opportunity_open",
    "q_opportunity_visible_to",
    "q_referral_visible_to",
    "referral_get",
    "referral_lists_for",
    "referrals_for_opportunity",
]
