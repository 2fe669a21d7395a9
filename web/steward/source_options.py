"""The option fields of the source form, built from each registered type's options model.

A type declares its options once, as a pydantic model whose fields carry an OptionText
(harvesters.base); this module turns each field into a form field by its annotation (str: a
text input, int: a number, bool: a checkbox, Literal or Enum: a select, dict[str, str]: lines
"key = value", list[str]: one value a line), reads the posted text back into the model's shape
and lets the model itself judge it, so the web accepts exactly what config.yaml accepts.
pydantic's findings become a message at the field in the page's language.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from flask_babel import gettext
from pydantic import ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from harvesters.base import OptionText
from harvesters.registry import SOURCE_TYPES, harvestable_types

Widget = Literal["text", "number", "checkbox", "select", "pairs", "lines"]
MAX_TEXT_LENGTH = 500  # an input: far above any organisation name, filter or keyword
MAX_LINES_LENGTH = 5000  # a text area of lines
# Posted names from before the form was built from the models; all others are "{type}_{key}".
KEPT_INPUT_NAMES = {
    ("spreadsheet", "separator"): "separator",
    ("spreadsheet", "columns"): "columns",
}


@dataclass(frozen=True)
class OptionField:
    """One option of one source type as the form offers it."""

    source_type: str
    key: str  # the key in the source's options
    input_name: str  # the posted name, also the field's id ("field-…") and error key
    widget: Widget
    text: OptionText
    choices: tuple[str, ...] = ()  # a select's values; a dict's allowed keys, if limited
    optional: bool = False  # a select offers "none"
    # A select's values as the model takes them (a Literal of numbers, an Enum's values).
    typed_choices: tuple[Any, ...] = ()

    def label(self, language: str) -> str:
        return self.text.label(language)

    def help(self, language: str) -> str:
        return self.text.help(language)


def option_fields(type_name: str) -> list[OptionField]:
    """The options a steward may set for this type, in the order of its model."""
    source_type = SOURCE_TYPES.get(type_name)
    if source_type is None:
        return []
    fields = []
    for key, info in source_type.options.model_fields.items():
        text = _option_text(key, info)
        if not text.operator_only:
            fields.append(_option_field(type_name, key, info, text))
    return fields


def offered_fields() -> dict[str, list[OptionField]]:
    """The option fields of every type a steward may choose, by type (registry order)."""
    return {name: option_fields(name) for name in harvestable_types()}


def input_names() -> list[str]:
    """Every option field's posted name, in the order of the form."""
    return [field.input_name for fields in offered_fields().values() for field in fields]


def shown_values(type_name: str, options: Mapping[str, Any] | None) -> dict[str, str]:
    """The type's options as its fields show them: stored values, else the model's defaults."""
    source_type = SOURCE_TYPES.get(type_name)
    if source_type is None:
        return {}
    stored = dict(options or {})
    model_fields = source_type.options.model_fields
    values = {}
    for field in option_fields(type_name):
        info = model_fields[field.key]
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        value = stored.get(field.key, default)
        values[field.input_name] = _shown(field.widget, value)
    return values


def option_facts(
    type_name: str, options: Mapping[str, Any] | None, language: str
) -> list[tuple[str, str, bool]]:
    """The source's options as its page lists them: label, value and whether the value is
    text as typed (shown as code); options left empty are left out."""
    facts = []
    values = shown_values(type_name, options)
    for field in option_fields(type_name):
        shown = values[field.input_name]
        if field.widget == "checkbox":
            facts.append(
                (field.label(language), gettext("ja") if shown else gettext("nein"), False)
            )
            continue
        if field.widget in ("pairs", "lines"):
            shown = ", ".join(shown.splitlines())
        if shown:
            facts.append((field.label(language), shown, True))
    return facts


def default_values() -> dict[str, str]:
    """Every offered type's fields with the model's defaults: a new source's form."""
    values: dict[str, str] = {}
    for name in harvestable_types():
        values.update(shown_values(name, None))
    return values


