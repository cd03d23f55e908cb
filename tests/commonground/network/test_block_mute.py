"""Block and mute services, and the block matrix: a block hides both members from each other
in every channel (directory, member page, API, suggestions, requests), both directions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from commonground.network.errors import (
    BlockNotFound,
    MuteNotFound,
    RequestNotFound,
    SelfRelation,
)
from commonground.network.models import Block, Connection, ConnectionRequest, Mute
from commonground.network.selectors import (
    are_connected,
    block_list,
    connection_list,
    connection_request_list,
    mute_list,
)
from commonground.network.services import (
    connection_request_accept,
    connection_request_create,
    member_block,
    member_mute,
    member_unblock,
    member_unmute,
)
from commonground.profiles.directory import DirectoryFilter, member_search
from commonground.profiles.errors import MemberNotFound
from commonground.profiles.selectors import Viewer, member_get
from commonground.suggestions.models import Suggestion
from commonground.suggestions.selectors import suggestion_list
from tests.commonground.factories import (
    InterestFactory,
    NewMemberFactory,
    ProfileFactory,
    connect,
    give_interests,
)

pytestmark = pytest.mark.django_db


def _suggest(viewer, *candidates):
    for rank, candidate in enumerate(candidates, 1):
        Suggestion.objects.create(
            user=viewer.user,
            candidate=candidate.user,
            rank=rank,
            score=1.0 / rank,
            computed_at=timezone.now(),
        )


def _directory_names(profile):
    page = member_search(
        viewer=Viewer.for_user(profile.user), viewer_profile=profile, flt=DirectoryFilter()
    )
    return [m.display_name for m in page.items]


def _interest_directory_names(profile, interest):
    page = member_search(
        viewer=Viewer.for_user(profile.user),
        viewer_profile=profile,
        flt=DirectoryFilter(interest_ids=(interest.pk,)),
    )
    return [m.display_name for m in page.items]


def _suggested_names(profile):
    return [s.member.display_name for s in suggestion_list(viewer=Viewer.for_user(profile.user))]


@pytest.fixture
def pair():
    """Blake blocks Rory. Both share an interest with each other and with Sam."""
    shared = InterestFactory(name="Letterpress printing")
    blake = ProfileFactory(display_name="Blake")
    rory = ProfileFactory(display_name="Rory")
    sam = ProfileFactory(display_name="Sam")
    for member in (blake, rory, sam):
        give_interests(member, shared)
    _suggest(blake, rory, sam)
    _suggest(rory, blake, sam)
    return {"blake": blake, "rory": rory, "sam": sam, "shared": shared}


def test_before_a_block_both_find_each_other_everywhere(pair):
    # given
    blake, rory, shared = pair["blake"], pair["rory"], pair["shared"]

    # then: the matrix below is not vacuous
    assert _directory_names(rory) == ["Blake", "Sam"]
    assert _interest_directory_names(rory, shared) == ["Blake", "Sam"]
    assert _suggested_names(rory) == ["Blake", "Sam"]
    assert member_get(viewer=Viewer.for_user(rory.user), public_id=blake.user.public_id)
    assert _directory_names(blake) == ["Rory", "Sam"]
    assert _suggested_names(blake) == ["Rory", "Sam"]


@pytest.mark.parametrize("looking", ["blake", "rory"])
def test_a_block_hides_both_members_from_each_other_in_every_channel(pair, looking, api_as):
    # given
    blake, rory = pair["blake"], pair["rory"]
    member_block(user=blake.user, member_public_id=rory.user.public_id)
    me = pair[looking]
    other = rory if looking == "blake" else blake
    viewer = Viewer.for_user(me.user)
    client = Client()
    client.force_login(me.user)
    api = api_as(me)

    # then: directory, interest page, suggestions
    assert _directory_names(me) == ["Sam"]
    assert _interest_directory_names(me, pair["shared"]) == ["Sam"]
    assert _suggested_names(me) == ["Sam"]
    # the member page and the API answer exactly as for a member who does not exist
    with pytest.raises(MemberNotFound):
        member_get(viewer=viewer, public_id=other.user.public_id)
    assert client.get(f"/people/{other.user.public_id}/").status_code == 404
    missing = api.get("/members/doesnotexist")
    blocked = api.get(f"/members/{other.user.public_id}")
    assert (blocked.status_code, blocked.json()) == (404, missing.json())
    listed = api.get("/members").json()
    assert [m["display_name"] for m in listed["results"]] == ["Sam"]
    assert [s["member"]["display_name"] for s in api.get("/suggestions").json()] == ["Sam"]
    assert other.user.public_id not in client.get("/people/").content.decode()
    assert other.user.public_id not in client.get("/for-you/").content.decode()
    # and no request can be sent
    with pytest.raises(MemberNotFound) as caught:
        connection_request_create(sender=me.user, recipient_public_id=other.user.public_id)
    assert caught.value.code == "member_not_found"
    assert ConnectionRequest.objects.count() == 0


def test_a_block_ends_the_connection_and_open_requests_both_ways():
    # given
    a, b, c = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(a, b)
    to_c = connection_request_create(sender=a.user, recipient_public_id=c.user.public_id)

    # when
    member_block(user=a.user, member_public_id=b.user.public_id)
    member_block(user=c.user, member_public_id=a.user.public_id)

    # then
    assert are_connected(user_id=a.user_id, other_id=b.user_id) is False
    assert Connection.objects.count() == 0
    assert not ConnectionRequest.objects.filter(pk=to_c.pk).exists()
    assert Block.objects.count() == 2


def test_a_pending_request_cannot_be_accepted_across_a_block():
    # given: a request that slipped in (e.g. while the block was being made)
    a, b = ProfileFactory(), ProfileFactory()
    request = connection_request_create(sender=a.user, recipient_public_id=b.user.public_id)
    Block.objects.create(blocker=b.user, blocked=a.user)

    # when / then
    assert connection_request_list(viewer=Viewer.for_user(b.user)).incoming == []
    assert connection_request_list(viewer=Viewer.for_user(a.user)).outgoing == []
    with pytest.raises(MemberNotFound):
        connection_request_create(sender=a.user, recipient_public_id=b.user.public_id)
    with pytest.raises(RequestNotFound):
        connection_request_accept(user=b.user, request_public_id=request.public_id)
    assert Connection.objects.count() == 0


def test_block_is_idempotent_and_unblock_restores_visibility(pair):
    # given
    blake, rory = pair["blake"], pair["rory"]
    first = member_block(user=blake.user, member_public_id=rory.user.public_id)

    # when
    again = member_block(user=blake.user, member_public_id=rory.user.public_id)
    listed = block_list(viewer=Viewer.for_user(blake.user))
    member_unblock(user=blake.user, member_public_id=rory.user.public_id)

    # then
    assert first.pk == again.pk
    assert [(m.public_id, m.display_name) for m in listed] == [(rory.user.public_id, "Rory")]
    assert block_list(viewer=Viewer.for_user(rory.user)) == []  # the blocked are not told
    assert Block.objects.count() == 0
    assert _directory_names(rory) == ["Blake", "Sam"]
    with pytest.raises(BlockNotFound) as caught:
        member_unblock(user=blake.user, member_public_id=rory.user.public_id)
    assert caught.value.code == "block_not_found"


def test_a_blocked_member_cannot_block_back_or_unblock_and_learns_nothing(pair):
    # given
    blake, rory = pair["blake"], pair["rory"]
    member_block(user=blake.user, member_public_id=rory.user.public_id)

    # when / then
    with pytest.raises(MemberNotFound):
        member_block(user=rory.user, member_public_id=blake.user.public_id)
    with pytest.raises(BlockNotFound):
        member_unblock(user=rory.user, member_public_id=blake.user.public_id)
    with pytest.raises(MemberNotFound):
        member_mute(user=rory.user, member_public_id=blake.user.public_id)
    assert Block.objects.filter(blocker=blake.user, blocked=rory.user).count() == 1


def test_members_who_never_finished_their_profile_can_still_be_blocked():
    # given
    me, newcomer = ProfileFactory(), NewMemberFactory()

    # when
    member_block(user=me.user, member_public_id=newcomer.user.public_id)

    # then
    assert Viewer.for_user(newcomer.user).blocked == {me.user_id}


@pytest.mark.parametrize("service", [member_block, member_mute])
def test_one_cannot_block_or_mute_oneself(service):
    # given
    me = ProfileFactory()

    # when / then
    with pytest.raises(SelfRelation) as caught:
        service(user=me.user, member_public_id=me.user.public_id)
    assert caught.value.code == "self"
    assert (Block.objects.count(), Mute.objects.count()) == (0, 0)


def test_a_muted_connection_stays_connected_but_leaves_directory_and_suggestions(pair):
    # given
    blake, rory = pair["blake"], pair["rory"]
    connect(blake, rory)

    # when
    member_mute(user=blake.user, member_public_id=rory.user.public_id)
    member_mute(user=blake.user, member_public_id=rory.user.public_id)

    # then
    viewer = Viewer.for_user(blake.user)
    assert viewer.muted == {rory.user_id}
    assert are_connected(user_id=blake.user_id, other_id=rory.user_id) is True
    assert [m.display_name for m in connection_list(viewer=viewer).items] == ["Rory"]
    assert member_get(viewer=viewer, public_id=rory.user.public_id).display_name == "Rory"
    assert _directory_names(blake) == ["Sam"]
    assert _suggested_names(blake) == ["Sam"]
    assert [m.display_name for m in mute_list(viewer=viewer)] == ["Rory"]
    # the muted member notices nothing
    assert _directory_names(rory) == ["Blake", "Sam"]
    assert Mute.objects.count() == 1


def test_unmute_brings_them_back_and_twice_is_not_found(pair):
    # given
    blake, rory = pair["blake"], pair["rory"]
    member_mute(user=blake.user, member_public_id=rory.user.public_id)

    # when
    member_unmute(user=blake.user, member_public_id=rory.user.public_id)

    # then
    assert _directory_names(blake) == ["Rory", "Sam"]
    with pytest.raises(MuteNotFound) as caught:
        member_unmute(user=blake.user, member_public_id=rory.user.public_id)
    assert caught.value.code == "mute_not_found"
