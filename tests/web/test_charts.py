"""Server-drawn SVG charts: named for screen readers, escaped, scaled, no inline style."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from flask import Flask

from web.charts import Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))


@pytest.fixture()
def german(app: Flask):
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        yield


def test_line_chart_names_itself_for_screen_readers(german: None) -> None:
    svg = _parse(
        line_chart(
            [Series("Aufrufe", [("2026-11", 3), ("2026-12", 7)])],
            title="Aufrufe je Monat",
            description="Tabelle darunter",
        )
    )
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby", "").split()
    titles = {el.get("id"): el.text for el in svg.iter() if el.tag in (SVG + "title", SVG + "desc")}
    assert titles[title_id] == "Aufrufe je Monat"
    assert titles[desc_id] == "Tabelle darunter"


def test_line_chart_draws_every_point_inside_the_value_axis(german: None) -> None:
    points = [(f"2026-{month:02d}", value) for month, value in enumerate([5, 0, 1234, 80], 1)]
    svg = _parse(line_chart([Series("Downloads", points)], title="t", description="d"))
    circles = list(svg.iter(SVG + "circle"))
    assert len(circles) == 4
    ys = [float(c.get("cy", "nan")) for c in circles]
    # Higher values sit higher (smaller y); zero sits on the axis at the bottom.
    assert ys[2] == min(ys) and ys[1] == max(ys)
    axis_labels = [t.text for t in svg.iter(SVG + "text")]
    # Round ticks up to the first one at or above the maximum, in German number format.
    assert axis_labels[:4] == ["0", "500", "1.000", "1.500"]
    assert "2.000" not in axis_labels
    polyline = next(svg.iter(SVG + "polyline"))
    assert len(polyline.get("points", "").split()) == 4


def test_several_series_get_a_legend_and_distinct_colours(german: None) -> None:
    svg = _parse(
        line_chart(
            [Series("Personen", [("a", 1), ("b", 2)]), Series("Bots", [("a", 3), ("b", 1)])],
            title="t",
            description="d",
        )
    )
    strokes = {p.get("stroke") for p in svg.iter(SVG + "polyline")}
    assert len(strokes) == 2
    texts = [t.text for t in svg.iter(SVG + "text")]
    assert "Personen" in texts and "Bots" in texts


def test_bar_widths_follow_the_values_and_long_labels_are_shortened(german: None) -> None:
    long_name = "Luftqualität an den Messstationen der Stadt, stündliche Werte"
    svg = _parse(bar_chart([(long_name, 40), ("Bäume", 10)], title="Top", description="d"))
    rects = list(svg.iter(SVG + "rect"))
    widths = [float(r.get("width", "0")) for r in rects]
    assert widths[0] == pytest.approx(4 * widths[1])
    labels = [t for t in svg.iter(SVG + "text") if t.get("text-anchor") == "end"]
    assert labels[0].text is None or len("".join(labels[0].itertext())) < len(long_name) * 2
    # The full name stays available as the label's tooltip.
    assert labels[0].find(SVG + "title") is not None
    assert labels[0].find(SVG + "title").text == long_name  # type: ignore[union-attr]


def test_text_is_escaped_and_no_inline_style_is_used(german: None) -> None:
    markup = str(bar_chart([("<script>alert(1)</script>", 1)], title="<b>x</b>", description="&"))
    assert "<script>" not in markup and "<b>" not in markup
    assert "style=" not in markup
    _parse(markup)  # still well-formed XML


def test_empty_chart_says_so(german: None) -> None:
    for markup in (
        line_chart([], title="t", description="d"),
        bar_chart([], title="t", description="d"),
    ):
        texts = [t.text for t in _parse(markup).iter(SVG + "text")]
        assert texts == ["Noch keine Werte"]


def test_same_chart_gets_the_same_id_different_charts_different_ones(german: None) -> None:
    one = line_chart([Series("a", [("x", 1)])], title="t", description="d")
    again = line_chart([Series("a", [("x", 1)])], title="t", description="d")
    other = line_chart([Series("a", [("x", 2)])], title="t", description="d")
    assert _parse(one).get("aria-labelledby") == _parse(again).get("aria-labelledby")
    assert _parse(one).get("aria-labelledby") != _parse(other).get("aria-labelledby")
