"""Bytes to records: decoding, front matter and safe YAML that remembers its lines.

A :class:`Record` is the raw data of one file with the file line of every YAML node,
so later stages can say ``path:line: message`` about any field. This module knows
nothing about sessions or speakers; it must not render or validate content.

YAML is read as a safe subset on purpose: ``14:00`` stays the string ``"14:00"``
(YAML 1.1 would read it as the base-60 integer 840), ``yes``/``no``/``on``/``off``
stay strings (only ``true``/``false`` are booleans), dates stay strings so the
models can report ``2023-02-30`` with its line, duplicate keys are errors, and any
explicit tag such as ``!!python/object`` is refused without constructing anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from rgsite.errors import Location, Problem

try:  # the C parser is several times faster; the pure-Python one gives the same nodes
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]


class _Loader(_BaseLoader):
    """A composer with YAML-1.2-like implicit types; nodes are converted by hand."""


# Keep only null, bool (true/false), int (decimal), float; drop sexagesimal ints,
# yes/no booleans, timestamps, merge keys and the rest.
_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)

_STR, _INT, _FLOAT, _BOOL, _NULL = (
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
)
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"


@dataclass(slots=True)
class Record:
    """One file's data: ``data`` plus the file line of every node, keyed by path."""

    path: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1

    def line(self, *keys: str | int) -> int:
        """The line of the node at ``keys``, or of its nearest ancestor that has one."""
        for end in range(len(keys), -1, -1):
            found = self.lines.get(keys[:end])
            if found is not None:
                return found
        return 1

    def at(self, *keys: str | int) -> Location:
        return Location(self.path, self.line(*keys))

    def key_line(self, *keys: str | int) -> int:
        """The line of a mapping key itself (where an unknown key is reported)."""
        return self.lines.get((*keys, "<key>"), self.line(*keys))


