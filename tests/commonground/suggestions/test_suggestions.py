from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from commonground.demo.generate import seed_members
from commonground.interests.models import Interest
from commonground.interests.services import member_interest_add
from commonground.network.models import Block, Mute
from commonground.network.services import connection_create
from commonground.profiles.selectors import Viewer
from commonground.suggestions import services
from commonground.suggestions.matrices import build_matrices
from commonground.suggestions.models import Dismissal, LearnedRanking, Suggestion
from commonground.suggestions.selectors import suggestion_list
from commonground.suggestions.services import (
    suggestion_dismiss,
    suggestions_compute_all,
    suggestions_refresh_member,
)
from commonground_matching import MatchingEngine, RerankModel
from tests.commonground.factories import InterestFactory, ProfileFactory, give_interests


@pytest.fixture
def community(db):
    """Ana shares a niche with Ben, a popular interest with Cat; Dev is Ana's connection."""
    niche = InterestFactory(name="Competitive birding")
    popular = InterestFactory(name="Everyday music")
    filler = [InterestFactory(name=f"Filler {n}") for n in range(3)]
    ana = ProfileFactory(display_name="Ana Ruiz")
    ben = ProfileFactory(display_name="Ben Osei")
    cat = ProfileFactory(display_name="Cat Lund")
    dev = ProfileFactory(display_name="Dev Rao")
    give_interests(ana, niche, popular)
    give_interests(ben, niche, filler[0])
    give_interests(cat, popular, filler[1])
    give_interests(dev, niche, popular, filler[2])
    for n in range(6):
        give_interests(ProfileFactory(display_name=f"Music fan {n}"), popular, filler[n % 3])
    connection_create(user_id=ana.user_id, other_id=dev.user_id)
    connection_create(user_id=ben.user_id, other_id=dev.user_id)
    return {"ana": ana, "ben": ben, "cat": cat, "dev": dev, "niche": niche}


def _names(profile):
    return [s.member.display_name for s in suggestion_list(viewer=Viewer.for_user(profile.user))]


def test_compute_all_ranks_a_shared_niche_first_and_never_self_or_connections(community):
    # given
    ana = community["ana"]

    # when
    summary = suggestions_compute_all(k=5)

    # then
    names = _names(ana)
    assert names[0] == "Ben Osei"
    assert "Ana Ruiz" not in names
    assert "Dev Rao" not in names
    assert summary.members == 10
    assert Suggestion.objects.filter(user=ana.user, candidate=ana.user).count() == 0
    assert list(
        Suggestion.objects.filter(user=ana.user).order_by("rank").values_list("rank", flat=True)
    ) == list(range(1, len(names) + 1))


def test_each_suggestion_says_why_and_offers_icebreakers(community):
    # given
    suggestions_compute_all(k=5)

    # when
    first = suggestion_list(viewer=Viewer.for_user(community["ana"].user))[0]

    # then
    assert first.member.display_name == "Ben Osei"
    assert first.why == (
        "You both love Competitive birding · 1 mutual connection · also in District of Columbia"
    )
    assert first.mutual_connections == 1
    assert first.icebreakers[0] == "What got you into Competitive birding?"
    assert 1 <= len(first.icebreakers) <= 3


def test_dismissed_members_disappear_now_and_after_the_next_batch(community):
    # given
    ana, ben = community["ana"], community["ben"]
    suggestions_compute_all(k=5)

    # when
    suggestion_dismiss(user=ana.user, candidate_public_id=ben.user.public_id)
    suggestion_dismiss(user=ana.user, candidate_public_id=ben.user.public_id)  # idempotent

    # then
    assert "Ben Osei" not in _names(ana)
    suggestions_compute_all(k=5)
    assert "Ben Osei" not in _names(ana)
    assert Dismissal.objects.filter(user=ana.user).count() == 1


def test_members_who_hide_their_interests_are_not_suggested(community):
    # given
    ben = community["ben"]
    ben.interests_visibility = "only_me"
    ben.save()

    # when
    suggestions_compute_all(k=5)

    # then
    assert "Ben Osei" not in _names(community["ana"])


