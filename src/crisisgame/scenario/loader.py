"""Load a scenario file and report every problem in it as `path:line:column: message`.

Facilitators are not programmers, so the loader's job is as much the errors as the model: it
reports all of them at once, each located and with a hint. It works in three passes:

1. parse YAML safely with ruamel.yaml into a node tree (bounded size, depth and alias expansion,
   so hostile input is refused quickly), then convert the nodes into plain data while recording
   where every key and value sits in the file, and noting duplicate keys;
2. validate the data against the pydantic model and translate each error into plain words;
3. check cross-references (`crisisgame.scenario.checks`), which need the whole document.
"""

from __future__ import annotations

import calendar
import math
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from crisisgame.scenario.checks import Loc, Problem, closest, reference_problems
from crisisgame.scenario.model import Scenario
from crisisgame.scenario.plausibility import plausibility_warnings

MAX_BYTES = 2 * 1024 * 1024
"""Largest scenario file accepted; the biggest shipped scenario is well under 100 KiB."""
MAX_DEPTH = 40
"""Deepest nesting accepted; a scenario needs about eight levels."""
MAX_NODES = 100_000
"""Most values accepted after expanding aliases, which stops 'billion laughs' alias bombs."""
MAX_NUMBER = 10**15
"""Largest magnitude of a number in a scenario: no figure of a state comes near (world GDP is about
1e8 in millions of dollars); a larger one is a slip, or input meant to make the parser work."""

_STD_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {"null", "bool", "int", "float", "str", "map", "seq", "timestamp"}


@dataclass(frozen=True, order=True)
class ScenarioError:
    """One problem in a scenario file, located at a 1-based line and column."""

    line: int
    column: int
    message: str
    hint: str | None = None
    path: str = "<scenario>"
    warning: bool = False
    """A plausibility warning: the file is valid, but a figure looks like a slip."""

    def __str__(self) -> str:
        label = "warning: " if self.warning else ""
        text = f"{self.path}:{self.line}:{self.column}: {label}{self.message}"
        return f"{text}\n    hint: {self.hint}" if self.hint else text


@dataclass(frozen=True)
class Diagnosis:
    """Everything the validator says about a file: the scenario if valid, its errors and its warnings."""

    scenario: Scenario | None
    errors: list[ScenarioError]
    warnings: list[ScenarioError]

    def failed(self, strict: bool = False) -> bool:
        """Whether the file is refused: any error, or under `strict` any warning too."""
        return bool(self.errors or (strict and self.warnings))


class ScenarioInvalid(Exception):
    """Raised by `load_scenario` with every problem found in the file."""

    def __init__(self, errors: list[ScenarioError]) -> None:
        self.errors = errors
        super().__init__("\n".join(map(str, errors)))


