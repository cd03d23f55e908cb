from commonground.core.errors import Conflict, NotFound, ValidationFailed


class InterestNotFound(NotFound):
    code = "interest_not_found"


class InterestUnknown(ValidationFailed):
    """Typed text matched nothing; the message offers close matches."""

    code = "interest_unknown"


class InterestAlreadyAdded(Conflict):
    code = "interest_already_added"


class TooManyInterests(ValidationFailed):
    code = "too_many_interests"
