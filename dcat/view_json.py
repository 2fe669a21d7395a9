"""A DatasetView as compact JSON and back: the stored form of dcat.view.dataset_view's result.

Reading a record's graph into its view costs 3-5 ms (parse plus read); decoding this JSON is a
small fraction of that, so a whole-catalog reindex reads stored views. The stored form is only a
cache: VIEW_VERSION names the code and data the view is made from, and a view stored under
another version is made again from the graph (dataset_view stays the one function from graph
to flat view).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import types
import typing
from datetime import date, datetime
from importlib import resources
from typing import Any, Union, get_args, get_origin

from dcat import view as view_module
from dcat.view import DatasetView, Labelled

# Raise when the JSON layout changes in a way the source fingerprint below cannot see.
VIEW_JSON_FORMAT = 1
# The modules whose code decides what a view holds, and this one (its layout).
_VIEW_MODULES = ("view.py", "model.py", "view_json.py", "vocabularies.py", "namespaces.py")


@functools.cache
def view_version() -> str:
    """A short fingerprint of everything a stored view depends on besides the graph.

    Any change to the view function, the date parsing, the vocabularies (labels) or this
    layout gives a new version, so views stored by an older Stadtkatalog are made again.
    """
    digest = hashlib.sha256(f"format {VIEW_JSON_FORMAT}".encode())
    package = resources.files("dcat")
    for name in _VIEW_MODULES:
        digest.update((package / name).read_bytes())
    vocabularies = package / "vocab"
    for vocabulary in sorted(vocabularies.iterdir(), key=lambda entry: entry.name):
        digest.update(vocabulary.read_bytes())
    return digest.hexdigest()[:16]


def view_to_json(view: DatasetView) -> str:
    """Compact JSON of the view (dates as ISO text, labelled values as [iri, label])."""
    return json.dumps(_plain(view), ensure_ascii=False, separators=(",", ":"))


def view_from_json(text: str) -> DatasetView:
    """The view view_to_json wrote; equal (==) to the one it was made from."""
    decoded = _decoder(DatasetView)(json.loads(text))
    return typing.cast(DatasetView, decoded)


def _plain(value: Any) -> Any:
    if isinstance(value, Labelled):
        return [value.iri, value.label]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_plain(getattr(value, item.name)) for item in dataclasses.fields(value)]
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# Every dataclass dcat.view defines (Labelled aside, stored as a pair): a view class added
# there is stored without a change here.
_VIEW_CLASSES = tuple(
    value
    for value in vars(view_module).values()
    if isinstance(value, type)
    and dataclasses.is_dataclass(value)
    and value.__module__ == view_module.__name__
    and value is not Labelled
)


def _date_value(text: str) -> date | datetime:
    # isoformat() of a date has no "T"; of a datetime always one.
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def _identity(value: Any) -> Any:
    return value


def _optional(decode: Any) -> Any:
    return lambda value: None if value is None else decode(value)


def _tuple_of(decode: Any) -> Any:
    return lambda values: tuple(decode(value) for value in values)


def _labelled(value: list[str]) -> Labelled:
    return Labelled(value[0], value[1])


@functools.cache
def _decoder(annotation: Any) -> Any:
    """A function from the JSON form to the value of the annotated type (built once per type)."""
    if annotation in _VIEW_CLASSES:
        hints = typing.get_type_hints(annotation)
        field_decoders = [_decoder(hints[item.name]) for item in dataclasses.fields(annotation)]

        def decode_dataclass(values: list[Any]) -> Any:
            return annotation(*(d(v) for d, v in zip(field_decoders, values, strict=True)))

        return decode_dataclass
    if annotation is Labelled:
        return _labelled
    origin = get_origin(annotation)
    arguments = get_args(annotation)
    if origin is tuple:
        return _tuple_of(_decoder(arguments[0]))
    if origin in (Union, types.UnionType):
        members = [a for a in arguments if a is not type(None)]
        if set(members) == {date, datetime}:
            decode = _date_value
        elif len(members) == 1:
            decode = _decoder(members[0])
        else:
            raise TypeError(f"no JSON form for {annotation}")
        return _optional(decode) if type(None) in arguments else decode
    if annotation in (str, int, float, bool):
        return _identity
    raise TypeError(f"no JSON form for {annotation}")
