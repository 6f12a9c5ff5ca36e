"""Gather the theme's strings into ``locales/messages.pot`` and bring every catalog up to
date with it: ``python -m rgsite.i18n.extract``.

Strings come from the theme's templates (``_()``, ``ngettext()``, through Jinja's own
extractor) and from the Python that puts text on pages or in announcements
(``gettext()``, ``ngettext()``, and ``N_()`` where a string is defined apart from where
it is shown). New strings enter each ``.po`` untranslated; strings gone from the theme
are kept there as obsolete (``#~``) so a translation is not lost to a rename.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rgsite.i18n.messages import LOCALES, TEMPLATE
from rgsite.read.discover import theme_dir

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

PACKAGE = Path(__file__).resolve().parents[1]
JINJA_OPTIONS = {
    "extensions": "jinja2.ext.i18n",
    "newstyle_gettext": "true",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
}

Found = tuple[str, int, str | tuple[str, ...]]
"""Where a string was found (file, line) and the string (or its singular and plural)."""


def found_strings(templates: Path | None = None) -> Iterator[Found]:
    """Every translatable string of the theme's templates and of rgsite's Python."""
    from babel.messages.extract import extract_from_file
    from jinja2.ext import babel_extract

    folder = templates or theme_dir() / "templates"
    for path in sorted(folder.glob("*.html")):
        for line, message, _comments, _context in extract_from_file(
            babel_extract,  # type: ignore[arg-type]  # Jinja's and Babel's hints disagree
            str(path),
            options=JINJA_OPTIONS,
        ):
            yield f"templates/{path.name}", line, message
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, message, _comments, _context in extract_from_file("python", str(path)):
            yield path.relative_to(PACKAGE.parent).as_posix(), line, message


def template_catalog() -> Catalog:
    """The theme's strings as a catalog, as ``messages.pot`` holds them."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(
        project="rgsite",
        version="",
        msgid_bugs_address="",
        copyright_holder="rgsite",
        header_comment=(
            "# The strings of the rgsite theme, in English: the source of every catalog.\n"
            "# Made by 'python -m rgsite.i18n.extract'; do not edit by hand.\n#"
        ),
        fuzzy=False,
    )
    for where, line, message in found_strings():
        if isinstance(message, tuple | list):
            message = tuple(m for m in message if m)
            if len(message) < 2:
                continue
        if message:
            catalog.add(message, locations=[(where, line)])
    return catalog


def update() -> list[str]:
    """Writes ``messages.pot`` and updates each ``.po``; returns what each still lacks."""
    from babel.messages.pofile import read_po, write_po

    template = template_catalog()
    with TEMPLATE.open("wb") as out:
        write_po(out, template, width=100, omit_header=False, sort_output=True)
    report = []
    for path in sorted(LOCALES.glob("*.po")):
        with path.open("rb") as source:
            catalog = read_po(source, locale=path.stem)
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as out:
            write_po(out, catalog, width=100, sort_output=True, include_previous=False)
        lacking = [m.id for m in catalog if m.id and (not m.string or not all(m.string))]
        report += [f"{path.name}: untranslated: {m}" for m in lacking]
    return report


def main() -> int:
    report = update()
    for line in report:
        print(line)
    print(f"wrote {TEMPLATE.name} and updated {len(list(LOCALES.glob('*.po')))} catalogs")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
