"""The strict Content-Security-Policy in Chromium: pages keep to it, and the guard of every
browser test (conftest.PageWatch) notices when anything breaks it (issue 16, item 9)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import watched_context

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

# What an attacker's markup would try if it slipped past escaping.
_INJECT_INLINE_CODE = """() => {
  const script = document.createElement('script');
  script.textContent = 'window.injected = true;';
  document.body.append(script);
  const styled = document.createElement('p');
  styled.setAttribute('style', 'color: red');
  document.body.append(styled);
  return window.injected === true;
}"""


@pytest.mark.parametrize("path", ["/", "/suche?q=Daten", "/verwaltung/anmelden"])
def test_pages_carry_the_strict_policy_and_nothing_on_them_breaks_it(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None
    policy = response.header_value("content-security-policy") or ""
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.header_value("x-content-type-options") == "nosniff"
    # The page fixture fails the test afterwards on any violation Chromium reported.


def test_inline_code_is_refused_and_the_refusal_fails_a_browser_test(
    browser: Browser, live_server: str
) -> None:
    context, watch = watched_context(browser, live_server)
    try:
        opened = context.new_page()
        opened.goto("/")
        assert opened.evaluate(_INJECT_INLINE_CODE) is False  # the script did not run
        opened.evaluate("() => new Promise((done) => setTimeout(done, 0))")
    finally:
        context.close()
    problems = watch.problems()
    assert any(p.startswith("CSP violation: script-src") for p in problems), problems
    assert any(p.startswith("CSP violation: style-src") for p in problems), problems
