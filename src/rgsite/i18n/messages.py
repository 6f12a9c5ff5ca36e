"""Gettext catalogs as data: the shipped ones beside this module and a site's own.

Catalogs are ``.po`` files read at run time with Babel's ``read_po`` (imported only when
a catalog is read, so an English site never loads it) and kept per process: one
catalog of a few hundred strings reads in milliseconds, and the wheel holds exactly the
files translators edit, with no compile step to forget.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

LOCALES = Path(__file__).parent / "locales"
SOURCE_LANGUAGE = "en"
"""The language the theme is written in: its strings are their own translation."""
TEMPLATE = LOCALES / "messages.pot"
SITE_FOLDER = "locales"
"""A site's own catalogs: ``locales/<lang>.po`` at the site's root."""

Text = str | tuple[str, ...]
"""A translation: one string, or the plural forms of a message written with ngettext."""


def N_(message: str) -> str:
    """Marks a string for translation where it is defined; it is translated where shown."""
    return message


@dataclass(frozen=True, slots=True)
class Messages:
    """One catalog: each message's translation, and how its plural forms are chosen."""

    label: str
    """Where the catalog comes from, as messages name it: ``locales/de.po``."""
    entries: tuple[tuple[str, Text], ...] = ()
    plural: str = "(n != 1)"
    """The ``Plural-Forms`` expression choosing among a message's forms."""

    def table(self) -> dict[str, Text]:
        return dict(self.entries)


def codes(language: str) -> list[str]:
    """The catalog names that may serve ``language``, most specific first:
    ``pt-BR`` -> ``["pt_BR", "pt"]``."""
    parts = language.replace("-", "_").split("_")
    names = []
    for end in range(len(parts), 0, -1):
        head, rest = parts[0].lower(), parts[1:end]
        names.append("_".join([head, *(p.upper() if len(p) == 2 else p for p in rest)]))
    return names


def shipped_languages() -> list[str]:
    """The languages the theme has catalogs for, English first."""
    return [SOURCE_LANGUAGE, *sorted(p.stem for p in LOCALES.glob("*.po"))]


def parse(text: str, label: str) -> Messages:
    """A ``.po`` file's translated messages; untranslated and fuzzy ones are left out,
    so their English shows. Raises ``ValueError`` with the line of a malformed file."""
    from io import StringIO

    from babel.messages.pofile import PoFileError, read_po

    try:
        catalog = read_po(StringIO(text), abort_invalid=True)
    except PoFileError as exc:
        raise ValueError(str(exc)) from None
    entries: list[tuple[str, Text]] = []
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple | list):
            forms = tuple(message.string or ())
            if forms and all(forms):
                entries.append((message.id[0], forms))
        elif isinstance(message.string, str) and message.string:
            entries.append((message.id, message.string))
    return Messages(label=label, entries=tuple(entries), plural=catalog.plural_expr)


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def placeholder_problems(text: str) -> list[tuple[int | None, str]]:
    """Translations that use a placeholder their message does not give, with their line:
    such a translation could not be filled in."""
    from io import StringIO

    from babel.messages.pofile import read_po

    found = []
    for message in read_po(StringIO(text)):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else message.string
        given = {name for text_id in ids for name in _PLACEHOLDER.findall(text_id)}
        for translated in strings or ():
            extra = sorted(set(_PLACEHOLDER.findall(translated or "")) - given)
            if extra:
                names = ", ".join(f"%({name})s" for name in extra)
                offer = ", ".join(f"%({name})s" for name in sorted(given)) or "none"
                found.append(
                    (
                        message.lineno,
                        f'the translation of "{ids[0]}" uses {names}, which the message '
                        f"does not give; its placeholders are: {offer}",
                    )
                )
    return found


@functools.cache
def shipped(name: str) -> Messages | None:
    """The theme's catalog ``name`` (``de``, ``pt_BR``), or None when it has none."""
    path = LOCALES / f"{name}.po"
    if not path.is_file():
        return None
    return parse(path.read_text(encoding="utf-8"), f"the theme's catalog {name}.po")


def shipped_for(language: str) -> Messages | None:
    for name in codes(language):
        found = shipped(name)
        if found is not None:
            return found
    return None


@functools.cache
def template_ids() -> tuple[str, ...]:
    """Every message of the theme (templates and Python), from ``messages.pot``."""
    parsed = parse_ids(TEMPLATE.read_text(encoding="utf-8"))
    return tuple(parsed)


def parse_ids(text: str) -> list[str]:
    from io import StringIO

    from babel.messages.pofile import read_po

    ids = []
    for message in read_po(StringIO(text)):
        if message.id:
            ids.append(message.id[0] if isinstance(message.id, tuple | list) else message.id)
    return ids
