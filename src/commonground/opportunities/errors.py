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


class AlreadyReferred(Conflict):
    code = "already_referred"


class BadTransition(Conflict):
    code = "bad_transition"
