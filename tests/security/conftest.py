"""The browser fixtures of tests/browser/, for the security tests that load pages."""

from tests.browser.conftest import browser, page  # noqa: F401
