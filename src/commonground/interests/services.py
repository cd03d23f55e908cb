"""Interest writes: the taxonomy, community-added interests, and a member's interests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, F, FloatField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from commonground.accounts.models import User
from commonground.core.errors import ValidationFailed
from commonground.core.validation import clean_text
from commonground.interests import text as interest_text
from commonground.interests.errors import (
    InterestAlreadyAdded,
    InterestNotFound,
    InterestUnknown,
    TooManyInterests,
)
from commonground.interests.models import (
    Intensity,
    Interest,
    InterestAlias,
    InterestKind,
    InterestStatus,
    MemberInterest,
    MemberInterestKind,
    MemberInterestNorm,
)
from commonground.interests.taxonomy import TAXONOMY_PATH, load_taxonomy
from commonground.interests.weights import INTENSITY_WEIGHT, inverse_norm

MAX_INTERESTS_PER_MEMBER = 90


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "interest")[:80]
    slug, n = base, 2
    while Interest.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def taxonomy_load(*, path: Path = TAXONOMY_PATH) -> tuple[int, int]:
    """Upsert the shipped taxonomy; idempotent. Returns (interests created, aliases created)."""
    with transaction.atomic():
        return load_taxonomy(Interest, InterestAlias, path)


def interest_create_community(*, name: str, created_by: User | None) -> Interest:
    """A truly new interest, usable at once and marked for moderators to approve or merge."""
    name = clean_text(name, field="name", max_length=80, required=True)
    if len(name) < 2:
        raise ValidationFailed("An interest needs at least 2 characters.", field="name")
    key = interest_text.normalize(name)
    match = interest_text.resolve(name)
    if match is not None and match.how != "fuzzy":
        return Interest.objects.get(pk=match.interest_id)
    try:
        with transaction.atomic():
            return Interest.objects.create(
                name=name,
                name_key=key,
                slug=_unique_slug(name),
                kind=InterestKind.OTHER,
                status=InterestStatus.PENDING,
                created_by=created_by,
            )
    except IntegrityError:
        return Interest.objects.get(name_key=key)


def interest_approve(*, interest: Interest, kind: str | None = None) -> Interest:
    interest.status = InterestStatus.CANONICAL
    if kind is not None:
        interest.kind = kind
    interest.save(update_fields=["status", "kind", "updated_at"])
    return interest


@transaction.atomic
def interest_merge(*, source: Interest, target: Interest) -> Interest:
    """Fold a duplicate into the canonical interest: members move, the name becomes an alias."""
    if source.pk == target.pk:
        raise ValidationFailed("An interest cannot be merged into itself.", field="target")
    if target.status == InterestStatus.MERGED:
        raise ValidationFailed("Merge into a live interest, not a merged one.", field="target")
    already = set(MemberInterest.objects.filter(interest=target).values_list("user_id", flat=True))
    moving = MemberInterest.objects.filter(interest=source).exclude(user_id__in=already)
    moved = moving.update(interest=target)
    MemberInterest.objects.filter(interest=source).delete()
    Interest.objects.filter(pk=target.pk).update(member_count=F("member_count") + moved)
    InterestAlias.objects.filter(interest=source).update(interest=target)
    if not InterestAlias.objects.filter(alias_key=source.name_key).exists():
        InterestAlias.objects.create(interest=target, alias=source.name, alias_key=source.name_key)
    source.status = InterestStatus.MERGED
    source.merged_into = target
    source.member_count = 0
    # The name key stays unique on the merged row; the alias above resolves it to the target.
    source.save(update_fields=["status", "merged_into", "member_count", "updated_at"])
    target.refresh_from_db()
    return target


def _live(interest: Interest) -> Interest:
    seen = 0
    while interest.status == InterestStatus.MERGED and interest.merged_into_id and seen < 5:
        interest = Interest.objects.get(pk=interest.merged_into_id)
        seen += 1
    return interest


def interest_for_text(*, text: str, user: User | None, allow_new: bool) -> Interest:
    """What the member meant: a canonical interest, a nickname's target, a typo's fix, or new."""
    text = clean_text(text, field="interest", max_length=80, required=True)
    match = interest_text.resolve(text)
    if match is not None:
        return _live(Interest.objects.get(pk=match.interest_id))
    if allow_new:
        return interest_create_community(name=text, created_by=user)
    close = [Interest.objects.get(pk=m.interest_id).name for m in interest_text.suggest(text)[:3]]
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise InterestUnknown(
        f"We don't know “{text}” yet.{hint} You can also add it as a new interest.",
        field="interest",
    )


def _interests_changed(user_id: int) -> None:
    """Refresh the member's stored norm now, and their suggestions in the background."""
    from commonground.suggestions.tasks import refresh_member_suggestions

    member_interest_norms_refresh(user_ids=[user_id])
    transaction.on_commit(lambda: refresh_member_suggestions.enqueue(user_id))


_NORM_BATCH = 5_000