class _Refused(Exception):
    """Input refused before or while parsing (size, binary, bombs)."""

    def __init__(self, message: str, hint: str | None = None, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.hint, self.line, self.column = message, hint, line, column


# --------------------------------------------------------------------------- pass 1: YAML


@dataclass
class _Located:
    """Plain data converted from YAML, with positions: path -> (line, column) of value and key."""

    data: Any
    values: dict[Loc, tuple[int, int]]
    keys: dict[Loc, tuple[int, int]]
    problems: list[Problem]
    out_of_range: set[Loc]
    """Where a number past `MAX_NUMBER` (or not finite) stood: its value is dropped, and reported once."""


def _tag(node: Node) -> str:
    return str(getattr(node.tag, "value", node.tag))


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Converter:
    def __init__(self) -> None:
        self.values: dict[Loc, tuple[int, int]] = {}
        self.keys: dict[Loc, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.out_of_range: set[Loc] = set()
        self.count = 0

    def convert(self, node: Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            line, col = _pos(node)
            raise _Refused(
                f"the document expands to more than {MAX_NODES:,} values",
                "this looks like an alias bomb (anchors repeated inside anchors); write the values out",
                line,
                col,
            )
        self.values.setdefault(loc, _pos(node))
        tag = _tag(node)
        if tag.removeprefix(_STD_TAG) not in _ALLOWED_TAGS:
            shown = tag.replace(_STD_TAG, "!!")
            self.problems.append(
                Problem(loc, f"YAML tag '{shown}' is not allowed", "remove the tag; plain values suffice")
            )
        if isinstance(node, MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*loc, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        problem = _number_problem(tag, node.value)
        if problem is not None:
            self.problems.append(Problem(loc, *problem))
            self.out_of_range.add(loc)
            return None
        return _scalar(tag, node.value)

    def mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        out: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if _tag(key_node) == _STD_TAG + "merge":
                for source in value_node.value if isinstance(value_node, SequenceNode) else [value_node]:
                    data = self.convert(source, loc)
                    if isinstance(data, dict):
                        for k, v in data.items():
                            merged.setdefault(k, v)
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.append(Problem(loc, "a key must be a plain word, not a list or mapping"))
                self.values.setdefault(loc, _pos(key_node))
                continue
            key = str(key_node.value)
            kloc = (*loc, key)
            if key in out:
                first = self.keys[kloc]
                line, col = _pos(key_node)
                self.problems.append(
                    Problem(
                        ("__at__", line, col),
                        f"duplicate key '{key}' (first at line {first[0]})",
                        "remove one of them; YAML keeps only one value per key",
                    )
                )
                continue
            self.keys[kloc] = _pos(key_node)
            out[key] = self.convert(value_node, kloc)
        for k, v in merged.items():
            out.setdefault(k, v)
        return out


_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)$")


def _number_problem(tag: str, text: str) -> tuple[str, str] | None:
    """(message, hint) if a YAML number is not finite or larger than `MAX_NUMBER`, else None. Checked on
    the text before converting it, so a number of a million digits costs no big-integer arithmetic."""
    kind = tag.removeprefix(_STD_TAG)
    if kind not in ("int", "float"):
        return None
    clean = text.replace("_", "").lower().lstrip("+-")
    if kind == "float" and clean in (".inf", ".nan"):
        return "a scenario number must be finite, not .inf or .nan", "write the figure as a number"
    mantissa = clean.split("e", 1)[0]
    digits = len(mantissa.split(".", 1)[0].lstrip("0")) if kind == "float" else len(clean)
    hint = "no figure in a scenario is larger than 10^15; check the unit (millions or billions)"
    if kind == "int" and digits > 16 and not clean.startswith(("0x", "0o", "0b")):
        return f"a number of {digits:,} digits is too large", hint
    if kind == "int" and len(clean) > 20:  # hexadecimal, octal or binary: never this long
        return f"a number of {len(clean):,} characters is too large", hint
    if kind == "int":
        value = _scalar(tag, text)
        too_big = isinstance(value, int) and abs(value) > MAX_NUMBER
        return (f"the number {value:.3g} is too large", hint) if too_big else None
    if digits > 20:
        return f"a number of {digits:,} digits is too large", hint
    try:
        number = float(text.replace("_", ""))
    except ValueError:
        return None
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        return f"the number {text[:20]}{'...' if len(text) > 20 else ''} is too large", hint
    return None


def _scalar(tag: str, text: str) -> Any:
    """The value of a resolved YAML 1.2 scalar; dates stay text for pydantic to parse."""
    kind = tag.removeprefix(_STD_TAG)
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() in ("true", "yes", "on")
    if kind == "int":
        clean = text.replace("_", "")
        try:
            return int(clean, 0) if not _INT.match(clean) else int(clean)
        except ValueError:
            return text
    if kind == "float":
        clean = text.replace("_", "").lower()
        if clean.endswith(".inf"):
            return -math.inf if clean.startswith("-") else math.inf
        if clean == ".nan":
            return math.nan
        try:
            return float(clean)
        except ValueError:
            return text
    return text


def _check_depth(yaml: YAML, text: str) -> None:
    """Refuse deep nesting from the event stream, before the (recursive) composer sees it."""
    depth = 0
    for event in yaml.parse(text):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise _Refused(
                    f"the document is nested more than {MAX_DEPTH} levels deep",
                    "a scenario needs about eight levels; check the brackets and indentation",
                    mark.line + 1,
                    mark.column + 1,
                )
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _parse(text: str) -> _Located:
    yaml = YAML(typ="safe")  # libyaml's C parser when ruamel.yaml.clib is installed, else pure Python
    _check_depth(yaml, text)
    node = yaml.compose(text)
    conv = _Converter()
    data = None if node is None else conv.convert(node, ())
    return _Located(data, conv.values, conv.keys, conv.problems, conv.out_of_range)


_SYNTAX_HINTS = [
    ("cannot start any token", "quote values that begin with @, ` or %"),
    ("mapping values are not allowed", "a value containing ': ' must be quoted, or check the indentation above"),
    ("could not find expected ':'", "each line of a mapping needs 'key: value'; check the line above"),
    ("expected <block end>", "check the indentation: items of one list or mapping must line up"),
    ("found undefined alias", "define the anchor (&name) before using it (*name)"),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
    ("while scanning a quoted scalar", "a quote is not closed"),
    ("did not find expected key", "check the indentation: the keys of one mapping must line up exactly"),
    ("did not find expected '-' indicator", "check the indentation: the items of one list must line up exactly"),
]


_OPENING_QUOTE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s#:'"{}\[\],][^:#]*:\s+)?(["'])""")
"""A block value (after `key: ` or `- `) that starts with a quote."""


def _closes(line: str, start: int, quote: str) -> bool:
    """Whether the quote opened at `start` closes on the same line."""
    i = start + 1
    while i < len(line):
        if quote == '"' and line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            if quote == "'" and line[i + 1 : i + 2] == "'":
                i += 2  # '' is an escaped quote inside single quotes
                continue
            return True
        i += 1
    return False


def _unclosed_quote(lines: list[str], before: int) -> tuple[int, int] | None:
    """The last quote opened and left open on its own line, before 0-based line `before`."""
    found = None
    for n, line in enumerate(lines[:before]):
        match = _OPENING_QUOTE.match(line)
        if match and not _closes(line, match.start(1), match.group(1)):
            found = (n, match.start(1))
    return found


def _quote_refused(line: int, column: int, error_line: int) -> _Refused:
    return _Refused(
        "YAML syntax error: this quote is not closed on its line",
        f"close it before the end of the line; YAML read on until line {error_line} looking for the closing quote",
        line + 1,
        column + 1,
    )


def _content_column(line: str) -> int:
    """Where a line's key or value starts: after its indentation and any list dashes."""
    match = re.match(r"^(\s*(?:-\s+)*)", line)
    return len(match.group(1)) if match else 0


def _misindented(lines: list[str], at: int) -> _Refused | None:
    """A line indented deeper than the plain `key: value` line above it, read as part of that value."""
    if at >= len(lines) or at == 0:
        return None
    line = lines[at]
    above = next((n for n in range(at - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")), None)
    if above is None:
        return None
    prev = lines[above]
    indent, expected = len(line) - len(line.lstrip(" ")), _content_column(prev)
    key = re.match(r"^\s*(?:-\s+)*([^\s:#]+):(?:\s|$)", prev)
    if not key or prev.rstrip().endswith(":") or indent <= expected:
        return None
    return _Refused(
        f"YAML syntax error: line {at + 1} is indented {indent} spaces, deeper than '{key.group(1)}' on line "
        f"{above + 1} ({expected}), so YAML reads it as part of that value",
        f"line it up with '{key.group(1)}:' ({expected} spaces), or indent it under a key that ends with ':'",
        at + 1,
        indent + 1,
    )


def _misaligned(lines: list[str], at: int) -> _Refused | None:
    """A key indented less than the key above it, but not as little as any key it could belong to."""
    if at >= len(lines) or at == 0:
        return None
    line = lines[at]
    if not line.strip() or line.lstrip().startswith(("#", "-")):
        return None
    indent = len(line) - len(line.lstrip(" "))
    above = [n for n in range(at - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")]
    if not above:
        return None
    prev = lines[above[0]]
    expected = _content_column(prev)
    key = re.match(r"^\s*(?:-\s+)*([^\s:#]+):(?:\s|$)", prev)
    if not key or indent >= expected:
        return None
    levels = {_content_column(lines[n]) for n in above} | {len(lines[n]) - len(lines[n].lstrip(" ")) for n in above}
    if indent in levels:
        return None  # a plain return to an outer level: the trouble is elsewhere
    return _Refused(
        f"YAML syntax error: line {at + 1} is indented {indent} spaces, less than '{key.group(1)}' on line "
        f"{above[0] + 1} ({expected}) but more than the key it would belong to",
        f"line it up with '{key.group(1)}:' ({expected} spaces), or with the key it belongs under",
        at + 1,
        indent + 1,
    )


_OPENING_CURLY = re.compile("^\\s*(?:-\\s+)?(?:[^\\s:#][^:#]*:\\s+)?[\u201c\u2018]")
"""A value (after `key: ` or `- `) that opens with a typographic quote, which word processors and web
pages put where a straight one was typed."""


def _pasted(lines: list[str], at: int) -> _Refused | None:
    """Characters pasted from a word processor or a web page, which YAML does not read as their look-alikes:
    non-breaking spaces in the indentation, typographic quotes around a value."""
    if at >= len(lines):
        return None
    for n in (at - 1, at):  # YAML may only stumble on the line after the one with the pasted spaces
        indent = lines[n][: len(lines[n]) - len(lines[n].lstrip())] if n >= 0 else ""
        if "\u00a0" in indent:
            return _Refused(
                f"YAML syntax error: line {n + 1} is indented with non-breaking spaces",
                "replace them with ordinary spaces (they come with text copied from a web page or a word processor)",
                n + 1,
                indent.index("\u00a0") + 1,
            )
    opened = _OPENING_CURLY.match(lines[at])  # a value the author meant to quote
    if opened is not None:
        curly = opened.end() - 1
        return _Refused(
            f"YAML syntax error: line {at + 1} has typographic quotes (\u201c \u201d), which YAML reads as "
            "ordinary characters",
            'write straight quotes (") instead: a word processor or a web page turned them into curly ones',
            at + 1,
            curly + 1,
        )
    return None


def _syntax_error(exc: YAMLError, text: str) -> _Refused:
    if isinstance(exc, MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        problem = exc.problem or "invalid YAML"
        lines = text.splitlines()
        if exc.context == "expected a single document in the stream":
            return _Refused(
                f"the file holds more than one YAML document: a second one starts at line {mark.line + 1}",
                "a scenario is one document: remove the '---' line (and what follows it, if it is another file)",
                mark.line + 1,
                mark.column + 1,
            )
        if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
            return _quote_refused(exc.context_mark.line, exc.context_mark.column, mark.line + 1)
        opened = _unclosed_quote(lines, mark.line)
        if opened is not None:
            return _quote_refused(*opened, mark.line + 1)
        pasted = _pasted(lines, mark.line)
        if pasted is not None:
            return pasted
        misindented = _misindented(lines, mark.line) or _misaligned(lines, mark.line)
        if misindented is not None:
            return misindented
        if mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
            return _Refused(
                "YAML syntax error: a tab character where YAML expects spaces",
                "indent with spaces, never tabs (most editors can convert tabs to spaces)",
                mark.line + 1,
                mark.column + 1,
            )
        hint = next((h for key, h in _SYNTAX_HINTS if key in problem or key in (exc.context or "")), None)
        context = f" {exc.context}" if exc.context else ""
        return _Refused(f"YAML syntax error: {problem}{context}".rstrip(), hint, mark.line + 1, mark.column + 1)
    return _Refused(f"YAML syntax error: {exc}")


def _too_big(size: int) -> _Refused:
    return _Refused(
        f"file is {size:,} bytes, more than the {MAX_BYTES:,} allowed",
        "a scenario is a few hundred lines; is this the right file?",
    )


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise _too_big(len(raw))
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw.count(b"\n", 0, offset) + 1
        raise _Refused("this is a binary file, not YAML text", "save the scenario as plain UTF-8 text", line)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _Refused(
            "the file is not valid UTF-8 text", "save the scenario as UTF-8 (most editors offer it)", line, col
        ) from None
    return text


# --------------------------------------------------------------------------- pass 2: pydantic


def _unwrap(tp: Any) -> list[Any]:
    """The concrete types behind Annotated, Optional and unions."""
    origin = get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in get_args(tp) for t in _unwrap(arg)]
    return [tp]


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class whose fields live at `loc` (union tags in `loc` select the member)."""
    current: list[Any] = [Scenario]
    for seg in loc:
        nxt: list[Any] = []
        for tp in current:
            origin = get_origin(tp)
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                for name, field in tp.model_fields.items():
                    if seg in (name, field.alias):
                        nxt.extend(_unwrap(field.annotation))
            elif origin is list and isinstance(seg, int):
                nxt.extend(_unwrap(get_args(tp)[0]))
            elif origin is dict:
                nxt.extend(_unwrap(get_args(tp)[1]))
        if not nxt:  # a union tag such as 'have_agreement': pick the member it names
            for tp in current:
                if isinstance(tp, type) and issubclass(tp, BaseModel):
                    kind = tp.model_fields.get("kind")
                    if kind is not None and seg in get_args(kind.annotation):
                        nxt.append(tp)
            if not nxt:
                nxt = current
        current = nxt
    models = [t for t in current if isinstance(t, type) and issubclass(t, BaseModel)]
    return models[0] if len(models) == 1 else None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'" if len(value) < 40 else "a piece of text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_EXPECTED = {
    "float_type": "a number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
    "finite_number": "a finite number",
}

_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "more than"),
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
}


def _resolve(data: Any, loc: Loc) -> tuple[Loc, list[str]]:
    """Split a pydantic error location into the part present in the data and the rest."""
    path: list[str | int] = []
    rest: list[str] = []
    node: Any
    node = data
    for seg in loc:
        in_dict = isinstance(node, dict) and seg in node
        in_list = isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node)
        if in_dict or in_list:
            path.append(seg)
            node = node[seg]
        else:
            rest.append(str(seg))
    return tuple(path), rest


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")


def _impossible_date(text: str) -> str | None:
    """What is wrong with a date written in the right shape but naming no day of the calendar."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return f"'{text}' is not a date: there is no month {month} (months run from 01 to 12)"
    days = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= days:
        return f"'{text}' is not a date: {calendar.month_name[month]} {year} has no day {day} (it has {days} days)"
    return None


_SHAPE_ERRORS = frozenset({"model_type", "model_attributes_type", "dict_type", "list_type"})


def _union_noise(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Of the errors pydantic reports for each member of a union, those of the members the value was not
    written as: a clause written as a mapping is not also 'not a valid kind', and a bare word (`mutual_defence`,
    `USA` for an audience) is not also 'expected a mapping' or 'expected a list'."""
    literal = {tuple(e["loc"][:-1]) for e in errors if e["type"] == "literal_error" and e["loc"]}
    lengths = {len(prefix) for prefix in literal}
    under: dict[tuple[Any, ...], int] = dict.fromkeys(literal, 0)  # errors reported under each union's value
    for e in errors:
        loc = tuple(e["loc"])
        for n in lengths:
            if len(loc) > n and loc[:n] in under:
                under[loc[:n]] += 1
    kept: list[ErrorDetails] = []
    for e in errors:
        loc, given = tuple(e["loc"]), e.get("input")
        if loc and loc[:-1] in literal:
            mapping_written = e["type"] == "literal_error" and isinstance(given, dict) and under[loc[:-1]] > 1
            word_written = e["type"] in _SHAPE_ERRORS and not isinstance(given, dict) and e["type"] != "list_type"
            word_for_list = e["type"] == "list_type" and not isinstance(given, dict | list)
            if mapping_written or word_written or word_for_list:
                continue
        kept.append(e)
    return kept


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _singular(field: str) -> str:
    return field[:-3] + "y" if field.endswith("ies") else field[:-1] if field.endswith("s") else field


def _translate(err: ErrorDetails, data: Any) -> Problem:
    hint: str | None
    kind = err["type"]
    given = err.get("input")
    ctx = err.get("ctx", {})
    path, rest = _resolve(data, tuple(err["loc"]))
    model_loc = tuple(err["loc"])[:-1]
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        model = _model_at(model_loc)
        names = _field_names(model) if model else []
        return Problem((*path,), f"unknown field '{key}'", closest(key, names, "allowed fields"), at_key=True)
    if kind == "missing":
        field = rest[-1] if rest else str(err["loc"][-1])
        model = _model_at(model_loc)
        desc = model.model_fields[field].description if model and field in model.model_fields else None
        hint = f"add `{field}:`" + (f" ({desc[0].lower()}{desc[1:].rstrip('.')})" if desc else "")
        return Problem(path, f"missing required field '{field}'", hint)
    if kind == "union_tag_invalid":
        tags = re.findall(r"'([^']+)'", str(ctx.get("expected_tags", "")))
        return Problem((*path, "kind"), f"unknown kind '{ctx.get('tag')}'", closest(str(ctx.get("tag")), tags))
    if kind == "union_tag_not_found":
        return Problem(path, f"missing required field '{ctx.get('discriminator', 'kind').strip(chr(39))}'")
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = re.findall(r"'([^']+)'", expected) or [o for o in re.split(r",\s*|\s+or\s+", expected) if o]
        hint = closest(str(given), options) if isinstance(given, str) else None
        if not hint or not hint.startswith("did you mean"):
            hint = "use one of: " + ", ".join(options)
        field = next((str(s) for s in reversed(path) if isinstance(s, str)), "value")
        if path and isinstance(path[-1], int):
            field = _singular(field)  # one entry of a list: 'not a valid obligation'
        shown = f"'{given}'" if isinstance(given, str) else _describe(given)
        if field == "audience" and isinstance(given, str):
            hint = f"write public, or list the actors who receive it: audience: [{given}]"
        return Problem(path, f"{shown} is not a valid {field}", hint)
    if kind in _BOUNDS:
        word = _BOUNDS[kind][1]
        bound = ctx.get(_BOUNDS[kind][0])
        hint = None
        if kind == "less_than_equal" and bound == 1.0 and isinstance(given, int | float) and 2 <= given <= 100:
            hint = f"scores and shares are fractions from 0 to 1: write {given / 100:g}, not {given}"
        elif kind == "less_than_equal" and bound == 1.0 and isinstance(given, int | float) and 1 < given < 2:
            field = next((str(s) for s in reversed(path) if isinstance(s, str)), "it")
            hint = f"{field} is a fraction from 0 to 1 (docs/authoring.md, section 3)"
        elif path and path[-1] == "lat" and isinstance(given, int | float) and 90 < abs(given) <= 180:
            hint = "latitude (north-south) runs from -90 to 90: are lat and lon swapped?"
        return Problem(path, f"must be {word} {bound}, got {given}", hint)
    if kind == "string_pattern_mismatch":
        return Problem(
            path,
            f"'{given}' is not a valid id",
            "an id starts with a letter and uses only letters, digits, '_' and '-' (at most 40)",
        )
    if kind in ("too_short", "too_long") and isinstance(given, list | dict):
        field = next((str(s) for s in reversed(path) if isinstance(s, str)), "the list")
        count, bound = len(given), ctx.get("min_length" if kind == "too_short" else "max_length")
        entries = "entry" if bound == 1 else "entries"
        if kind == "too_short":
            return Problem(path, f"{field} needs at least {bound} {entries}, got {count}")
        return Problem(path, f"{field} takes at most {bound} {entries}, got {count}")
    if kind in ("string_too_short", "string_too_long") and isinstance(given, str):
        field = next((str(s) for s in reversed(path) if isinstance(s, str)), "the text")
        if kind == "string_too_short":
            return Problem(path, f"{field} needs at least {ctx.get('min_length')} characters, got {len(given)}")
        return Problem(path, f"{field} takes at most {ctx.get('max_length')} characters, got {len(given)}")
    if kind in ("too_short", "too_long"):
        return Problem(path, err["msg"].replace("List", "list").replace("String", "text").replace("Value", "value"))
    if kind.startswith("date") and isinstance(given, str) and (impossible := _impossible_date(given)):
        return Problem(path, impossible, "write the date as YYYY-MM-DD, with a month and day that exist")
    if kind in _EXPECTED:
        hint = None
        if kind in ("int_type", "int_from_float") and isinstance(given, float) and given.is_integer():
            hint = f"write {int(given)}, without the decimal point"
        elif kind == "bool_type" and isinstance(given, str) and given.lower() in ("yes", "no", "on", "off", "y", "n"):
            hint = "YAML 1.2 reads yes/no/on/off as text: write true or false"
        elif kind == "bool_type" and isinstance(given, str) and given.strip().lower() in ("true", "false"):
            hint = f"write {given.strip().lower()} without quotes: in quotes it is text"
        elif kind in ("float_type", "int_type") and isinstance(given, str) and _numeric(given.rstrip("%").strip()):
            hint = "write the number without quotes or units"
        return Problem(path, f"expected {_EXPECTED[kind]}, got {_describe(given)}", hint)
    return Problem(path, err["msg"])


# --------------------------------------------------------------------------- the loader


def _locate(problem: Problem, located: _Located) -> tuple[int, int]:
    if problem.loc and problem.loc[0] == "__at__":
        return int(problem.loc[1]), int(problem.loc[2])
    loc = problem.loc
    while loc:
        if problem.at_key and loc in located.keys:
            return located.keys[loc]
        if loc in located.values:
            return located.values[loc]
        loc = loc[:-1]
    return located.values.get((), (1, 1))


def check_text(raw: bytes | str, path: str = "<scenario>") -> tuple[Scenario | None, list[ScenarioError]]:
    """Validate a scenario's text: the scenario when it is valid, and every error found."""
    diagnosis = diagnose_text(raw, path)
    return diagnosis.scenario, diagnosis.errors


def diagnose_text(raw: bytes | str, path: str = "<scenario>") -> Diagnosis:
    """Validate a scenario's text and weigh its figures: the scenario when valid, errors and warnings."""

    def fail(exc: _Refused) -> Diagnosis:
        return Diagnosis(None, [ScenarioError(exc.line, exc.column, exc.message, exc.hint, path)], [])

    try:
        text = raw if isinstance(raw, str) else _decode(raw)
        if len(text) > MAX_BYTES:
            raise _too_big(len(text.encode()))
        try:
            located = _parse(text)
        except YAMLError as exc:
            raise _syntax_error(exc, text) from None
    except _Refused as exc:
        return fail(exc)

    data = located.data
    if data is None:
        return fail(_Refused("the file holds no scenario (it is empty or only comments)"))
    if not isinstance(data, dict):
        return fail(_Refused("a scenario must be a mapping of fields (id:, meta:, actors:, ...)"))
    problems = list(located.problems)
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data, context={"references_checked": True})
    except ValidationError as exc:
        translated = (_translate(err, data) for err in _union_noise(exc.errors(include_url=False)))
        problems.extend(p for p in translated if p.loc not in located.out_of_range)  # (reported once)
    problems.extend(reference_problems(data))
    errors = sorted(
        {ScenarioError(*_locate(p, located), p.message, p.hint, path) for p in problems},
    )
    warnings = sorted(
        {ScenarioError(*_locate(p, located), p.message, p.hint, path, True) for p in plausibility_warnings(data)}
    )
    return Diagnosis(scenario if not errors else None, errors, warnings)


def check_file(path: str | Path) -> tuple[Scenario | None, list[ScenarioError]]:
    """Like `check_text`, for a file; an oversize file is refused before it is read."""
    diagnosis = diagnose_file(path)
    return diagnosis.scenario, diagnosis.errors


def diagnose_file(path: str | Path) -> Diagnosis:
    """Like `diagnose_text`, for a file; an oversize file is refused before it is read."""
    p = Path(path)

    def refused(message: str, hint: str | None = None) -> Diagnosis:
        return Diagnosis(None, [ScenarioError(1, 1, message, hint, str(p))], [])

    try:
        if p.is_dir():
            return refused("this is a folder, not a scenario file")
        size = p.stat().st_size
        if size > MAX_BYTES:
            exc = _too_big(size)
            return refused(exc.message, exc.hint)
        raw = p.read_bytes()
    except OSError as exc:
        return refused(f"cannot read the file: {exc.strerror}")
    return diagnose_text(raw, str(p))


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file; raises `ScenarioInvalid` listing every problem."""
    p = Path(path)
    scenario, errors = check_file(p)
    if errors or scenario is None:
        raise ScenarioInvalid(errors)
    return scenario
