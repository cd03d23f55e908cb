from commonground.core.errors import NotFound, ValidationFailed


class TokenNotFound(NotFound):
    code = "token_not_found"


class TokenLimitReached(ValidationFailed):
    code = "token_limit"
