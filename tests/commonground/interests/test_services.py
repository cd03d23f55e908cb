from __future__ import annotations

import math

import pytest

from commonground.core.errors import ValidationFailed
from commonground.interests.errors import (
    InterestAlreadyAdded,
    InterestNotFound,
    InterestUnknown,
    TooManyInterests,
)
from commonground.interests.models import Interest, InterestStatus, MemberInterest
from commonground.interests.services import (
    MAX_INTERESTS_PER_MEMBER,
    interest_for_text,
    interest_merge,
    member_interest_add,
    member_interest_counts_rebuild,
    member_interest_remove,
    member_interest_update,
)
from tests.commonground.factories import (
    InterestFactory,
    ProfileFactory,
    give_interests,
    interest_named,
)

pytestmark = pytest.mark.django_db


def _count(interest: Interest) -> int:
    return Interest.objects.get(pk=interest.pk).member_count


def test_member_interest_add_creates_the_row_and_counts_one_more_member():
    # given
    member = ProfileFactory()
    interest = InterestFactory(name="Birding")

    # when
    added = member_interest_add(user=member.user, interest=interest, kind="skill", intensity=3)

    # then
    row = MemberInterest.objects.get(user=member.user)
    assert (row.pk, row.interest_id, row.kind, row.intensity) == (added.pk, interest.pk, "skill", 3)
    assert _count(interest) == 1


def test_member_interest_add_twice_raises_and_keeps_the_count():
    # given
    member = ProfileFactory()
    interest = InterestFactory(name="Birding")
    give_interests(member, interest)

    # when
    with pytest.raises(InterestAlreadyAdded) as caught:
        member_interest_add(user=member.user, interest=interest)

    # then
    assert caught.value.message == "Birding is already one of your interests."
    assert caught.value.status == 409
    assert _count(interest) == 1
    assert MemberInterest.objects.filter(user=member.user).count() == 1


@pytest.mark.parametrize(
    ("kind", "intensity", "field"),
    [
        ("hobby", 2, "kind"),
        ("", 2, "kind"),
        ("passion", 0, "intensity"),
        ("passion", 4, "intensity"),
        ("passion", "2", "intensity"),
    ],
)
def test_member_interest_add_rejects_bad_kind_or_intensity(kind, intensity, field):
    # given
    member = ProfileFactory()
    interest = InterestFactory()

    # when
    with pytest.raises(ValidationFailed) as caught:
        member_interest_add(user=member.user, interest=interest, kind=kind, intensity=intensity)

    # then
    assert caught.value.field == field
    assert MemberInterest.objects.filter(user=member.user).count() == 0
    assert _count(interest) == 0


def test_member_interest_add_stops_at_the_cap():
    # given
    member = ProfileFactory()
    held = list(Interest.objects.order_by("pk")[:MAX_INTERESTS_PER_MEMBER])
    give_interests(member, *held)
    one_more = Interest.objects.order_by("pk")[MAX_INTERESTS_PER_MEMBER]

    # when
    with pytest.raises(TooManyInterests) as caught:
        member_interest_add(user=member.user, interest=one_more)

    # then
    assert caught.value.message == "A profile holds at most 90 interests."
    assert MemberInterest.objects.filter(user=member.user).count() == 90
    assert _count(one_more) == 0


def test_member_interest_update_changes_kind_and_intensity():
    # given
    member = ProfileFactory()
    interest = InterestFactory(name="Birding")
    give_interests(member, interest)

    # when
    member_interest_update(user=member.user, interest_slug="birding", kind="learn", intensity=1)

    # then
    row = MemberInterest.objects.get(user=member.user, interest=interest)
    assert (row.kind, row.intensity) == ("learn", 1)


