"""The browser fixtures (a module-scoped chromium, a fresh page) for this app's journey test."""

from tests.commonground.browser.conftest import browser, page  # noqa: F401
