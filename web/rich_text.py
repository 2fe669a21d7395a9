"""Descriptions as safe HTML: Markdown rendered, then sanitised, so harvested text stays inert.

Harvested descriptions come from other systems and may carry <script>, javascript: links or
event attributes. markdown-it renders with raw HTML off (so such markup arrives as text), and
nh3 (ammonia) then allows only a small set of tags, attributes and URL schemes.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable("image")  # images from other hosts would load without the visitor asking

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_description(text: str) -> Markup:
    """The description as sanitised HTML; headings start at h3 under the page's own."""
    html = _markdown.render(text or "")
    for level in range(1, 3):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(cleaned)
