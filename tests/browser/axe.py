"""Accessibility checks with axe-core (the npm package), injected into a Playwright page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import REPO

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.1 AA is what BITV 2.0 asks of public pages.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = frozenset({"serious", "critical"})

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => JSON.stringify(node.target)),
  }));
}"""


@dataclass(frozen=True)
class AxeViolation:
    """One axe-core rule that failed, with the CSS targets of the nodes that break it."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} -> {', '.join(self.targets)}"


def run_axe(page: Page) -> list[AxeViolation]:
    """Every WCAG 2.1 A/AA violation axe-core finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated, not added as an inline <script>: the page's CSP rightly refuses those.
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(_RUN_AXE, WCAG_TAGS)
    return [
        AxeViolation(
            rule=item["rule"],
            impact=item["impact"] or "unknown",
            help=item["help"],
            targets=tuple(item["targets"]),
        )
        for item in found
    ]


def assert_accessible(page: Page, context_name: str) -> list[AxeViolation]:
    """Fail on every serious or critical violation; return the minor and moderate ones."""
    violations = run_axe(page)
    failing = [violation for violation in violations if violation.impact in FAILING_IMPACTS]
    if failing:
        listing = "\n".join(f"  - {violation}" for violation in failing)
        pytest.fail(
            f"{context_name} ({page.url}): axe-core found {len(failing)} serious or critical "
            f"WCAG 2.1 AA violation(s):\n{listing}",
            pytrace=False,
        )
    return [violation for violation in violations if violation.impact not in FAILING_IMPACTS]