@pytest.mark.django_db(transaction=True)
def test_editing_interests_refreshes_suggestions_in_a_background_worker():
    # given
    niche = InterestFactory(name="Lichen photography")
    newcomer = ProfileFactory(display_name="Newcomer")
    peer = ProfileFactory(display_name="Peer")
    give_interests(peer, niche)
    assert Suggestion.objects.filter(user=newcomer.user).count() == 0

    # when: the change commits, a job is queued, and a worker runs the queue once
    member_interest_add(user=newcomer.user, interest=Interest.objects.get(pk=niche.pk))
    call_command("db_worker", batch=True, queue_name="*", interval=0.1, startup_delay=False)

    # then
    assert list(
        Suggestion.objects.filter(user=newcomer.user).values_list("candidate_id", flat=True)
    ) == [peer.user_id]


def test_for_you_page_and_api(community, client):
    # given
    ana, ben = community["ana"], community["ben"]
    suggestions_compute_all(k=5)
    client.force_login(ana.user)

    # when
    page = client.get("/for-you/")
    api = client.get("/api/v1/suggestions")
    dismissed = client.post(f"/api/v1/suggestions/{ben.user.public_id}/dismiss")
    after = client.get("/api/v1/suggestions")

    # then
    assert page.status_code == 200
    assert "Ben Osei" in page.content.decode()
    assert api.status_code == 200
    assert api.json()[0]["member"]["display_name"] == "Ben Osei"
    assert api.json()[0]["why"].startswith("You both love Competitive birding")
    assert dismissed.status_code == 204
    assert "Ben Osei" not in [row["member"]["display_name"] for row in after.json()]


def test_blocked_and_muted_members_are_left_out_of_the_batch_so_lists_stay_full(community):
    # given
    ana, ben, cat = community["ana"], community["ben"], community["cat"]
    Block.objects.create(blocker=ben.user, blocked=ana.user)
    Mute.objects.create(muter=ana.user, muted=cat.user)

    # when
    suggestions_compute_all(k=5)

    # then
    stored = set(Suggestion.objects.filter(user=ana.user).values_list("candidate_id", flat=True))
    assert ben.user_id not in stored
    assert cat.user_id not in stored
    assert not Suggestion.objects.filter(user=ben.user, candidate=ana.user).exists()


def _engine_lists(k: int) -> list[tuple[int, int, int, float]]:
    """The engine's lists for the whole community, as (user, candidate, rank, score)."""
    matrices = build_matrices()
    result = (
        MatchingEngine().fit(matrices.interests, **matrices.engine_inputs()).top_k(k=k)  # type: ignore[arg-type]
    )
    return [
        (int(matrices.user_ids[q]), int(matrices.user_ids[c]), rank, float(score))
        for q in range(matrices.n_members)
        for rank, (c, score) in enumerate(zip(result.ids[q], result.scores[q], strict=True), 1)
        if c >= 0
    ]


def test_stored_suggestions_are_the_engine_lists_stamped_with_the_run(community):
    # given
    before = timezone.now()

    # when
    summary = suggestions_compute_all(k=5)

    # then: the same pairs, ranks and scores, all stamped with the run's time
    after = timezone.now()
    stored = list(
        Suggestion.objects.order_by("user_id", "rank").values_list(
            "user_id", "candidate_id", "rank", "score", "computed_at"
        )
    )
    expected = sorted(_engine_lists(5), key=lambda row: (row[0], row[2]))
    assert [row[:3] for row in stored] == [row[:3] for row in expected]
    assert [row[3] for row in stored] == pytest.approx([row[3] for row in expected])
    assert summary.suggestions == len(stored)
    assert len({row[4] for row in stored}) == 1
    assert before <= stored[0][4] <= after


def test_refreshing_one_member_replaces_only_their_list(community):
    # given: everybody's lists, then Ana's list emptied by hand
    ana = community["ana"]
    suggestions_compute_all(k=5)
    others = set(Suggestion.objects.exclude(user=ana.user).values_list("id", flat=True))
    Suggestion.objects.filter(user=ana.user).delete()

    # when
    count = suggestions_refresh_member(user_id=ana.user_id, k=5)

    # then
    mine = list(
        Suggestion.objects.filter(user=ana.user)
        .order_by("rank")
        .values_list("candidate_id", "rank", "computed_at")
    )
    expected = [row for row in _engine_lists(5) if row[0] == ana.user_id]
    assert count == len(mine) == len(expected) > 0
    assert [row[:2] for row in mine] == [(row[1], row[2]) for row in expected]
    assert mine[0][2] is not None
    assert set(Suggestion.objects.exclude(user=ana.user).values_list("id", flat=True)) == others


