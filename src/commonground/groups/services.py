"""Group writes: create and update, and every membership transition.

Each service validates first, then owns its transaction. Uniqueness is the database's: one
membership row per (group, member) and one owner per group, so concurrent repeats of the
same action insert once and answer with what is there. State changes are conditional
UPDATEs (…WHERE state = 'requested'), so two organizers approving at once count once.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import F

from commonground.accounts.models import User
from commonground.core.errors import Conflict
from commonground.core.validation import clean_text, is_public_id
from commonground.groups.errors import (
    AlreadyMember,
    GroupInvalid,
    InvitationRequired,
    MembershipNotFound,
    NotGroupMember,
    NotOrganizer,
    NotOwner,
    NotPending,
    OwnerCannotBeRemoved,
    OwnerMustTransfer,
)
from commonground.groups.models import (
    DESCRIPTION_MAX_LENGTH,
    MAX_GROUP_INTERESTS,
    NAME_MAX_LENGTH,
    Group,
    GroupScope,
    GroupVisibility,
    Membership,
    MembershipRole,
    MembershipState,
)
from commonground.groups.niches import niche_forget_covered
from commonground.groups.selectors import GroupView, group_get
from commonground.interests.models import Interest, InterestStatus
from commonground.network.services.members import member_for
from commonground.profiles.selectors import Viewer

Role = MembershipRole
State = MembershipState
# The place fields each scope requires.
_PLACE_NEEDS = {
    GroupScope.LOCAL: ("city", "country"),
    GroupScope.REGIONAL: ("region", "country"),
    GroupScope.NATIONAL: ("country",),
    GroupScope.VIRTUAL: (),
}


def _clean_group_fields(
    *,
    name: str,
    description: str,
    interests: Sequence[Interest],
    scope: str,
    city: str,
    region: str,
    country: str,
    visibility: str,
) -> dict[str, object]:
    name = clean_text(name, field="name", max_length=NAME_MAX_LENGTH, required=True)
    if len(name) < 3:
        raise GroupInvalid("A group's name needs at least 3 characters.", field="name")
    description = clean_text(description, field="description", max_length=DESCRIPTION_MAX_LENGTH)
    unique = list({i.pk: i for i in interests}.values())
    if not unique:
        raise GroupInvalid("A group needs at least one interest.", field="interests")
    if len(unique) > MAX_GROUP_INTERESTS:
        raise GroupInvalid(
            f"A group combines at most {MAX_GROUP_INTERESTS} interests.", field="interests"
        )
    if any(i.status == InterestStatus.MERGED for i in unique):
        raise GroupInvalid("Use the interest it was merged into.", field="interests")
    if scope not in GroupScope.values:
        raise GroupInvalid("Choose local, regional, national or virtual.", field="scope")
    if visibility not in GroupVisibility.values:
        raise GroupInvalid("Choose public, private or secret.", field="visibility")
    place = {
        "city": clean_text(city, field="city", max_length=80),
        "region": clean_text(region, field="region", max_length=80),
        "country": clean_text(country, field="country", max_length=80),
    }
    needs = _PLACE_NEEDS[GroupScope(scope)]
    for level in needs:
        if not place[level]:
            raise GroupInvalid(f"A {scope} group needs its {level}.", field=level)
    # A group keeps only the place its scope uses: a national group has no city.
    place = {level: value if level in needs else "" for level, value in place.items()}
    return {
        "name": name,
        "description": description,
        "interests": unique,
        "scope": scope,
        "visibility": visibility,
        **place,
        **{f"{level}_key": value.casefold() for level, value in place.items()},
    }


def group_create(
    *,
    user: User,
    name: str,
    interests: Sequence[Interest],
    description: str = "",
    scope: str = GroupScope.VIRTUAL,
    city: str = "",
    region: str = "",
    country: str = "",
    visibility: str = GroupVisibility.PUBLIC,
) -> Group:
    """A new group; its creator is its owner and first member."""
    fields = _clean_group_fields(
        name=name,
        description=description,
        interests=interests,
        scope=scope,
        city=city,
        region=region,
        country=country,
        visibility=visibility,
    )
    chosen = fields.pop("interests")
    with transaction.atomic():
        group = Group.objects.create(**fields, created_by=user, member_count=1)
        group.interests.set(chosen)  # type: ignore[arg-type]
        Membership.objects.create(group=group, user=user, role=Role.OWNER, state=State.ACTIVE)
        transaction.on_commit(lambda: niche_forget_covered(group=group))
    return group


def group_update(
    *,
    user: User,
    slug: str,
    name: str,
    interests: Sequence[Interest],
    description: str = "",
    scope: str = GroupScope.VIRTUAL,
    city: str = "",
    region: str = "",
    country: str = "",
    visibility: str = GroupVisibility.PUBLIC,
) -> Group:
    """Change what a group is; organizers and the owner only."""
    view = _as_organizer(user=user, slug=slug)
    fields = _clean_group_fields(
        name=name,
        description=description,
        interests=interests,
        scope=scope,
        city=city,
        region=region,
        country=country,
        visibility=visibility,
    )
    chosen = fields.pop("interests")
    with transaction.atomic():
        Group.objects.filter(pk=view.group.pk).update(**fields)
        view.group.interests.set(chosen)  # type: ignore[arg-type]
        pk = view.group.pk
        transaction.on_commit(lambda: niche_forget_covered(group=Group.objects.get(pk=pk)))
    view.group.refresh_from_db()
    return view.group


def _view(*, user: User, slug: str) -> GroupView:
    return group_get(viewer=Viewer.for_user(user), slug=slug)


def _as_organizer(*, user: User, slug: str) -> GroupView:
    view = _view(user=user, slug=slug)
    if not view.is_organizer:
        raise NotOrganizer("Only the group's organizers can do that.")
    return view


def _as_owner(*, user: User, slug: str) -> GroupView:
    view = _view(user=user, slug=slug)
    if not view.is_owner:
        raise NotOwner("Only the group's owner can do that.")
    return view


def _count(group_id: int, delta: int) -> None:
    Group.objects.filter(pk=group_id).update(member_count=F("member_count") + delta)


def _activate(membership_pk: int, group_id: int, *, from_state: str) -> bool:
    """Move one membership to active if it is still in from_state; count it once."""
    moved = Membership.objects.filter(pk=membership_pk, state=from_state).update(state=State.ACTIVE)
    if moved:
        _count(group_id, +1)
    return bool(moved)


def group_join(*, user: User, slug: str) -> Membership:
    """Join a public group, ask to join a private one, or accept an invitation to any.

    Repeating it answers with the membership already there."""
    view = _view(user=user, slug=slug)
    group = view.group
    current = view.membership
    if current is not None and current.state == State.INVITED:
        return group_invite_accept(user=user, slug=slug)
    if current is not None:
        return current
    if group.visibility == GroupVisibility.SECRET:
        raise InvitationRequired("This group is by invitation only.")
    state = State.ACTIVE if group.visibility == GroupVisibility.PUBLIC else State.REQUESTED
    with transaction.atomic():
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    group=group, user=user, role=Role.MEMBER, state=state
                )
        except IntegrityError:
            existing = Membership.objects.filter(group=group, user=user).first()
            if existing is None:
                raise Conflict("Something else changed at the same time. Try again.") from None
            return existing
        if state == State.ACTIVE:
            _count(group.pk, +1)
    return membership


def group_leave(*, user: User, slug: str) -> None:
    """Leave a group, or withdraw a request to join. The owner must hand over first."""
    view = _view(user=user, slug=slug)
    current = view.membership
    if current is None or current.state == State.INVITED:
        raise NotGroupMember("You are not a member of this group.")
    if current.role == Role.OWNER:
        raise OwnerMustTransfer("Hand the group to another member before you leave it.")
    with transaction.atomic():
        deleted, _ = Membership.objects.filter(pk=current.pk, state=current.state).delete()
        if deleted and current.state == State.ACTIVE:
            _count(view.group.pk, -1)


def _member_row(*, group: Group, member_public_id: str) -> Membership:
    if not is_public_id(member_public_id):
        # Junk (a NUL byte would make PostgreSQL fail) is an unknown member, like any other.
        raise MembershipNotFound("No such member, request or invitation in this group.")
    row = (
        Membership.objects.filter(group=group, user__public_id=member_public_id)
        .select_related("user")
        .first()
    )
    if row is None:
        raise MembershipNotFound("No such member, request or invitation in this group.")
    return row


def group_request_approve(*, user: User, slug: str, member_public_id: str) -> Membership:
    """Let a member who asked in. Approving twice answers with the same membership."""
    view = _as_organizer(user=user, slug=slug)
    row = _member_row(group=view.group, member_public_id=member_public_id)
    if row.state == State.INVITED:
        raise NotPending("They have not asked to join; they have an invitation to accept.")
    with transaction.atomic():
        _activate(row.pk, view.group.pk, from_state=State.REQUESTED)
    row.refresh_from_db()
    return row


def group_request_decline(*, user: User, slug: str, member_public_id: str) -> None:
    """Turn down a request to join. The member is not told."""
    view = _as_organizer(user=user, slug=slug)
    row = _member_row(group=view.group, member_public_id=member_public_id)
    if row.state != State.REQUESTED:
        raise NotPending("There is no request from them waiting.")
    Membership.objects.filter(pk=row.pk, state=State.REQUESTED).delete()


def group_invite(*, user: User, slug: str, member_public_id: str) -> Membership:
    """Invite a member. An invitation to someone who asked to join lets them in."""
    view = _as_organizer(user=user, slug=slug)
    invitee = member_for(viewer=Viewer.for_user(user), public_id=member_public_id)
    with transaction.atomic():
        try:
            with transaction.atomic():
                return Membership.objects.create(
                    group=view.group,
                    user=invitee,
                    role=Role.MEMBER,
                    state=State.INVITED,
                    invited_by=user,
                )
        except IntegrityError:
            pass
        row = Membership.objects.get(group=view.group, user=invitee)
        if row.state == State.ACTIVE:
            raise AlreadyMember("They are already a member.", field="member")
        if row.state == State.REQUESTED:
            _activate(row.pk, view.group.pk, from_state=State.REQUESTED)
            row.refresh_from_db()
        return row


def group_invite_accept(*, user: User, slug: str) -> Membership:
    view = _view(user=user, slug=slug)
    current = view.membership
    if current is None or current.state == State.REQUESTED:
        raise MembershipNotFound("You have no invitation to this group.")
    with transaction.atomic():
        _activate(current.pk, view.group.pk, from_state=State.INVITED)
    current.refresh_from_db()
    return current


def group_invite_decline(*, user: User, slug: str) -> None:
    """Decline an invitation. A secret group then disappears for the member again."""
    view = _view(user=user, slug=slug)
    current = view.membership
    if current is None or current.state != State.INVITED:
        raise MembershipNotFound("You have no invitation to this group.")
    Membership.objects.filter(pk=current.pk, state=State.INVITED).delete()


def group_member_remove(*, user: User, slug: str, member_public_id: str) -> None:
    """Remove a member or withdraw an invitation; organizers only, never the owner.
    Organizers can remove members; only the owner removes an organizer."""
    view = _as_organizer(user=user, slug=slug)
    row = _member_row(group=view.group, member_public_id=member_public_id)
    if row.role == Role.OWNER:
        raise OwnerCannotBeRemoved("The owner can't be removed.")
    if row.role == Role.ORGANIZER and not view.is_owner:
        raise NotOwner("Only the owner can remove an organizer.")
    with transaction.atomic():
        deleted, _ = Membership.objects.filter(pk=row.pk, state=row.state).delete()
        if deleted and row.state == State.ACTIVE:
            _count(view.group.pk, -1)


def group_role_set(*, user: User, slug: str, member_public_id: str, role: str) -> Membership:
    """Promote a member to organizer or back; the owner only."""
    if role not in (Role.ORGANIZER, Role.MEMBER):
        raise GroupInvalid("Choose organizer or member.", field="role")
    view = _as_owner(user=user, slug=slug)
    row = _member_row(group=view.group, member_public_id=member_public_id)
    if row.role == Role.OWNER:
        raise OwnerMustTransfer("Hand the group over instead.")
    if row.state != State.ACTIVE:
        raise MembershipNotFound("Only members can be organizers.")
    Membership.objects.filter(pk=row.pk, state=State.ACTIVE).exclude(role=Role.OWNER).update(
        role=role
    )
    row.refresh_from_db()
    return row


def group_ownership_transfer(*, user: User, slug: str, member_public_id: str) -> Membership:
    """Hand the group to another active member; the old owner stays as an organizer."""
    view = _as_owner(user=user, slug=slug)
    row = _member_row(group=view.group, member_public_id=member_public_id)
    if row.state != State.ACTIVE:
        raise MembershipNotFound("Only members can own the group.")
    if row.role == Role.OWNER:
        return row
    with transaction.atomic():
        # Demote first: the one-owner constraint holds at every statement.
        demoted = Membership.objects.filter(group=view.group, user=user, role=Role.OWNER).update(
            role=Role.ORGANIZER
        )
        promoted = Membership.objects.filter(pk=row.pk, state=State.ACTIVE).update(role=Role.OWNER)
        if not (demoted and promoted):
            raise Conflict("Something else changed at the same time. Try again.")
    row.refresh_from_db()
    return row