class ParseError(Exception):
    """A file that cannot be read as a record; carries its located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def decode(path: str, raw: bytes) -> str:
    """Bytes to text: UTF-8 with or without BOM; CRLF and CR become LF."""
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ParseError(
            Problem(Location(path, line), "the file contains a NUL byte; is it a text file?")
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ParseError(
            Problem(
                Location(path, line),
                f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                "save it as UTF-8 in your editor",
            )
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def load_yaml(path: str, text: str, *, first_line: int = 1) -> Record:
    """Parse a YAML document into a record; an empty document gives ``None`` data."""
    lines: dict[Path_, int] = {}
    offset = first_line - 1
    if "\t" in text:
        for number, content in enumerate(text.split("\n"), start=first_line):
            stripped = content.lstrip(" ")
            if stripped.startswith("\t"):
                raise ParseError(
                    Problem(
                        Location(path, number),
                        "YAML indentation must use spaces, not tabs; replace the tab with spaces",
                    )
                )
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark is not None else first_line
        line = min(line, first_line + text.count("\n"))  # "end of stream" is past the end
        reason = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in reason:  # PyYAML >= 6.0.4 stops deep flow nesting itself
            raise ParseError(Problem(Location(path, line), _TOO_DEEP)) from None
        raise ParseError(
            Problem(Location(path, line), f"invalid YAML: {reason}; check quoting and indentation")
        ) from None
    except yaml.YAMLError as exc:
        raise ParseError(Problem(Location(path, first_line), f"invalid YAML: {exc}")) from None
    except RecursionError:  # PyYAML before 6.0.4 recursed until Python stopped it
        raise ParseError(Problem(Location(path, first_line), _TOO_DEEP)) from None
    if node is None:
        return Record(path, None, lines)
    data = _convert(path, node, (), lines, offset)
    last = first_line + text.count("\n")
    for at, line in lines.items():  # an empty value at the very end is marked a line beyond
        if line > last:
            lines[at] = last
    return Record(path, data, lines)


MAX_DEPTH = 50
"""Levels of lists and mappings inside each other one YAML document may hold."""
_TOO_DEEP = f"this YAML is nested more than {MAX_DEPTH} levels deep; no field needs that"
MAX_VALUES = 200_000
"""Values one YAML document may hold once aliases (``*name``) are expanded."""


def _convert(path: str, node: yaml.Node, at: Path_, lines: dict[Path_, int], offset: int) -> Any:
    if len(at) > MAX_DEPTH:
        raise ParseError(Problem(Location(path, node.start_mark.line + 1 + offset), _TOO_DEEP))
    if len(lines) > MAX_VALUES:  # "billion laughs": aliases of aliases of lists
        raise ParseError(
            Problem(
                Location(path, node.start_mark.line + 1 + offset),
                f"this YAML holds more than {MAX_VALUES} values once its aliases (*name) are "
                "expanded; write the values out instead of repeating aliases",
            )
        )
    lines[at] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.ScalarNode):
        if node.style == "|":  # its lines are the file's, from the line below the key
            lines[(*at, "<literal>")] = lines[at] + 1
        return _scalar(path, node, offset)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _tag_error(path, node, offset)
        return [_convert(path, item, (*at, i), lines, offset) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP:
            raise _tag_error(path, node, offset)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ParseError(
                    Problem(
                        Location(path, key_node.start_mark.line + 1 + offset),
                        "a key must be plain text, not a list or mapping",
                    )
                )
            key = str(_scalar(path, key_node, offset))
            key_line = key_node.start_mark.line + 1 + offset
            if key in result:
                first = lines[(*at, key, "<key>")]
                raise ParseError(
                    Problem(
                        Location(path, key_line),
                        f"duplicate key '{key}' (first given on line {first}); keep one of them",
                    )
                )
            lines[(*at, key, "<key>")] = key_line
            result[key] = _convert(path, value_node, (*at, key), lines, offset)
        return result
    raise _tag_error(path, node, offset)  # pragma: no cover - yaml has only three node kinds


def _scalar(path: str, node: yaml.ScalarNode, offset: int) -> Any:
    tag, value = node.tag, node.value
    if tag == _STR or tag == "!":
        return value
    if tag == _INT:
        if len(value) > 30:  # int() refuses over 4300 digits; no field wants 31
            raise ParseError(
                Problem(
                    Location(path, node.start_mark.line + 1 + offset),
                    f"the number {value[:12]}... has {len(value)} digits; no field takes a "
                    "number that long",
                )
            )
        return int(value)
    if tag == _FLOAT:
        return float(value)
    if tag == _BOOL:
        return value.lower() == "true"
    if tag == _NULL:
        return None
    raise _tag_error(path, node, offset)


def _tag_error(path: str, node: yaml.Node, offset: int) -> ParseError:
    return ParseError(
        Problem(
            Location(path, node.start_mark.line + 1 + offset),
            f"YAML tag '{node.tag}' is not allowed; write plain values without '!!' tags",
        )
    )


_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


def split_front_matter(path: str, text: str) -> Record:
    """A Markdown file: YAML front matter between ``---`` lines, then the body."""
    if not text.startswith("---"):
        first = text.split("\n", 1)[0].strip()
        if re.match(r"^[A-Za-z_][\w-]*\s*:", first):
            raise ParseError(
                Problem(
                    Location(path, 1),
                    "front matter must start with a line '---'; did you forget to add `---` "
                    "above the first key?",
                )
            )
        raise ParseError(
            Problem(
                Location(path, 1),
                "no front matter: start the file with '---', the fields (at least 'title:'), "
                "then '---'",
            )
        )
    first_line_end = text.find("\n")
    if first_line_end == -1 or text[:first_line_end].strip() != "---":
        raise ParseError(
            Problem(Location(path, 1), "the first line must be exactly '---' to open front matter")
        )
    closing = _FENCE.search(text, first_line_end + 1)
    if closing is None:
        raise ParseError(
            Problem(
                Location(path, 1),
                "front matter opened with '---' on line 1 is never closed; add a line '---' "
                "after the last field",
            )
        )
    yaml_text = text[first_line_end + 1 : closing.start()]
    record = load_yaml(path, yaml_text, first_line=2)
    if record.data is None:
        record.data = {}
    if not isinstance(record.data, dict):
        kind = "a list" if isinstance(record.data, list) else "a single value"
        raise ParseError(
            Problem(
                Location(path, 2),
                f"front matter is {kind}; it must be fields like 'title: ...', one per line",
            )
        )
    body_start = closing.end() + 1
    record.body = text[body_start:]
    record.body_line = text.count("\n", 0, body_start) + 1
    return record
