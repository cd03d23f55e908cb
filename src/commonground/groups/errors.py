"""The groups app's error codes: each is an ApplicationError the API maps to a status."""

from commonground.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    ValidationFailed,
)


class GroupNotFound(NotFound):
    code = "group_not_found"


class MembershipNotFound(NotFound):
    code = "membership_not_found"


class GroupInvalid(ValidationFailed):
    code = "invalid"


class NotOrganizer(PermissionDenied):
    code = "not_organizer"


class NotOwner(PermissionDenied):
    code = "not_owner"


class NotGroupMember(PermissionDenied):
    code = "not_member"


class InvitationRequired(PermissionDenied):
    code = "invitation_required"


class AlreadyMember(Conflict):
    code = "already_member"


class OwnerMustTransfer(Conflict):
    code = "owner_must_transfer"


class OwnerCannotBeRemoved(Conflict):
    code = "owner_cannot_be_removed"


class NotPending(Conflict):
    code = "not_pending"


class PostNotFound(NotFound):
    code = "post_not_found"


class CommentNotFound(NotFound):
    code = "comment_not_found"


class PostLocked(Conflict):
    code = "post_locked"


class PostRemoved(Conflict):
    code = "post_removed"


class AnnouncementNotAllowed(Conflict):
    code = "announcement_not_allowed"


class AnnouncementRateLimited(RateLimited):
    code = "announcement_rate_limited"
