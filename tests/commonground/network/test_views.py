"""Network pages: routing, permissions and what each page shows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from commonground.network.models import Block, Connection, ConnectionRequest, Mute
from commonground.network.selectors import are_connected, connection_note_suggestion
from commonground.network.services import connection_request_create, member_block
from commonground.profiles.selectors import Viewer, member_get
from commonground.suggestions.models import Suggestion
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests
from tests.commonground.html import page_text, shows

pytestmark = pytest.mark.django_db


def _client(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/network/"),
        ("get", "/network/connect/abc/"),
        ("post", "/network/connect/abc/"),
        ("post", "/network/requests/abc/accept/"),
        ("post", "/network/requests/abc/decline/"),
        ("post", "/network/requests/abc/withdraw/"),
        ("post", "/network/connections/abc/remove/"),
        ("post", "/network/block/abc/"),
        ("post", "/network/unblock/abc/"),
        ("post", "/network/mute/abc/"),
        ("post", "/network/unmute/abc/"),
    ],
)
def test_every_network_page_needs_a_login(client, method, url):
    # when
    response = getattr(client, method)(url)

    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(
    "url",
    [
        "/network/requests/abc/accept/",
        "/network/block/abc/",
        "/network/mute/abc/",
        "/network/connections/abc/remove/",
    ],
)
def test_writes_refuse_get(url):
    # when
    response = _client(ProfileFactory()).get(url)

    # then
    assert response.status_code == 405


def test_the_network_page_lists_connections_requests_and_blocks():
    # given
    me = ProfileFactory(display_name="Me")
    friend = ProfileFactory(display_name="Grace Hopper")
    connect(me, friend)
    asker = ProfileFactory(display_name="Asker")
    connection_request_create(
        sender=asker.user, recipient_public_id=me.user.public_id, note="Let's talk compilers"
    )
    asked = ProfileFactory(display_name="Asked")
    connection_request_create(sender=me.user, recipient_public_id=asked.user.public_id)
    pest = ProfileFactory(display_name="Pest")
    member_block(user=me.user, member_public_id=pest.user.public_id)

    # when
    response = _client(me).get("/network/")

    # then
    assert response.status_code == 200
    assert [m.display_name for m in response.context["connections"].items] == ["Grace Hopper"]
    assert [r.member.display_name for r in response.context["requests"].incoming] == ["Asker"]
    assert [r.member.display_name for r in response.context["requests"].outgoing] == ["Asked"]
    assert [r.display_name for r in response.context["blocked"]] == ["Pest"]
    assert shows(response, "“Let's talk compilers”")
    assert shows(response, "1 connection")
    assert '<a href="/network/" aria-current="page">Network</a>' in page_text(response)


def test_the_network_search_narrows_by_name_and_survives_junk():
    # given
    me = ProfileFactory()
    for name in ("Grace Hopper", "Alan Turing"):
        connect(me, ProfileFactory(display_name=name))
    client = _client(me)

    # when
    found = client.get("/network/", {"q": "hopper"})
    junk = client.get("/network/", {"q": "x" * 200, "page": "abc"})

    # then
    assert [m.display_name for m in found.context["connections"].items] == ["Grace Hopper"]
    assert shows(found, "1 connection matching “hopper”")
    assert junk.status_code == 200
    assert [m.display_name for m in junk.context["connections"].items] == [
        "Alan Turing",
        "Grace Hopper",
    ]


def test_the_connect_page_prefills_an_icebreaker_from_the_rarest_shared_interest():
    # given
    rare, common = InterestFactory(name="Star Trek"), InterestFactory(name="Coffee")
    me, them = ProfileFactory(), ProfileFactory(display_name="Nyota Uhura")
    give_interests(me, rare, common)
    give_interests(them, rare, common)
    for _ in range(3):
        give_interests(ProfileFactory(), common)

    # when
    response = _client(me).get(f"/network/connect/{them.user.public_id}/")

    # then
    note = (
        "Hi Nyota! I saw we both love Star Trek. I'd enjoy swapping notes about it sometime. "
        "Would you like to connect?"
    )
    assert response.status_code == 200
    assert response.context["form"].initial == {"note": note}
    assert shows(response, note)


def test_the_icebreaker_without_a_visible_shared_interest_is_a_plain_hello():
    # given
    me, them = ProfileFactory(), ProfileFactory(display_name="Sam")
    view = member_get(viewer=Viewer.for_user(me.user), public_id=them.user.public_id)

    # when
    note = connection_note_suggestion(recipient=view)

    # then
    assert note == "Hi Sam! I came across your profile here and would love to connect."


def test_sending_a_request_from_the_member_page_goes_back_there_with_a_message():
    # given
    me, them = ProfileFactory(), ProfileFactory(display_name="Kim")
    url = f"/people/{them.user.public_id}/"

    # when
    response = _client(me).post(
        f"/network/connect/{them.user.public_id}/",
        {"note": "Hello Kim", "next": url},
        follow=True,
    )

    # then
    assert response.redirect_chain == [(url, 302)]
    assert _messages(response) == ["Request sent to Kim. You'll be connected when they accept."]
    assert shows(response, "Request sent")
    assert shows(response, "Withdraw request")
    [request] = ConnectionRequest.objects.all()
    assert (request.sender_id, request.recipient_id, request.note) == (
        me.user_id,
        them.user_id,
        "Hello Kim",
    )


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "network:index", "xxxx"]
)
def test_an_offsite_or_non_path_next_is_ignored(next_url):
    # given: a bare word once made redirect() look it up as a view name (a 500)
    me, them = ProfileFactory(), ProfileFactory()

    # when
    response = _client(me).post(f"/network/connect/{them.user.public_id}/", {"next": next_url})

    # then
    assert response.status_code == 302
    assert response["Location"] == f"/people/{them.user.public_id}/"


def test_a_too_long_note_re_renders_the_form_with_the_error():
    # given
    me, them = ProfileFactory(), ProfileFactory()

    # when
    response = _client(me).post(f"/network/connect/{them.user.public_id}/", {"note": "x" * 501})

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "note": ["Ensure this value has at most 500 characters (it has 501)."]
    }
    assert 'aria-invalid="true"' in page_text(response)
    assert ConnectionRequest.objects.count() == 0


def test_past_the_stranger_limit_the_form_says_so_with_429(settings):
    # given
    settings.CONNECTION_REQUESTS_TO_STRANGERS_PER_DAY = 1
    me = ProfileFactory()
    connection_request_create(sender=me.user, recipient_public_id=ProfileFactory().user.public_id)
    them = ProfileFactory()

    # when
    response = _client(me).post(f"/network/connect/{them.user.public_id}/", {"note": "Hi"})

    # then
    message = (
        "You can send at most 1 connection requests a day to members you share no "
        "connection with. Try again tomorrow, or connect through someone you both know."
    )
    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [message]
    assert shows(response, message)
    assert ConnectionRequest.objects.count() == 1


@pytest.mark.parametrize("target", ["self", "missing", "blocked"])
def test_connecting_to_someone_one_cannot_see_is_404(target):
    # given
    me, them = ProfileFactory(), ProfileFactory()
    public_id = {"self": me.user.public_id, "missing": "nosuchmember"}.get(
        target, them.user.public_id
    )
    if target == "blocked":
        member_block(user=them.user, member_public_id=me.user.public_id)

    # when
    got = _client(me).get(f"/network/connect/{public_id}/")
    posted = _client(me).post(f"/network/connect/{public_id}/", {"note": "hi"})

    # then
    assert (got.status_code, posted.status_code) == (404, 404)
    assert ConnectionRequest.objects.count() == 0


def test_accept_and_decline_from_the_network_page():
    # given
    me, ann, bob = ProfileFactory(), ProfileFactory(display_name="Ann"), ProfileFactory()
    to_accept = connection_request_create(sender=ann.user, recipient_public_id=me.user.public_id)
    to_decline = connection_request_create(sender=bob.user, recipient_public_id=me.user.public_id)
    client = _client(me)

    # when
    accepted = client.post(f"/network/requests/{to_accept.public_id}/accept/", follow=True)
    declined = client.post(f"/network/requests/{to_decline.public_id}/decline/", follow=True)

    # then
    assert accepted.redirect_chain == [("/network/", 302)]
    assert _messages(accepted) == ["You and Ann are now connected."]
    assert _messages(declined) == ["Request declined. They won't be told."]
    assert are_connected(user_id=me.user_id, other_id=ann.user_id) is True
    assert declined.context["requests"].incoming == []
    assert [m.display_name for m in declined.context["connections"].items] == ["Ann"]


def test_acting_on_someone_elses_request_is_404_and_changes_nothing():
    # given
    a, b, eve = ProfileFactory(), ProfileFactory(), ProfileFactory()
    request = connection_request_create(sender=a.user, recipient_public_id=b.user.public_id)
    client = _client(eve)

    # when
    statuses = [
        client.post(f"/network/requests/{request.public_id}/{action}/").status_code
        for action in ("accept", "decline", "withdraw")
    ]

    # then
    assert statuses == [404, 404, 404]
    assert ConnectionRequest.objects.get().state == ConnectionRequest.State.PENDING


def test_withdraw_and_a_conflict_message():
    # given
    me, them = ProfileFactory(), ProfileFactory()
    request = connection_request_create(sender=me.user, recipient_public_id=them.user.public_id)
    _client(them).post(f"/network/requests/{request.public_id}/accept/")

    # when
    response = _client(me).post(f"/network/requests/{request.public_id}/withdraw/", follow=True)

    # then
    assert _messages(response) == ["This request was already accepted: you are connected."]
    assert are_connected(user_id=me.user_id, other_id=them.user_id) is True


def test_the_member_page_shows_the_connect_form_mutuals_and_safety_actions():
    # given
    me, them, mutual = ProfileFactory(), ProfileFactory(display_name="Ola"), ProfileFactory()
    connect(me, mutual)
    connect(them, mutual)

    # when
    response = _client(me).get(f"/people/{them.user.public_id}/")

    # then
    assert response.status_code == 200
    assert f'action="/network/connect/{them.user.public_id}/"' in page_text(response)
    assert shows(response, "Hi Ola! I came across your profile here and would love to connect.")
    assert shows(response, "1 mutual connection:")
    assert shows(response, mutual.display_name)
    assert f'action="/network/block/{them.user.public_id}/"' in page_text(response)
    assert f'action="/network/mute/{them.user.public_id}/"' in page_text(response)


def test_the_member_page_shows_an_incoming_request_with_its_answers():
    # given
    me, them = ProfileFactory(), ProfileFactory(display_name="Ola")
    request = connection_request_create(sender=them.user, recipient_public_id=me.user.public_id)

    # when
    response = _client(me).get(f"/people/{them.user.public_id}/")

    # then
    assert shows(response, "Ola wants to connect")
    assert f'action="/network/requests/{request.public_id}/accept/"' in page_text(response)


def test_no_network_actions_on_ones_own_page_or_for_visitors(client):
    # given
    me = ProfileFactory()

    # when
    own = _client(me).get(f"/people/{me.user.public_id}/")
    anonymous = client.get(f"/people/{me.user.public_id}/")

    # then
    assert "/network/connect/" not in page_text(own)
    assert "/network/block/" not in page_text(own)
    assert anonymous.status_code == 200
    assert "/network/connect/" not in page_text(anonymous)


def test_block_from_the_member_page_hides_them_and_lands_on_the_network_page():
    # given
    me, them = ProfileFactory(), ProfileFactory(display_name="Pest")
    connect(me, them)
    client = _client(me)

    # when
    response = client.post(f"/network/block/{them.user.public_id}/", follow=True)

    # then
    assert response.redirect_chain == [("/network/", 302)]
    assert _messages(response) == [
        "Blocked. You won't see each other anywhere here; they aren't told."
    ]
    assert [r.display_name for r in response.context["blocked"]] == ["Pest"]
    assert Connection.objects.count() == 0
    assert client.get(f"/people/{them.user.public_id}/").status_code == 404
    assert _client(them).get(f"/people/{me.user.public_id}/").status_code == 404
    unblocked = client.post(f"/network/unblock/{them.user.public_id}/", follow=True)
    assert _messages(unblocked) == ["Unblocked."]
    assert Block.objects.count() == 0


def test_mute_and_unmute_from_the_member_page():
    # given
    me, them = ProfileFactory(), ProfileFactory()
    url = f"/people/{them.user.public_id}/"
    client = _client(me)

    # when
    muted = client.post(f"/network/mute/{them.user.public_id}/", {"next": url}, follow=True)
    unmuted = client.post(f"/network/unmute/{them.user.public_id}/", {"next": url}, follow=True)

    # then
    assert muted.redirect_chain == [(url, 302)]
    assert _messages(muted) == ["Muted. They stay connected but leave your search and suggestions."]
    assert shows(muted, "Unmute")
    assert _messages(unmuted) == ["Unmuted."]
    assert Mute.objects.count() == 0


def test_remove_a_connection_from_the_member_page():
    # given
    me, them = ProfileFactory(), ProfileFactory()
    connect(me, them)

    # when
    response = _client(me).post(f"/network/connections/{them.user.public_id}/remove/", follow=True)

    # then
    assert _messages(response) == ["Connection removed. They won't be told."]
    assert are_connected(user_id=me.user_id, other_id=them.user_id) is False


def test_for_you_cards_offer_connect_with_an_icebreaker():
    # given
    rare = InterestFactory(name="Letterpress")
    me, them = ProfileFactory(), ProfileFactory(display_name="Ines Lopes")
    give_interests(me, rare)
    give_interests(them, rare)
    Suggestion.objects.create(
        user=me.user, candidate=them.user, rank=1, score=1.0, computed_at=timezone.now()
    )

    # when
    response = _client(me).get("/for-you/")
    sent = _client(me).post(
        f"/network/connect/{them.user.public_id}/", {"note": "Hi Ines", "next": "/for-you/"}
    )

    # then
    assert f'action="/network/connect/{them.user.public_id}/"' in page_text(response)
    assert shows(response, "Hi Ines! I saw we both love Letterpress.")
    assert (sent.status_code, sent["Location"]) == (302, "/for-you/")