def posted_values(form: Mapping[str, str]) -> dict[str, str]:
    """The option fields of every type as sent (a checkbox sends "on" or nothing)."""
    values = {}
    for fields in offered_fields().values():
        for field in fields:
            values[field.input_name] = form.get(field.input_name, "").strip()
    return values


def operator_options(type_name: str, options: Mapping[str, Any] | None) -> dict[str, Any]:
    """The stored options the form does not offer: an edit in the web keeps them."""
    offered = {field.key for field in option_fields(type_name)}
    return {key: value for key, value in (options or {}).items() if key not in offered}


def checked_options(
    type_name: str, values: Mapping[str, str], kept: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The type's options as the harvester reads them, and {input name: message} if wrong.

    Empty fields are left out, so the model's defaults apply; what equals a default is not
    stored either. `kept` are options the form does not offer (operator_options).
    """
    source_type = SOURCE_TYPES.get(type_name)
    if source_type is None:
        return {}, {}
    fields = {field.key: field for field in option_fields(type_name)}
    raw: dict[str, Any] = dict(kept or {})
    errors: dict[str, str] = {}
    line_of_key: dict[str, dict[str, int]] = {}
    for field in fields.values():
        text = values.get(field.input_name, "")
        problem = _length_problem(field, text)
        if problem:
            errors[field.input_name] = problem
            continue
        parsed, problem, lines = _parsed(field, text)
        if problem:
            errors[field.input_name] = problem
        elif parsed is not None:
            raw[field.key] = parsed
            line_of_key[field.key] = lines
    try:
        model = source_type.options.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            _note(errors, error, fields, line_of_key)
        return {}, errors
    if errors:
        return {}, errors
    stored: dict[str, Any] = model.model_dump(mode="json", exclude_defaults=True)
    return stored, {}


def _option_text(key: str, info: FieldInfo) -> OptionText:
    for item in info.metadata:
        if isinstance(item, OptionText):
            return item
    return OptionText(key, key)


def _option_field(type_name: str, key: str, info: FieldInfo, text: OptionText) -> OptionField:
    annotation, optional = _without_none(info.annotation)
    input_name = KEPT_INPUT_NAMES.get((type_name, key), f"{type_name}_{key}")

    def made(widget: Widget, values: Iterable[Any] = ()) -> OptionField:
        typed = tuple(values)
        choices = tuple(str(value) for value in typed)
        return OptionField(type_name, key, input_name, widget, text, choices, optional, typed)

    if annotation is bool:
        return made("checkbox")
    if annotation is int:
        return made("number")
    if annotation is str:
        return made("text")
    if _choices(annotation) is not None:
        return made("select", _choices(annotation) or ())
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is dict and len(args) == 2 and args[1] is str:
        return made("pairs", _choices(args[0]) or ())
    if origin is list and args == (str,):
        return made("lines")
    raise TypeError(
        f"source type {type_name!r}, option {key!r}: the form has no field for {annotation!r}"
        " (use str, int, bool, a Literal or Enum, dict[str, str] or list[str], or mark it"
        " operator_only)"
    )


def _without_none(annotation: Any) -> tuple[Any, bool]:
    """`X | None` as (X, True); anything else as (it, False)."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _choices(annotation: Any) -> tuple[Any, ...] | None:
    """The values of a Literal or an Enum; None for anything else (a dict's str key)."""
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return tuple(member.value for member in annotation)
    return None


def _shown(widget: Widget, value: Any) -> str:
    if widget == "checkbox":
        return "on" if value else ""
    if value is None:
        return ""
    if widget == "pairs" and isinstance(value, Mapping):
        return "\n".join(f"{key} = {item}" for key, item in value.items())
    if widget == "lines" and isinstance(value, list | tuple):
        return "\n".join(str(item) for item in value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def _length_problem(field: OptionField, text: str) -> str:
    limit = MAX_LINES_LENGTH if field.widget in ("pairs", "lines") else MAX_TEXT_LENGTH
    if len(text) > limit:
        return gettext("Höchstens %(count)s Zeichen.", count=limit)
    return ""


def _parsed(field: OptionField, text: str) -> tuple[Any, str, dict[str, int]]:
    """The posted text in the model's shape (None: left empty), a message, each key's line."""
    if field.widget == "checkbox":
        return text == "on", "", {}
    if field.widget == "pairs":
        return _pairs(text)
    if field.widget == "lines":
        items = [line.strip() for line in text.splitlines() if line.strip()]
        return items or None, "", {}
    if field.widget == "select" and text in field.choices:
        return field.typed_choices[field.choices.index(text)], "", {}
    return text or None, "", {}


def _pairs(text: str) -> tuple[dict[str, str] | None, str, dict[str, int]]:
    """ "key = value" lines as a mapping, a message for the first line that is not one, and the
    line of each key (for the model's findings about a key)."""
    pairs: dict[str, str] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            message = gettext(
                "Zeile %(number)s: bitte als „Schlüssel = Wert“ schreiben.", number=number
            )
            return None, message, {}
        pairs[key] = value
        lines[key] = number
    return pairs or None, "", lines


def _note(
    errors: dict[str, str],
    error: ErrorDetails,
    fields: Mapping[str, OptionField],
    line_of_key: Mapping[str, Mapping[str, int]],
) -> None:
    """One finding of the model, as a message at its field (the first finding per field)."""
    loc = error["loc"]
    field = fields.get(str(loc[0])) if loc else None
    if field is None:  # an operator's option that no longer fits the model: say it at the type
        errors.setdefault("type", gettext("Bitte prüfen Sie diese Angabe."))
        return
    if len(loc) == 3 and loc[2] == "[key]":
        number = line_of_key.get(field.key, {}).get(str(loc[1]), 0)
        message = gettext(
            "Zeile %(number)s: unbekanntes Feld „%(field)s“; bekannt sind %(known)s.",
            number=number,
            field=str(loc[1]),
            known=", ".join(field.choices),
        )
    elif len(loc) >= 2 and field.widget == "pairs":
        number = line_of_key.get(field.key, {}).get(str(loc[1]), 0)
        message = gettext("Zeile %(number)s: %(problem)s", number=number, problem=_message(error))
    elif len(loc) >= 2 and field.widget == "lines" and isinstance(loc[1], int):
        message = gettext(
            "Zeile %(number)s: %(problem)s", number=loc[1] + 1, problem=_message(error)
        )
    else:
        message = _message(error)
    errors.setdefault(field.input_name, message)


_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda ctx: gettext("Bitte geben Sie hier etwas an."),
    "int_parsing": lambda ctx: gettext("Bitte eine ganze Zahl angeben."),
    "int_from_float": lambda ctx: gettext("Bitte eine ganze Zahl angeben."),
    "int_type": lambda ctx: gettext("Bitte eine ganze Zahl angeben."),
    "greater_than_equal": lambda ctx: gettext(
        "Bitte eine Zahl ab %(limit)s angeben.", limit=ctx.get("ge", "")
    ),
    "greater_than": lambda ctx: gettext(
        "Bitte eine Zahl größer als %(limit)s angeben.", limit=ctx.get("gt", "")
    ),
    "less_than_equal": lambda ctx: gettext(
        "Bitte eine Zahl bis %(limit)s angeben.", limit=ctx.get("le", "")
    ),
    "less_than": lambda ctx: gettext(
        "Bitte eine Zahl kleiner als %(limit)s angeben.", limit=ctx.get("lt", "")
    ),
    "string_too_short": lambda ctx: gettext(
        "Mindestens %(count)s Zeichen.", count=ctx.get("min_length", "")
    ),
    "string_too_long": lambda ctx: gettext(
        "Höchstens %(count)s Zeichen.", count=ctx.get("max_length", "")
    ),
    "literal_error": lambda ctx: gettext("Bitte einen der angebotenen Werte wählen."),
    "enum": lambda ctx: gettext("Bitte einen der angebotenen Werte wählen."),
}


def _message(error: ErrorDetails) -> str:
    """pydantic's finding in the page's language; what it has no words for, in general terms."""
    found = _MESSAGES.get(error["type"])
    if found is None:
        return gettext("Bitte prüfen Sie diese Angabe.")
    return found(dict(error.get("ctx") or {}))