@pytest.fixture
def connected_community(db):
    """300 generated members with the demo's same-city, interest-driven connections."""
    seed_members(count=300, seed=7, email_prefix="gen-")
    return build_matrices()


def test_a_small_connected_community_gets_the_learned_re_ranker(connected_community):
    # when
    summary = suggestions_compute_all(k=5)

    # then: the stored lists are the re-ranked engine's, scores are its probabilities
    engine = services._engine(connected_community)
    assert engine.state_.reranker is not None
    stored = list(
        Suggestion.objects.order_by("user_id", "rank").values_list(
            "user_id", "candidate_id", "rank", "score"
        )
    )
    expected = sorted(_engine_lists(5), key=lambda row: (row[0], row[2]))
    assert [row[:3] for row in stored] == [row[:3] for row in expected]
    assert all(0.0 < row[3] < 1.0 for row in stored)
    assert summary.suggestions == len(stored) > 0


def test_large_communities_rank_by_the_score_alone(connected_community, monkeypatch):
    # given: a community above the large-community line (decision 0003)
    monkeypatch.setattr(services, "LARGE_COMMUNITY", connected_community.n_members - 1)

    # when
    engine = services._engine(connected_community)

    # then
    assert engine.state_.reranker is None
    assert engine.get_params()["rerank"] is False
    assert engine.get_params()["similar_members"] == 0


def _stored_lists(user_id):
    return list(
        Suggestion.objects.filter(user_id=user_id)
        .order_by("rank")
        .values_list("candidate_id", "rank", "score")
    )


def test_a_match_keeps_its_learned_model_and_a_refresh_reuses_it(connected_community):
    # given: a full match, then one member's list refreshed with nothing changed
    suggestions_compute_all(k=5)
    stored = LearnedRanking.objects.get()
    member = int(connected_community.user_ids[17])
    before = _stored_lists(member)
    learned_at = stored.learned_at

    # when
    count = suggestions_refresh_member(user_id=member, k=5)

    # then: the model is the match's engine's, the refresh used it (not learning again, so
    # the row is untouched) and gave the very list the match stored
    engine = services._engine(connected_community)
    assert RerankModel.from_dict(stored.model) == engine.rerank_model_
    assert stored.members == connected_community.n_members
    assert LearnedRanking.objects.get().learned_at == learned_at
    assert count == len(before) == 5
    assert _stored_lists(member) == before


def test_a_refresh_without_a_stored_model_learns_and_keeps_one(connected_community):
    # given: no match has run yet
    member = int(connected_community.user_ids[3])
    assert not LearnedRanking.objects.exists()

    # when
    suggestions_refresh_member(user_id=member, k=5)

    # then
    model = RerankModel.from_dict(LearnedRanking.objects.get().model)
    assert model == services._engine(connected_community).rerank_model_


def test_a_stored_model_from_another_version_is_learned_again(connected_community):
    # given: a stored model whose features this version does not have
    suggestions_compute_all(k=5)
    LearnedRanking.objects.update(model={"features": ["old"], "coefficients": [1.0]})
    member = int(connected_community.user_ids[5])
    expected = _stored_lists(member)

    # when
    suggestions_refresh_member(user_id=member, k=5)

    # then: the refresh learned afresh (the same model as the match's) and replaced it
    assert _stored_lists(member) == expected
    assert (
        RerankModel.from_dict(LearnedRanking.objects.get().model)
        == services._engine(connected_community).rerank_model_
    )


def test_a_community_that_learns_no_model_forgets_the_stored_one(community):
    # given: a stored model, and a community too small to learn one (2 connections)
    LearnedRanking.objects.create(model={"features": []}, members=9, learned_at=timezone.now())

    # when
    suggestions_compute_all(k=5)

    # then
    assert not LearnedRanking.objects.exists()
