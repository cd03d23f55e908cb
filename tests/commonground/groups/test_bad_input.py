"""No input to the discussion, edit, announce and hashtag pages or their API answers a 500."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.accounts.services import api_token_create
from commonground.groups.discussions import services as discussions
from commonground.groups.models import Post
from tests.commonground.factories import PASSWORD, ProfileFactory
from tests.commonground.groups.helpers import add_member, make_group

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
nasty = st.one_of(
    st.just(""),
    st.just("x" * 10_001),
    st.just("\x00"),
    st.just("#tag\x00"),
    st.just("javascript:alert(1)"),
    st.just("https://" + "a" * 600),
    st.just("<script>alert(1)</script>"),
    st.just("🖖 #Ｓｔａｒ"),
    st.text(max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=8),
)
json_value = st.one_of(st.none(), st.booleans(), st.integers(), nasty, st.lists(nasty, max_size=2))


def _world():
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner)
    add_member(group, member)
    post = discussions.post_create(user=owner.user, slug=group.slug, body="Hi")
    return group, owner, post


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "title",
                "body",
                "link_url",
                "emoji",
                "comment",
                "action",
                "name",
                "interests",
                "scope",
            ]
        ),
        nasty,
        max_size=5,
    ),
    tag=nasty,
)
def test_junk_posted_to_every_group_form_answers_below_500(fields, tag):
    group, owner, post = _world()
    client = Client()
    assert client.login(email=owner.user.email, password=PASSWORD)
    base = f"/groups/{group.slug}"
    for url in (
        f"{base}/posts/",
        f"{base}/posts/{post.public_id}/",
        f"{base}/posts/{post.public_id}/react/",
        f"{base}/posts/{post.public_id}/moderate/",
        f"{base}/edit/",
        f"{base}/announce/",
    ):
        assert client.post(url, fields).status_code < 500, url
    quoted = quote(tag, safe="") or "x"
    assert client.get(f"/tags/{quoted}/").status_code < 500
    assert client.get(f"{base}/", {"page": tag}).status_code < 500
    Post.objects.all().delete()


@FUZZ
@given(
    body=st.dictionaries(
        st.sampled_from(["title", "body", "link_url", "emoji", "comment_id", "pinned", "role"]),
        json_value,
        max_size=4,
    ),
    tag=nasty,
)
def test_junk_sent_to_every_group_endpoint_answers_below_500(body, tag):
    group, owner, post = _world()
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=owner.user, name='t').key}"}
    base = f"/api/v1/groups/{group.slug}"
    for path in (
        f"{base}/posts",
        f"{base}/posts/{post.public_id}/comments",
        f"{base}/posts/{post.public_id}/reactions",
        f"{base}/posts/{post.public_id}/pin",
        f"{base}/posts/{post.public_id}/lock",
        f"{base}/members/{owner.user.public_id}/role",
        f"{base}/transfer",
    ):
        response = client.post(path, json.dumps(body), content_type="application/json", **headers)
        assert response.status_code < 500, path
        assert set(response.json()) >= {"code", "message"} or response.status_code < 300, path
    quoted = quote(tag, safe="") or "x"
    assert client.get(f"/api/v1/tags/{quoted}/posts", **headers).status_code < 500
    assert client.get(f"{base}/posts", {"page": tag}, **headers).status_code < 500
    Post.objects.all().delete()