def test_member_interest_update_rejects_bad_values_and_changes_nothing():
    # given
    member = ProfileFactory()
    interest = InterestFactory(name="Birding")
    give_interests(member, interest)

    # when
    with pytest.raises(ValidationFailed) as caught:
        member_interest_update(user=member.user, interest_slug="birding", kind="learn", intensity=9)

    # then
    assert caught.value.field == "intensity"
    row = MemberInterest.objects.get(user=member.user, interest=interest)
    assert (row.kind, row.intensity) == ("passion", 2)


def test_member_interest_update_of_an_interest_not_held_is_not_found():
    # given
    member = ProfileFactory()
    InterestFactory(name="Birding")

    # when / then
    with pytest.raises(InterestNotFound):
        member_interest_update(user=member.user, interest_slug="birding", kind="learn")


def test_member_interest_remove_deletes_and_counts_one_less():
    # given
    member, other = ProfileFactory(), ProfileFactory()
    interest = InterestFactory(name="Birding")
    give_interests(member, interest)
    give_interests(other, interest)

    # when
    member_interest_remove(user=member.user, interest_slug="birding")

    # then
    assert _count(interest) == 1
    assert list(MemberInterest.objects.values_list("user_id", flat=True)) == [other.user_id]


def test_member_interest_remove_of_an_interest_not_held_changes_nothing():
    # given
    member, other = ProfileFactory(), ProfileFactory()
    interest = InterestFactory(name="Birding")
    give_interests(other, interest)

    # when
    with pytest.raises(InterestNotFound):
        member_interest_remove(user=member.user, interest_slug="birding")

    # then
    assert _count(interest) == 1


@pytest.mark.parametrize(
    ("text", "expected", "how"),
    [
        ("Star Trek", "Star Trek", "exact"),
        ("  star   TREK ", "Star Trek", "exact"),
        ("Trekkie", "Star Trek", "alias"),
        ("caps", "Washington Capitals", "alias"),
        ("sourdoguh", "Sourdough baking", "fuzzy"),
    ],
)
def test_interest_for_text_resolves_names_case_nicknames_and_typos(text, expected, how):
    # given
    from commonground.interests.text import resolve

    # when
    interest = interest_for_text(text=text, user=None, allow_new=False)

    # then
    assert interest.name == expected
    assert interest.status == InterestStatus.CANONICAL
    assert resolve(text).how == how


def test_interest_for_text_unknown_without_allow_new_offers_close_matches():
    # given: close matches with distinct scores (ties would rank in index order)
    before = Interest.objects.count()

    # when
    with pytest.raises(InterestUnknown) as caught:
        interest_for_text(text="Klingon opera", user=None, allow_new=False)

    # then
    assert caught.value.code == "interest_unknown"
    assert caught.value.field == "interest"
    assert caught.value.message == (
        "We don't know “Klingon opera” yet. Did you mean Opera? "
        "You can also add it as a new interest."
    )
    assert Interest.objects.count() == before


def test_interest_for_text_far_from_everything_has_no_hint():
    # when
    with pytest.raises(InterestUnknown) as caught:
        interest_for_text(text="zzzzqqq", user=None, allow_new=False)

    # then
    assert (
        caught.value.message
        == "We don't know “zzzzqqq” yet. You can also add it as a new interest."
    )


def test_interest_for_text_rejects_control_characters_and_empty_text():
    # when / then
    with pytest.raises(ValidationFailed) as nul:
        interest_for_text(text="Star\x00Trek", user=None, allow_new=True)
    with pytest.raises(ValidationFailed) as empty:
        interest_for_text(text="   ", user=None, allow_new=True)
    assert (nul.value.field, empty.value.field) == ("interest", "interest")


