"""Add a speaker to ``speakers.yaml`` as text, keeping every comment and the order intact.

Loading the YAML and dumping it again would lose the organiser's comments, blank lines
and key order, so a new speaker is *appended* as a block of text in the file's own
indentation. The result is parsed again and accepted only if it holds every speaker the
file held before, unchanged, plus the new one; otherwise nothing is written and the
organiser is told to add the speaker by hand.

This module does not touch the file system; :mod:`rgsite.scaffold` writes the text.
"""

from __future__ import annotations

import json
import re

from rgsite.errors import RgsiteError
from rgsite.read.decode import ParseError, load_yaml

HEADER = """\
# Everyone who speaks, presents or proposes: id -> details.
# Sessions and proposals name speakers by id: speakers: [ada-lovelace]
"""
_INDENT = re.compile(r"^( +)[^\s#]", re.MULTILINE)


def quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def speaker_block(ident: str, name: str, affiliation: str = "", indent: str = "  ") -> str:
    """The lines of one speaker, with the optional fields shown as comments to fill in."""
    lines = [f"{ident}:", f"{indent}name: {quote(name)}"]
    if affiliation:
        lines.append(f"{indent}affiliation: {quote(affiliation)}")
    else:
        lines.append(f"{indent}# affiliation: University or lab")
    lines += [
        f"{indent}# bio: |",
        f"{indent}# {indent}A few lines in Markdown.",
        f"{indent}# links: {{homepage: https://example.org/, github: https://github.com/{ident}}}",
        f"{indent}# avatar: speakers/{ident}.jpg    # a file in static/",
    ]
    return "\n".join(lines) + "\n"


def append_speaker(
    text: str, ident: str, name: str, affiliation: str = "", *, path: str = "speakers.yaml"
) -> str:
    """``text`` with a speaker appended; raises :class:`RgsiteError` if that cannot be done."""
    before = _speakers(text, path)
    if ident in before:
        raise RgsiteError(f"speaker '{ident}' is already in {path}; edit it there")
    if not text.strip():
        text = HEADER
    indent = _indent(text)
    if not text.endswith("\n"):
        text += "\n"
    if not text.endswith("\n\n"):
        text += "\n"
    result = text + speaker_block(ident, name, affiliation, indent)
    try:
        after = _speakers(result, path)
    except RgsiteError:
        after = {}
    expected = {**before, ident: after.get(ident)}
    new = after.get(ident)
    if (
        after != expected
        or not isinstance(new, dict)
        or new.get("name") != name
        or list(after) != [*before, ident]
    ):
        raise RgsiteError(
            f"{path} is not laid out as one 'id:' block per speaker, so rgsite cannot add "
            f"'{ident}' without changing it; add the speaker by hand:\n\n"
            + speaker_block(ident, name, affiliation)
        )
    return result


def _speakers(text: str, path: str) -> dict[str, object]:
    try:
        record = load_yaml(path, text)
    except ParseError as exc:
        raise RgsiteError(f"{exc.problem}; fix it before adding a speaker") from None
    if record.data is None:
        return {}
    if not isinstance(record.data, dict):
        raise RgsiteError(
            f"{path}: it must map each speaker id to its details, e.g. 'harsha:'; "
            "fix it before adding a speaker"
        )
    return dict(record.data)


def _indent(text: str) -> str:
    """The indentation the file uses for a speaker's fields (two spaces if none yet)."""
    match = _INDENT.search(text)
    return match.group(1) if match else "  "
