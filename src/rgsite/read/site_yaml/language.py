"""``language`` and ``time_format`` in site.yaml, and a site's own catalog.

A language is usable when the theme ships a catalog for it (English, German, French,
Spanish, Portuguese, in any regional form Babel knows: ``pt-BR``, ``de-AT``) or the
site brings one (``locales/<lang>.po``). Babel is asked about a language only when it
is not one of the shipped ones as written, so most builds do not load it here.
"""

from __future__ import annotations

import re
from pathlib import Path

from rgsite.errors import Location, Problems, did_you_mean
from rgsite.i18n.messages import (
    SITE_FOLDER,
    Messages,
    codes,
    parse,
    placeholder_problems,
    shipped_languages,
)
from rgsite.read.fields import Fields

TIME_FORMATS = ("24h", "12h")
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def read_language(fields: Fields, catalogs: frozenset[str]) -> str:
    """The site's language tag, checked; ``en`` after an error."""
    language = fields.text("language", "en")
    if not _TAG.match(language):
        fields.error(
            "language", f"'language' is '{language}', not a language tag like 'en' or 'pt-BR'"
        )
        return "en"
    shipped = shipped_languages()
    if language in shipped:
        return language
    known = {name.lower() for name in [*shipped, *catalogs]}
    if not any(name.lower() in known for name in codes(language)):
        choices = sorted(set(shipped) | catalogs)
        fields.error(
            "language",
            f"'language' is '{language}'{did_you_mean(language, choices)}; the theme speaks "
            f"{', '.join(shipped)}; for another language add its catalog as "
            f"{SITE_FOLDER}/{language}.po (see the README)",
        )
        return "en"
    from rgsite.i18n.dates import knows

    if not knows(language):
        fields.error(
            "language",
            f"'language' is '{language}', which has no date and time data (CLDR); "
            f"write the language alone, e.g. '{codes(language)[-1]}', or a known region "
            "like 'pt-BR'",
        )
        return "en"
    return language


def read_time_format(fields: Fields) -> str:
    """``24h`` or ``12h``; ``""`` when not set: the language's own clock."""
    if not fields.has("time_format"):
        return ""
    return fields.choice("time_format", TIME_FORMATS, "")


def site_catalogs(paths: list[str]) -> frozenset[str]:
    """The languages a site has catalogs for, from their paths (``locales/de.po``)."""
    return frozenset(Path(rel).stem for rel in paths)


def read_site_catalog(
    root: Path, paths: list[str], language: str, problems: Problems
) -> Messages | None:
    """The site's own catalog for ``language`` (``locales/pt_BR.po``, else
    ``locales/pt.po``), or None when it has none or it cannot be read."""
    by_name = {Path(rel).stem.lower().replace("-", "_"): rel for rel in paths}
    for name in codes(language):
        rel = by_name.get(name.lower())
        if rel is None:
            continue
        try:
            text = (root / rel).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.error(Location(rel), f"cannot read this catalog: {exc}")
            return None
        try:
            messages = parse(text, rel)
        except ValueError as exc:
            problems.error(
                Location(rel), f"{exc}; a catalog is a gettext .po file (see the README)"
            )
            return None
        wrong = placeholder_problems(text)
        for line, message in wrong:
            problems.error(Location(rel, line), message)
        return None if wrong else messages
    return None