def test_interest_for_text_with_allow_new_creates_one_pending_interest_even_twice():
    # given
    member = ProfileFactory()
    before = Interest.objects.count()

    # when
    first = interest_for_text(
        text="Competitive axolotl husbandry", user=member.user, allow_new=True
    )
    second = interest_for_text(
        text="competitive  AXOLOTL husbandry", user=member.user, allow_new=True
    )

    # then
    assert first.pk == second.pk
    assert Interest.objects.count() == before + 1
    created = Interest.objects.get(pk=first.pk)
    assert created.name == "Competitive axolotl husbandry"
    assert created.slug == "competitive-axolotl-husbandry"
    assert created.status == InterestStatus.PENDING
    assert created.is_pending is True
    assert created.created_by_id == member.user_id
    assert created.member_count == 0


def test_interest_merge_moves_members_collapses_duplicates_and_keeps_counts_true():
    # given
    source = InterestFactory(name="Sourdough bread making")
    target = interest_named("Sourdough baking")
    only_source, both, only_target = ProfileFactory(), ProfileFactory(), ProfileFactory()
    give_interests(only_source, source)
    give_interests(both, source, target)
    give_interests(only_target, target)

    # when
    merged = interest_merge(source=source, target=target)

    # then
    assert merged.member_count == 3
    assert _count(target) == 3
    assert MemberInterest.objects.filter(interest=source).count() == 0
    assert set(
        MemberInterest.objects.filter(interest=target).values_list("user_id", flat=True)
    ) == {only_source.user_id, both.user_id, only_target.user_id}
    stored_source = Interest.objects.get(pk=source.pk)
    assert (stored_source.status, stored_source.merged_into_id, stored_source.member_count) == (
        InterestStatus.MERGED,
        target.pk,
        0,
    )


def test_interest_merge_makes_the_old_name_and_its_aliases_resolve_to_the_target():
    # given
    source = InterestFactory(name="Sourdough bread making")
    source.aliases.create(alias="Levain", alias_key="levain")
    target = interest_named("Sourdough baking")

    # when
    interest_merge(source=source, target=target)

    # then
    assert (
        interest_for_text(text="Sourdough bread making", user=None, allow_new=False).pk == target.pk
    )
    assert interest_for_text(text="levain", user=None, allow_new=False).pk == target.pk
    assert (
        interest_for_text(text="Sourdough bread making", user=None, allow_new=True).pk == target.pk
    )


def test_adding_a_merged_interest_adds_its_target():
    # given
    source = InterestFactory(name="Sourdough bread making")
    target = interest_named("Sourdough baking")
    interest_merge(source=source, target=target)
    member = ProfileFactory()

    # when
    added = member_interest_add(user=member.user, interest=Interest.objects.get(pk=source.pk))

    # then
    assert added.interest_id == target.pk
    assert _count(target) == 1
    assert _count(source) == 0


def test_interest_merge_into_itself_is_refused():
    # given
    interest = InterestFactory()

    # when / then
    with pytest.raises(ValidationFailed) as caught:
        interest_merge(source=interest, target=interest)
    assert caught.value.field == "target"


def test_rebuilding_counts_after_a_bulk_import_also_weighs_every_member_interest():
    # given: rows written around the services, as the seeder does
    niche, common = InterestFactory(name="Niche"), InterestFactory(name="Common")
    members = [ProfileFactory() for _ in range(4)]
    MemberInterest.objects.bulk_create(
        [MemberInterest(user=m.user, interest=common, intensity=1) for m in members]
        + [MemberInterest(user=members[0].user, interest=niche, intensity=3)]
    )

    # when
    member_interest_counts_rebuild()

    # then: of 4 members, Common (everybody's) weighs idf 0, so member 0's row is Niche alone
    weights = dict(
        MemberInterest.objects.filter(user=members[0].user).values_list(
            "interest_id", "engine_weight"
        )
    )
    niche_weight = 2.0 * math.log(5 / 2)
    assert weights[niche.pk] == pytest.approx(2.0 / niche_weight)
    assert weights[common.pk] == pytest.approx(1.0 / niche_weight)
    assert MemberInterest.objects.get(user=members[1].user).engine_weight == 0.0
    assert members[0].user.interest_norm.inverse == pytest.approx(1 / niche_weight)
