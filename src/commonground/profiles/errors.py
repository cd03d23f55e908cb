from commonground.core.errors import NotFound, ValidationFailed


class MemberNotFound(NotFound):
    code = "member_not_found"


class OnboardingIncomplete(ValidationFailed):
    code = "onboarding_incomplete"
