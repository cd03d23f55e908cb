"""The asks app's error codes: each is an ApplicationError the API maps to a status."""

from commonground.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)


class AskNotFound(NotFound):
    code = "ask_not_found"


class AnswerNotFound(NotFound):
    code = "answer_not_found"


class AskInvalid(ValidationFailed):
    code = "invalid"


class NotAskAuthor(PermissionDenied):
    code = "not_ask_author"


class OwnAsk(PermissionDenied):
    code = "own_ask"


class AlreadyAnswered(Conflict):
    code = "already_answered"


class AskNotOpen(Conflict):
    code = "ask_not_open"


class TooManyAsks(RateLimited):
    code = "too_many_asks"
