"""Harvested descriptions on public pages: as safe rich text, and as plain-text snippets.

Descriptions come from other systems: CKAN notes in Markdown, portals whose editors deliver
HTML (`<p>`, `<br>`, lists, links, entities), and now and then hostile markup. Pages show them
as rich text that can neither run code nor load anything from another host; lists, feeds and
meta tags show plain text. The RDF and CKAN API outputs keep the text as delivered.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML stays off for text without markup, so `a < b` or a stray `<script>` is shown as
# text; text that does carry HTML is read the way CKAN reads notes (Markdown with raw HTML),
# and nh3 decides what survives.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown_with_html = MarkdownIt(
    "commonmark", {"html": True, "linkify": False, "typographer": False}
)
for _renderer in (_markdown, _markdown_with_html):
    _renderer.disable("image")  # images from other hosts would load without the visitor asking

ALLOWED_TAGS = {
    *("p", "br", "div", "hr", "blockquote", "pre", "code"),
    *("strong", "b", "em", "i", "sub", "sup", "a"),
    *("ul", "ol", "li", "dl", "dt", "dd"),
    *("h1", "h2", "h3", "h4", "h5", "h6"),  # demoted below the page's own headings
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Dropped with their content: code and styles, and frames whose fallback text is noise.
DROPPED_WITH_CONTENT = {"script", "style", "template", "iframe", "noscript", "object"}

# Element names that make a description count as HTML; `<Stadtteil>` or `<Datum>` is not one.
_ELEMENTS = (
    "a|abbr|address|article|aside|b|blockquote|body|br|caption|center|cite|code|dd|del|details"
    "|div|dl|dt|em|embed|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|iframe"
    "|img|input|ins|kbd|li|link|main|mark|meta|nav|noscript|object|ol|p|pre|q|s|samp|script"
    "|section|small|span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|template|tfoot"
    "|th|thead|time|title|tr|tt|u|ul|var|wbr"
)
# Markup, not a placeholder: a closing tag, a tag with an attribute, a void tag (or a comment).
_HTML_MARKUP = re.compile(
    rf"</(?:{_ELEMENTS})\s*>|<(?:{_ELEMENTS})\s[^<>=]*=[^<>]*>|<(?:br|hr|img|wbr)\s*/?>",
    re.IGNORECASE,
)
# A tag the search index's summary cut in half ("… <a href="https://da …").
_CUT_TAG = re.compile(rf"<(?:/?(?:{_ELEMENTS})\b[^<>]*)?$", re.IGNORECASE)
# In HTML, `<Stadtteil>`, `<Code>` or `<https://…>` would be an element and vanish: show them as
# text. Element names count when written in lower or upper case, as HTML editors write them.
_NOT_AN_ELEMENT = re.compile(rf"<(?=/?[A-Za-z])(?!/?(?:{_ELEMENTS}|{_ELEMENTS.upper()})[\s/>])")
_HEADING = re.compile(r"<(/?)h([1-6])>")
_ELLIPSIS = " …"


def contains_html(text: str) -> bool:
    """Whether the text carries HTML markup (rather than Markdown, `a < b` or `<Stadtteil>`)."""
    opened = text.find("<!--")  # found by hand: a regular expression is quadratic on "<!--" runs
    return _HTML_MARKUP.search(text) is not None or (opened >= 0 and "-->" in text[opened:])


def render_description(text: str | None, top_heading: int = 3) -> Markup:
    """The description as safe rich text: Markdown, or the source's HTML through an allow-list.

    Headings keep their order but start at `top_heading`, below the page's own. Links keep
    only http, https and mailto addresses and get rel="nofollow noopener noreferrer".
    """
    text = text or ""
    if contains_html(text):
        # Editors indent their HTML; in Markdown, four spaces would make it a code block.
        lines = (_NOT_AN_ELEMENT.sub("&lt;", line.lstrip()) for line in text.splitlines())
        html = _markdown_with_html.render("\n".join(lines))
    else:
        html = _markdown.render(text)
    return Markup(_demote_headings(_clean(html), top_heading))


def plain_description(text: str | None, limit: int | None = None) -> str:
    """The description as one line of plain text for snippets, feeds and meta tags.

    Tags and Markdown syntax go, entities are decoded, whitespace is collapsed, and a text
    longer than `limit` is cut at a word boundary and ends in " …". The words are those the
    rich text shows, so a snippet never offers what the page hides (a script's body).
    """
    text = (text or "").strip()
    if text.endswith("…"):
        text = _CUT_TAG.sub("", text[:-1].rstrip()) + _ELLIPSIS
    words = _TextCollector.text_of(str(render_description(text)))
    return _cut(words, limit) if limit is not None else words


def _href_filter(tag: str, attribute: str, value: str) -> str | None:
    # nh3 passes relative addresses; on our pages they would point at our own host.
    if attribute == "href" and not value.strip().lower().startswith(
        tuple(f"{scheme}:" for scheme in ALLOWED_SCHEMES)
    ):
        return None
    if attribute in {"colspan", "rowspan", "start"} and not value.strip().isdigit():
        return None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_href_filter,
    url_schemes=ALLOWED_SCHEMES,
    link_rel="nofollow noopener noreferrer",
)


def _clean(html: str) -> str:
    return _cleaner.clean(html)


def _demote_headings(html: str, top: int) -> str:
    """Shift every heading by the same step so that the highest one is h{top} (h6 at most)."""
    levels = [int(level) for _, level in _HEADING.findall(html)]
    if not levels:
        return html
    shift = top - min(levels)
    return _HEADING.sub(
        lambda found: f"<{found.group(1)}h{min(int(found.group(2)) + shift, 6)}>", html
    )


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    kept = text[: max(limit - len(_ELLIPSIS), 1)]
    if " " in kept and text[len(kept)].isalnum():  # the cut fell inside a word
        kept = kept.rsplit(" ", 1)[0]
    return kept.rstrip(" ,;:–-") + _ELLIPSIS


class _TextCollector(HTMLParser):
    """The text of sanitised HTML, with a space wherever a block or line break separates words."""

    BREAKS = frozenset(
        {"p", "br", "div", "hr", "blockquote", "pre", "li", "dt", "dd", "tr", "th", "td"}
        | {"caption", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BREAKS:
            self.pieces.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS:
            self.pieces.append(" ")

    def handle_data(self, data: str) -> None:
        self.pieces.append(data)

    @classmethod
    def text_of(cls, html: str) -> str:
        collector = cls()
        collector.feed(html)
        collector.close()
        return " ".join("".join(collector.pieces).split())
