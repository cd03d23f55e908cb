"""Two members connect, then talk: a message appears for the other without a reload.

The product's own ASGI application (Django for HTTP, Channels for the websocket) runs under
uvicorn in a thread, on a free port, against the test database.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from allauth.account.models import EmailAddress
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, expect

from commonground.messaging.models import Conversation, Message
from commonground.network.services import connection_request_accept, connection_request_create
from commonground.profiles.models import Profile
from tests.commonground.factories import PASSWORD, ProfileFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def asgi_server(transactional_db, monkeypatch, file_database) -> Iterator[str]:
    """commonground.asgi:application under uvicorn, bound to port 0 (read back)."""
    # Requests run in worker threads that end with the server: no persistent connections
    # (PostgreSQL, CONN_MAX_AGE), or theirs would outlive the test.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    if file_database is not None:
        # SQLite: the server's threads open the same file database as this one (WAL, busy
        # timeout, as in production), not the in-memory shared cache, where a websocket's
        # read lock made a concurrent write fail at once ("database table is locked").
        file_settings = {**connections.settings["default"]}
        file_settings["NAME"] = connections["default"].settings_dict["NAME"]
        monkeypatch.setitem(connections.settings, "default", file_settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config("commonground.asgi:application", lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _member(name: str) -> Profile:
    profile = ProfileFactory(display_name=name)
    EmailAddress.objects.create(
        user=profile.user, email=profile.user.email, verified=True, primary=True
    )
    return profile


def _log_in(browser: Browser, base: str, profile: Profile, *, javascript: bool = True) -> Page:
    context: BrowserContext = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(profile.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    return page


def _connect(a: Profile, b: Profile) -> None:
    request = connection_request_create(
        sender=a.user, recipient_public_id=b.user.public_id, note="Hi!"
    )
    connection_request_accept(user=b.user, request_public_id=request.public_id)


def test_connect_accept_then_a_message_arrives_in_real_time(asgi_server, browser: Browser):
    # given: Alex asks Bea to connect, Bea accepts
    alex, bea = _member("Alex Rivera"), _member("Bea Okafor")
    _connect(alex, bea)
    alex_page = _log_in(browser, asgi_server, alex)
    bea_page = _log_in(browser, asgi_server, bea)

    # Bea waits on her (empty) list of conversations
    bea_page.goto(f"{asgi_server}/messages/")
    expect(bea_page.get_by_role("heading", name="No conversations yet")).to_be_visible()
    expect(bea_page.locator("#conversation-list")).to_have_attribute("data-live", "on")
    bea_page.evaluate("window.stillTheSamePage = true")

    # Alex writes first, with the plain form on /messages/new/?to=…
    alex_page.goto(f"{asgi_server}/messages/new/?to={bea.user.public_id}")
    expect(alex_page.get_by_role("heading", name="Message Bea Okafor")).to_be_visible()
    alex_page.get_by_role("textbox", name="Message").fill("Hi Bea, coffee this week?")
    alex_page.get_by_role("button", name="Send").click()
    thread = alex_page.locator("#thread")
    expect(thread).to_contain_text("Hi Bea, coffee this week?")
    expect(thread).to_have_attribute("data-live", "on")
    conversation = Conversation.objects.get()

    # Bea's list shows it without a reload, with the unread count and the header badge
    conversations = bea_page.locator("#conversations")
    expect(conversations).to_contain_text("Alex Rivera")
    expect(conversations.get_by_label("1 unread")).to_be_visible()
    expect(bea_page.locator(".nav").get_by_label("1 unread")).to_be_visible()
    assert bea_page.evaluate("window.stillTheSamePage") is True
    bea_page.get_by_role("link", name="Alex Rivera").click()
    expect(bea_page.locator("#thread")).to_contain_text("Hi Bea, coffee this week?")
    expect(bea_page.locator("#thread")).to_have_attribute("data-live", "on")

    # when: Bea answers (a marker on Alex's page would vanish with a reload)
    alex_page.evaluate("window.stillTheSamePage = true")
    bea_page.get_by_role("textbox", name="Message").fill(
        "Yes! Thursday <b>at 9</b>? https://example.org/cafe"
    )
    bea_page.get_by_role("button", name="Send").click()

    # then: it appears on Alex's open page without a reload, as text, with a safe link
    answer = alex_page.locator("#thread .message").last
    expect(answer).to_contain_text("Yes! Thursday <b>at 9</b>?")
    expect(answer).to_contain_text("Bea Okafor")
    expect(answer.locator("a")).to_have_attribute("href", "https://example.org/cafe")
    expect(answer.locator("b")).to_have_count(0)
    expect(bea_page.locator("#thread .message.mine").last).to_contain_text("Thursday")
    expect(bea_page.get_by_role("textbox", name="Message")).to_have_value("")
    assert alex_page.evaluate("window.stillTheSamePage") is True
    assert Message.objects.filter(conversation=conversation).count() == 2
    for page in (alex_page, bea_page):
        page.context.close()


def test_without_javascript_the_form_sends_and_the_page_reloads(asgi_server, browser: Browser):
    # given
    alex, bea = _member("Alex Rivera"), _member("Bea Okafor")
    _connect(alex, bea)
    page = _log_in(browser, asgi_server, alex, javascript=False)

    # when
    page.goto(f"{asgi_server}/messages/new/?to={bea.user.public_id}")
    page.get_by_role("textbox", name="Message").fill("No scripts here")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("textbox", name="Message").fill("A second one\non two lines")
    page.get_by_role("button", name="Send").click()

    # then
    messages = page.locator("#thread .message")
    expect(messages).to_have_count(2)
    expect(messages.last).to_contain_text("A second one")
    expect(messages.last.locator("br")).to_have_count(1)
    assert page.locator("#thread").get_attribute("data-live") is None
    page.context.close()
