"""Theme strings are translated when a template is compiled: a page reads as it did when
each string was looked up as it rendered, in whatever language the site is in now."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import jinja2
import pytest

from rgsite.build.builder import Builder
from rgsite.i18n.translations import translations_for
from rgsite.options import Options
from rgsite.render.templates import CompiledTemplates
from rgsite.render.translated import TranslatingEnvironment
from sitekit import SITE_YAML, write_site

NOW = datetime.fromisoformat("2026-12-01T12:00:00+01:00")


def render(source: str, language: str = "de", **context: object) -> str:
    env = TranslatingEnvironment(
        loader=jinja2.DictLoader({"page.html": source}),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=CompiledTemplates(disk=False),
    )
    translations = translations_for(language)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.translate_with(translations)
    return env.get_template("page.html").render(context)


def test_a_string_is_translated_and_its_values_escaped() -> None:
    page = render('{{ _("Next session") }}|{{ _("Photo of %(name)s", name=who) }}', who="<A&B>")
    assert page.startswith("Nächste Sitzung|Foto von ")
    assert "&lt;A&amp;B&gt;" in page and "<A&B>" not in page


def test_percent_signs_are_written_once_as_jinja_writes_them() -> None:
    assert render('{{ _("100%% on time") }}', "en") == "100% on time"


@pytest.mark.parametrize(
    "source",
    [
        '{% macro _(s) %}[{{ s }}]{% endmacro %}{{ _("Next session") }}',
        '{% set _ = "~".join %}{{ _("Next session") }}',
        '{% for gettext in [("{}!").format] %}{{ gettext("Next session") }}{% endfor %}',
    ],
)
def test_a_template_that_binds_the_name_calls_what_it_bound(source: str) -> None:
    assert "Nächste Sitzung" not in render(source)
    assert "Next session" in render(source).replace("~", "")


def test_the_preview_changing_language_changes_every_page(tmp_path: Path) -> None:
    """Compiled templates are kept for the next build; another language compiles anew."""
    site = tmp_path / "site"
    session = "---\ntitle: Proofs\ndate: 2026-12-12 18:00\n---\nA recap.\n"
    write_site(site, {"content/sessions/2026-12-12-proofs.md": session})
    yaml_file = site / "content/site.yaml"
    base = SITE_YAML if SITE_YAML.endswith("\n") else SITE_YAML + "\n"
    builder = Builder(Options(site=site, out=tmp_path / "out", now=NOW, jobs=1, cache=False))
    for language, heading in (("de", "Nächste Sitzung"), ("fr", "Prochaine séance")):
        yaml_file.write_text(base + f"language: {language}\n", encoding="utf-8")
        builder.build()
        home = (tmp_path / "out/index.html").read_text(encoding="utf-8")
        assert heading in home, language
