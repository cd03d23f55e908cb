"""The network app's error codes: each is an ApplicationError the API maps to a status."""

from commonground.core.errors import Conflict, NotFound, RateLimited, ValidationFailed


class RequestNotFound(NotFound):
    code = "request_not_found"


class ConnectionNotFound(NotFound):
    code = "connection_not_found"


class BlockNotFound(NotFound):
    code = "block_not_found"


class MuteNotFound(NotFound):
    code = "mute_not_found"


class SelfRelation(ValidationFailed):
    code = "self"


class AlreadyConnected(Conflict):
    code = "already_connected"


class RequestNotPending(Conflict):
    code = "request_not_pending"


class RequestsToStrangersLimited(RateLimited):
    code = "rate_limited"


class IntroductionNotFound(NotFound):
    code = "introduction_not_found"


class IntroductionNotPending(Conflict):
    code = "introduction_not_pending"


class IntroductionInvalid(ValidationFailed):
    code = "introduction_invalid"


class NotYourConnection(ValidationFailed):
    code = "not_connected"


class IntroductionsLimited(RateLimited):
    code = "rate_limited"


class NoteNotFound(NotFound):
    code = "note_not_found"


class KeepInTouchNotFound(NotFound):
    code = "keep_in_touch_not_found"


class ReminderNotFound(NotFound):
    code = "reminder_not_found"


class ArticlesLimited(RateLimited):
    code = "rate_limited"
