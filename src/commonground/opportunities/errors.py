"""The opportunities app's error codes: each is an ApplicationError the API maps to a status."""

from commonground.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class OpportunityNotFound(NotFound):
    """Missing, or outside the viewer's audience: the two answer the same."""

    code = "opportunity_not_found"


class ReferralNotFound(NotFound):
    code = "referral_not_found"


class OpportunityInvalid(ValidationFailed):
    code = "invalid"


class NotPoster(PermissionDenied):
    code = "not_poster"


class NotConnected(PermissionDenied):
    code = "not_connected"


class OpportunityClosed(Conflict):
    code = "opportunity_closed"


class CannotRefer(Conflict):
    """The candidate can't be referred to this opportunity by this member: they block the
    poster, or somebody else's referral of them is active. One answer for both, so a referrer
    never learns that a connection is already in the running for a job (a quiet job search)."""

    code = "cannot_refer"


class BadTransition(Conflict):
    code = "bad_transition"
