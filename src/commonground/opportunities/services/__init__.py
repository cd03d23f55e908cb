"""Opportunity writes, one module per sub-domain."""

from commonground.opportunities.services.opportunities import (
    opportunity_close_expired,
    opportunity_create,
    opportunity_match_notify,
    opportunity_status_set,
)
from commonground.opportunities.services.referrals import (
    interest_express,
    referral_candidate_answer,
    referral_create,
    referral_request_create,
    referral_request_decline,
    referral_status_set,
    referral_withdraw,
)
from commonground.opportunities.services.signals import open_to_signal_clear, open_to_signal_set

__all__ = [
    "interest_express",
    "open_to_signal_clear",
    "open_to_signal_set",
    "opportunity_close_expired",
    "opportunity_create",
    "opportunity_match_notify",
    "opportunity_status_set",
    "referral_candidate_answer",
    "referral_create",
    "referral_request_create",
    "referral_request_decline",
    "referral_status_set",
    "referral_withdraw",
]