def member_interest_norms_refresh(*, user_ids: list[int] | None = None) -> int:
    """Store each member's interest norm as the engine weighs it (everybody when ``user_ids``
    is None: rarity drifts as the community grows). Returns the members written.
    """
    from commonground.profiles.selectors import total_members

    total = total_members()
    links = MemberInterest.objects.order_by("user_id").values_list(
        "user_id", "intensity", "interest__member_count"
    )
    if user_ids is not None:
        links = links.filter(user_id__in=user_ids)
    rows: dict[int, list[tuple[int, int]]] = {uid: [] for uid in user_ids or []}
    for user_id, intensity, count in links.iterator(chunk_size=_NORM_BATCH):
        rows.setdefault(user_id, []).append((intensity, count))
    norms = [
        MemberInterestNorm(user_id=uid, inverse=inverse_norm(pairs, total))
        for uid, pairs in rows.items()
    ]
    with transaction.atomic():
        if user_ids is None:
            holds = MemberInterest.objects.filter(user_id=OuterRef("user_id"))
            MemberInterestNorm.objects.filter(~Exists(holds)).delete()
        MemberInterestNorm.objects.bulk_create(
            norms,
            batch_size=_NORM_BATCH,
            update_conflicts=True,
            unique_fields=["user"],
            update_fields=["inverse"],
        )
        links_to_weigh = MemberInterest.objects.all()
        if user_ids is not None:
            links_to_weigh = links_to_weigh.filter(user_id__in=user_ids)
        norm_of = MemberInterestNorm.objects.filter(user_id=OuterRef("user_id")).values("inverse")
        links_to_weigh.update(
            engine_weight=_intensity_weight()
            * Coalesce(Subquery(norm_of[:1], output_field=FloatField()), Value(0.0))
        )
    return len(norms)


def _intensity_weight() -> Case:
    """``INTENSITY_WEIGHT[intensity]`` of a member-interest row, in SQL."""
    return Case(
        *(When(intensity=level, then=Value(w)) for level, w in INTENSITY_WEIGHT.items()),
        default=Value(1.0),
        output_field=FloatField(),
    )


def _check_choice(value: object, allowed: Iterable[object], field: str) -> None:
    if value not in set(allowed):
        raise ValidationFailed(f"“{value}” is not a valid choice.", field=field)


def member_interest_add(
    *,
    user: User,
    interest: Interest,
    kind: str = MemberInterestKind.PASSION,
    intensity: int = Intensity.ENTHUSIAST,
) -> MemberInterest:
    _check_choice(kind, MemberInterestKind.values, "kind")
    _check_choice(intensity, Intensity.values, "intensity")
    interest = _live(interest)
    with transaction.atomic():
        if MemberInterest.objects.filter(user=user).count() >= MAX_INTERESTS_PER_MEMBER:
            raise TooManyInterests(
                f"A profile holds at most {MAX_INTERESTS_PER_MEMBER} interests.", field="interest"
            )
        try:
            with transaction.atomic():
                member_interest = MemberInterest.objects.create(
                    user=user, interest=interest, kind=kind, intensity=intensity
                )
        except IntegrityError:
            raise InterestAlreadyAdded(
                f"{interest.name} is already one of your interests.", field="interest"
            ) from None
        Interest.objects.filter(pk=interest.pk).update(member_count=F("member_count") + 1)
        _interests_changed(user.pk)
    return member_interest


def member_interest_update(
    *, user: User, interest_slug: str, kind: str | None = None, intensity: int | None = None
) -> MemberInterest:
    member_interest = (
        MemberInterest.objects.select_related("interest")
        .filter(user=user, interest__slug=interest_slug)
        .first()
    )
    if member_interest is None:
        raise InterestNotFound("That interest is not on your profile.", field="interest")
    if kind is not None:
        _check_choice(kind, MemberInterestKind.values, "kind")
        member_interest.kind = kind
    if intensity is not None:
        _check_choice(intensity, Intensity.values, "intensity")
        member_interest.intensity = intensity
    member_interest.save(update_fields=["kind", "intensity"])
    _interests_changed(user.pk)
    return member_interest


def member_interest_remove(*, user: User, interest_slug: str) -> None:
    with transaction.atomic():
        deleted = list(
            MemberInterest.objects.filter(user=user, interest__slug=interest_slug).values_list(
                "interest_id", flat=True
            )
        )
        if not deleted:
            raise InterestNotFound("That interest is not on your profile.", field="interest")
        MemberInterest.objects.filter(user=user, interest_id__in=deleted).delete()
        Interest.objects.filter(pk__in=deleted, member_count__gt=0).update(
            member_count=F("member_count") - 1
        )
        _interests_changed(user.pk)


def member_interest_counts_rebuild() -> int:
    """Recount every interest's members, then every member's engine weights (after bulk
    imports). Returns interests updated."""
    from django.db.models import Count

    counts = (
        MemberInterest.objects.filter(interest=OuterRef("pk"))
        .values("interest")
        .annotate(n=Count("id"))
        .values("n")
    )
    updated = Interest.objects.update(member_count=Coalesce(Subquery(counts), 0))
    member_interest_norms_refresh()
    return updated
