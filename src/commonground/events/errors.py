"""The events app's error codes: each is an ApplicationError the API maps to a status."""

from commonground.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class EventNotFound(NotFound):
    code = "event_not_found"


class RsvpNotFound(NotFound):
    code = "rsvp_not_found"


class EventInvalid(ValidationFailed):
    code = "invalid"


class NotEventOrganizer(PermissionDenied):
    code = "not_organizer"


class NotGoing(PermissionDenied):
    code = "not_going"


class EventClosed(Conflict):
    """Cancelled, or already over."""

    code = "event_closed"


class NotPendingApproval(Conflict):
    code = "not_pending"


class CapacityTooLow(Conflict):
    code = "capacity_too_low"


class PlanImpossible(Conflict):
    code = "plan_impossible"
