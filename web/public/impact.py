"""The impact page ("Wirkung"): what the catalog holds and how it is used, with a CSV of each
figure (web.impact_figures)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from web.impact_figures import figure_builders

blueprint = Blueprint("impact", __name__)


@blueprint.get("/wirkung")
def impact() -> str:
    figures = [build() for build in figure_builders(None).values()]
    return render_template("impact.html", figures=figures)


@blueprint.get("/wirkung/<key>.csv")
def impact_csv(key: str) -> Response:
    build = figure_builders(None).get(key)
    if build is None:
        abort(404)
    return csv_response(build().csv_text(), f"wirkung-{key}.csv")


def csv_response(text: str, filename: str) -> Response:
    """UTF-8 with a byte order mark, so spreadsheet programs read the umlauts right."""
    response = Response("\ufeff" + text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
