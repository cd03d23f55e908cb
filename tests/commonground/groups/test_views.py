"""Group pages: routing, permissions and what each page shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonground.groups import services
from commonground.groups.models import Group, Membership
from tests.commonground.events.helpers import make_event
from tests.commonground.factories import PASSWORD, InterestFactory, ProfileFactory, give_interests
from tests.commonground.groups.helpers import make_group, membership

pytestmark = pytest.mark.django_db


def _login(profile) -> Client:
    client = Client()
    assert client.login(email=profile.user.email, password=PASSWORD)
    return client


def test_group_pages_need_a_signed_in_member():
    group = make_group(ProfileFactory())
    for url in ("/groups/", "/groups/new/", f"/groups/{group.slug}/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_index_lists_groups_and_searches_with_and():
    owner = ProfileFactory()
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    make_group(owner, kittens, name="Just kittens")
    make_group(owner, kittens, bacon, name="Kittens and bacon")
    client = _login(ProfileFactory())
    everything = client.get("/groups/").content.decode()
    both = client.get(f"/groups/?i={kittens.slug}&i={bacon.slug}").content.decode()
    assert "Just kittens" in everything
    assert "Kittens and bacon" in everything
    assert "Just kittens" not in both
    assert "Kittens and bacon" in both
    assert "1 group about Kittens and Bacon" in both


def test_typed_text_resolves_to_an_interest_and_redirects_to_the_canonical_url():
    kittens = InterestFactory(name="Kittens")
    client = _login(ProfileFactory())
    response = client.get("/groups/?add=kittens")
    assert response.status_code == 302
    assert response["Location"] == f"/groups/?i={kittens.slug}"
    picked = client.get(f"/groups/?i={kittens.slug}&pick=other-slug&scope=local")
    assert picked["Location"] == f"/groups/?i={kittens.slug}&i=other-slug&scope=local"


def test_unknown_typed_text_says_so():
    client = _login(ProfileFactory())
    response = client.get("/groups/?add=qqqqzzzz", follow=True)
    assert "We don&#x27;t know “qqqqzzzz” yet" in response.content.decode()


def test_a_search_with_no_group_offers_to_start_it_with_the_count_in_reach():
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    me = ProfileFactory(reach="virtual")
    for p in ProfileFactory.create_batch(3):
        give_interests(p, kittens, bacon)
    response = _login(me).get(f"/groups/?i={kittens.slug}&i={bacon.slug}")
    page = response.content.decode()
    assert "No group for Kittens and Bacon yet" in page
    assert "3 members</strong> in the community love all of these" in page
    assert f'href="/groups/new/?i={kittens.slug}&amp;i={bacon.slug}"' in page


def test_the_start_offer_names_the_reach_and_says_when_nobody_shares_it():
    kittens = InterestFactory(name="Kittens")
    me = ProfileFactory(reach="regional")
    page = _login(me).get(f"/groups/?i={kittens.slug}").content.decode()
    assert "Nobody in your region lists this yet." in page
    assert f'href="/groups/new/?i={kittens.slug}"' in page


def test_the_new_form_is_prefilled_from_the_search():
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    page = _login(ProfileFactory()).get(f"/groups/new/?i={kittens.slug}&i={bacon.slug}")
    assert 'value="Kittens, Bacon"' in page.content.decode()


def test_creating_a_group_resolves_typed_interests_and_redirects_to_it():
    InterestFactory(name="Kittens")
    InterestFactory(name="Bacon")
    me = ProfileFactory()
    response = _login(me).post(
        "/groups/new/",
        {
            "name": "Kitten bacon lovers",
            "description": "**Both**, always.",
            "interests": "kittens, Bacon",
            "scope": "local",
            "city": "Lyon",
            "region": "",
            "country": "France",
            "visibility": "private",
        },
    )
    group = Group.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/groups/{group.slug}/"
    assert sorted(group.interests.values_list("name", flat=True)) == ["Bacon", "Kittens"]
    assert membership(group, me).role == "owner"
    page = _login(me).get(response["Location"]).content.decode()
    assert "<strong>Both</strong>" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"interests": "nosuchthingqq"}, "We don&#x27;t know “nosuchthingqq” yet"),
        ({"scope": "local", "country": "France"}, "A local group needs its city."),
        ({"name": "ab"}, "Ensure this value has at least 3 characters"),
    ],
)
def test_the_new_form_re_renders_with_clear_messages(fields, message):
    InterestFactory(name="Kittens")
    data = {"name": "Kittens", "interests": "Kittens", "scope": "virtual", "visibility": "public"}
    response = _login(ProfileFactory()).post("/groups/new/", {**data, **fields})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Group.objects.count() == 0


def test_join_and_leave_from_the_group_page():
    group = make_group(ProfileFactory(), name="Open club")
    me = ProfileFactory()
    client = _login(me)
    assert 'value="join"' not in client.get(f"/groups/{group.slug}/").content.decode()
    assert ">Join</button>" in client.get(f"/groups/{group.slug}/").content.decode()
    response = client.post(f"/groups/{group.slug}/join/")
    assert response["Location"] == f"/groups/{group.slug}/"
    assert membership(group, me).state == "active"
    client.post(f"/groups/{group.slug}/leave/")
    assert membership(group, me) is None


def test_a_private_group_shows_its_members_only_to_members():
    owner = ProfileFactory(display_name="Olga Owner")
    group = make_group(owner, name="Quiet club", description="About us", visibility="private")
    outsider = _login(ProfileFactory()).get(f"/groups/{group.slug}/").content.decode()
    insider = _login(owner).get(f"/groups/{group.slug}/").content.decode()
    assert "Quiet club" in outsider
    assert "About us" in outsider
    assert "Ask to join" in outsider
    assert "Olga Owner" not in outsider
    assert "Olga Owner" in insider
    me = ProfileFactory()
    _login(me).post(f"/groups/{group.slug}/join/")
    assert membership(group, me).state == "requested"


def test_manage_is_for_organizers_and_approves_requests():
    owner, asker = ProfileFactory(), ProfileFactory(display_name="Asha Asker")
    group = make_group(owner, visibility="private")
    services.group_join(user=asker.user, slug=group.slug)
    assert _login(asker).get(f"/groups/{group.slug}/manage/").status_code == 403
    client = _login(owner)
    assert "Asha Asker" in client.get(f"/groups/{group.slug}/manage/").content.decode()
    response = client.post(
        f"/groups/{group.slug}/manage/", {"action": "approve", "member": asker.user.public_id}
    )
    assert response.status_code == 302
    assert membership(group, asker).state == "active"
    client.post(
        f"/groups/{group.slug}/manage/", {"action": "promote", "member": asker.user.public_id}
    )
    assert membership(group, asker).role == "organizer"
    client.post(
        f"/groups/{group.slug}/manage/", {"action": "transfer", "member": asker.user.public_id}
    )
    assert membership(group, asker).role == "owner"
    assert membership(group, owner).role == "organizer"


def test_manage_shows_refusals_as_messages():
    owner = ProfileFactory()
    group = make_group(owner)
    response = _login(owner).post(
        f"/groups/{group.slug}/manage/",
        {"action": "remove", "member": owner.user.public_id},
        follow=True,
    )
    assert "The owner can&#x27;t be removed." in response.content.decode()
    assert Membership.objects.filter(group=group).count() == 1


def test_an_organizer_invites_by_profile_link():
    owner, friend = ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="secret")
    response = _login(owner).post(
        f"/groups/{group.slug}/invite/", {"member": f"/people/{friend.user.public_id}/"}
    )
    assert response.status_code == 302
    assert membership(group, friend).state == "invited"
    page = _login(friend).get(f"/groups/{group.slug}/").content.decode()
    assert "Accept invitation" in page
    _login(friend).post(f"/groups/{group.slug}/accept/")
    assert membership(group, friend).state == "active"


def test_an_unknown_action_is_404_and_actions_need_post():
    group = make_group(ProfileFactory())
    client = _login(ProfileFactory())
    assert client.post(f"/groups/{group.slug}/explode/").status_code == 404
    assert client.get(f"/groups/{group.slug}/join/").status_code == 405


def test_the_groups_page_makes_the_same_queries_for_3_or_12_groups():
    me = ProfileFactory()
    client = _login(me)
    owner = ProfileFactory()
    counts = []
    for total in (3, 12):
        while Group.objects.count() < total:
            make_group(owner, InterestFactory(), InterestFactory())
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/groups/")
        assert response.status_code == 200
        assert response.content.decode().count('class="card group-card"') == total
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_group_page_lists_its_upcoming_events_and_offers_organizers_to_plan_one(client):
    # given
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner, InterestFactory())
    services.group_join(user=member.user, slug=group.slug)
    make_event(owner, group_slug=group.slug, title="Kittens picnic")
    # when
    client.force_login(member.user)
    as_member = client.get(reverse("groups:detail", args=[group.slug])).content.decode()
    client.force_login(owner.user)
    as_owner = client.get(reverse("groups:detail", args=[group.slug])).content.decode()
    # then
    assert "Kittens picnic" in as_member
    assert "Plan an event" not in as_member
    assert f"/events/new/?group={group.slug}" in as_owner
