"""Which of the strings a site shows its language lacks: for ``rgsite check``.

The strings are the theme's (``messages.pot``, made from its templates and Python) and
those of the site's own templates; a string lacks a translation when neither the site's
catalog nor the theme's has one. Such a string shows in English, so each is a warning
that names the catalog to add it to.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from rgsite.errors import Location, Problem
from rgsite.i18n.messages import SITE_FOLDER, SOURCE_LANGUAGE, codes, template_ids
from rgsite.i18n.translations import translations_for
from rgsite.settings import SiteConfig


def site_template_strings(root: Path) -> dict[str, Location]:
    """Each string the site's own templates translate, with where it is first used."""
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    found: dict[str, Location] = {}
    folder = root / "templates"
    for path in sorted(folder.rglob("*.html")) if folder.is_dir() else ():
        rel = path.relative_to(root).as_posix()
        try:
            source = path.read_text(encoding="utf-8")
            strings = list(env.extract_translations(source))  # type: ignore[attr-defined]
        except (OSError, UnicodeDecodeError, jinja2.TemplateSyntaxError):
            continue  # the build reports an unreadable template with its line
        for line, _function, message in strings:
            text = message[0] if isinstance(message, tuple) else message
            if text and text not in found:
                found[text] = Location(rel, line)
    return found


def missing_strings(root: Path, config: SiteConfig) -> list[Problem]:
    """A warning for each string the site shows with no translation into its language."""
    if codes(config.language)[-1] == SOURCE_LANGUAGE:
        return []
    t = translations_for(config.language, config.catalog)
    catalog = config.catalog.label if config.catalog else f"{SITE_FOLDER}/{config.language}.po"
    used: dict[str, Location | None] = dict.fromkeys(template_ids())
    used.update(site_template_strings(root))
    problems = []
    for text, where in used.items():
        if t.has(text):
            continue
        place = f" (used in {where})" if where else " (a theme string)"
        problems.append(
            Problem(
                Location(catalog),
                f'no {config.language} translation of "{text}"{place}; pages show it in '
                f"English until this catalog translates it",
                "warning",
            )
        )
    return problems
