"""The messaging app's error codes: each is an ApplicationError the API maps to a status."""

from commonground.core.errors import NotFound, PermissionDenied, RateLimited, ValidationFailed


class ConversationNotFound(NotFound):
    """Missing, or one the viewer takes no part in: the two look the same."""

    code = "conversation_not_found"


class MessagingNotAllowed(PermissionDenied):
    code = "messaging_not_allowed"


class NotCreator(PermissionDenied):
    code = "not_creator"


class MessageInvalid(ValidationFailed):
    code = "invalid"


class TooManyMessages(RateLimited):
    code = "rate_limited"


class TooManyNewConversations(RateLimited):
    code = "rate_limited"
