"""Opportunity pages: routing, permissions, forms and their errors, exact content, and fixed
query counts on the lists."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from commonground.groups import services as group_services
from commonground.opportunities import services
from commonground.opportunities.models import Opportunity, Referral
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests
from tests.commonground.html import shows, without_csrf
from tests.commonground.opportunities.helpers import post

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "kind": "freelance",
        "title": "Illustrate a children's book",
        "organization": "Tiny Press",
        "description": "**Twelve** pages",
        "skills": "",
        "interests": "",
        "remote": "on",
        "city": "",
        "region": "",
        "country": "",
        "compensation": "€2,000",
        "expires_on": (timezone.now() + timedelta(days=20)).date().isoformat(),
        "audience": "everyone",
        "audience_members": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url", ["/opportunities/", "/opportunities/new/", "/referrals/", "/opportunities/open-to/"]
)
def test_pages_need_a_signed_in_member(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_posting_through_the_form_redirects_to_the_new_opportunity(client):
    # given
    poster = ProfileFactory()
    client.force_login(poster.user)
    # when
    response = client.post("/opportunities/new/", _form())
    # then
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{opportunity.public_id}/"
    assert opportunity.expires_at.hour == 23
    page = client.get(response["Location"])
    assert shows(page, "Illustrate a children's book")
    assert "<strong>Twelve</strong> pages" in page.content.decode()
    assert shows(page, "People who fit")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"expires_on": "2001-01-01"}, "The closing date must be in the future."),
        ({"remote": ""}, "Give at least the country, or mark it remote."),
        ({"audience": "named", "audience_members": "nobody-here"}, "No member “nobody-here”."),
        ({"audience": "groups"}, "Choose at least one of your groups."),
        ({"skills": "Qwxzzy"}, "We don&#x27;t know “Qwxzzy” yet."),
        ({"title": "bad\x00"}, "Null characters are not allowed."),
    ],
)
def test_a_bad_form_re_renders_with_the_message_and_writes_nothing(client, overrides, message):
    client.force_login(ProfileFactory().user)
    response = client.post("/opportunities/new/", _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Opportunity.objects.count() == 0


def test_the_group_choice_lists_only_the_posters_groups(client):
    poster, other = ProfileFactory(), ProfileFactory()
    group_services.group_create(user=poster.user, name="Mine", interests=[InterestFactory()])
    group_services.group_create(user=other.user, name="Theirs", interests=[InterestFactory()])
    client.force_login(poster.user)
    page = client.get("/opportunities/new/").content.decode()
    assert "Mine" in page
    assert "Theirs" not in page


def test_a_hidden_opportunity_page_is_byte_identical_to_a_missing_one(client):
    poster, outsider = ProfileFactory(), ProfileFactory()
    hidden = post(poster, audience="connections")
    client.force_login(outsider.user)
    a = client.get(f"/opportunities/{hidden.public_id}/")
    b = client.get("/opportunities/nosuchthing1/")
    assert a.status_code == b.status_code == 404
    assert without_csrf(a) == without_csrf(b)
    for action in ("refer", "interest", "ask", "status", "referral"):
        assert client.post(f"/opportunities/{hidden.public_id}/{action}/").status_code == 404


def test_refer_from_the_page_then_the_candidate_agrees_on_the_referrals_page(client):
    # given
    poster, referrer, candidate = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(referrer, candidate)
    opportunity = post(poster, title="Gig")
    client.force_login(referrer.user)
    # when
    response = client.post(
        f"/opportunities/{opportunity.public_id}/refer/",
        {"candidate": candidate.user.public_id, "note": "Knows it all"},
    )
    # then
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.status, referral.note) == ("awaiting_candidate", "Knows it all")
    client.force_login(candidate.user)
    page = client.get("/referrals/")
    assert shows(page, "Gig")
    client.post(f"/referrals/{referral.public_id}/agree/")
    assert Referral.objects.get().status == "submitted"
    client.force_login(poster.user)
    assert shows(client.get(f"/opportunities/{opportunity.public_id}/"), "Knows it all")
    client.post(
        f"/opportunities/{opportunity.public_id}/referral/",
        {"referral": referral.public_id, "status": "reviewing"},
    )
    assert Referral.objects.get().status == "reviewing"


def test_a_service_refusal_shows_as_a_message(client):
    poster, referrer = ProfileFactory(), ProfileFactory()
    opportunity = post(poster)
    client.force_login(referrer.user)
    response = client.post(
        f"/opportunities/{opportunity.public_id}/refer/",
        {"candidate": poster.user.public_id},
        follow=True,
    )
    assert shows(response, "You can refer only your connections.")
    assert Referral.objects.count() == 0


def test_the_poster_closes_it_and_it_leaves_the_lists(client):
    poster, member = ProfileFactory(), ProfileFactory()
    opportunity = post(poster, title="Closing soon")
    client.force_login(poster.user)
    client.post(f"/opportunities/{opportunity.public_id}/status/", {"status": "closed"})
    client.force_login(member.user)
    assert not shows(client.get("/opportunities/?tab=all"), "Closing soon")
    assert shows(client.get(f"/opportunities/{opportunity.public_id}/"), "Closing soon")


def test_the_open_to_page_saves_and_clears_the_signal(client):
    member = ProfileFactory()
    client.force_login(member.user)
    client.post(
        "/opportunities/open-to/", {"kinds": ["job", "freelance"], "audience": "connections"}
    )
    assert member.user.open_to_signal.kinds == ["job", "freelance"]
    client.post("/opportunities/open-to/", {"audience": "only_me"})
    member.user.refresh_from_db()
    assert not hasattr(member.user, "open_to_signal")


def test_the_export_holds_exactly_my_data(client):
    poster, other = ProfileFactory(), ProfileFactory()
    post(poster, title="Mine to export")
    post(other, title="Someone else's")
    client.force_login(poster.user)
    response = client.get("/opportunities/export/")
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json"
    assert [o["title"] for o in data["opportunities_posted"]] == ["Mine to export"]
    assert data["referrals"] == []
    assert data["open_to_signal"] is None


# Session, user, relations, profile/menu counts, then the page's own reads: the same
# whatever the number of opportunities, referrals and interest rows.
EXPECTED_QUERIES = {
    "/opportunities/": 14,
    "/opportunities/?tab=all": 10,
    "/opportunities/?tab=mine": 9,
    "/referrals/": 8,
}


@pytest.mark.parametrize(
    "url",
    ["/opportunities/", "/opportunities/?tab=all", "/opportunities/?tab=mine", "/referrals/"],
)
def test_list_pages_have_a_fixed_query_count(client, url, django_assert_num_queries):
    # given
    python, music = InterestFactory(name="Python"), InterestFactory(name="Music")
    me, poster, friend = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(me, friend)
    give_interests(me, python, kind="skill")
    client.force_login(me.user)

    def add(n: int) -> None:
        for i in range(n):
            theirs = post(poster, title=f"Role {i}", skills=[python], interests=[music])
            mine = post(me, title=f"Mine {i}", skills=[python])
            services.interest_express(user=friend.user, opportunity_public_id=mine.public_id)
            if i == 0:
                services.referral_create(
                    user=me.user,
                    opportunity_public_id=theirs.public_id,
                    candidate_public_id=friend.user.public_id,
                )

    # when / then
    for size in (2, 8):
        add(size)
        with django_assert_num_queries(EXPECTED_QUERIES[url]):
            assert client.get(url).status_code == 200


def test_for_you_shows_the_reason(client):
    python = InterestFactory(name="Python")
    me, poster = ProfileFactory(), ProfileFactory()
    give_interests(me, python, kind="skill")
    post(poster, title="Pythonista", skills=[python])
    client.force_login(me.user)
    page = client.get("/opportunities/")
    assert shows(page, "Needs Python, which you list as skills · Remote")
