"""The notifications app's error codes: each is an ApplicationError the API maps to a status."""

from commonground.core.errors import NotFound, ValidationFailed


class NotificationNotFound(NotFound):
    code = "notification_not_found"


class PreferenceInvalid(ValidationFailed):
    code = "invalid"


class UnsubscribeLinkInvalid(ValidationFailed):
    code = "unsubscribe_link_invalid"


class UnsubscribeLinkExpired(ValidationFailed):
    code = "unsubscribe_link_expired"
