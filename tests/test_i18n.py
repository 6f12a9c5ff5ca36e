"""A site's language: every theme string from its catalog, every date from Babel's CLDR
data, a site's own catalog over the theme's, English where a string is missing.

The German site below is written in German, as a Berlin group would write it, so any
English on its pages is the theme's: the test compares every page against the catalog
itself, never against a list kept here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_skeleton
from babel.messages.pofile import read_po
from playwright.sync_api import Browser

from rgsite.cli import main
from rgsite.i18n.extract import found_strings
from rgsite.i18n.messages import LOCALES, TEMPLATE
from rgsite.preview.watch import relevant
from rgsite.read.discover import FileKind, classify
from sitekit import write_site

NOW = "2026-12-01T12:00:00+01:00"
GERMAN_SITE: dict[str, str] = {
    "content/site.yaml": """\
title: Lesekreis Lerntheorie
description: Alle zwei Wochen ein Paper über die Theorie des Lernens.
base_url: https://example.org/lesekreis/
language: de
timezone: Europe/Berlin
meeting:
  weekday: saturday
  time: "14:00"
  duration: 90
  location: Raum 3.14
  join_url: https://example.org/treffen
terms:
  - {name: Wintersemester 2026, start: 2026-10-12, end: 2027-02-12}
kinds:
  vortrag: {name: Vortrag}
  lesung: {name: Lesung, icon: "📖"}
""",
    "content/speakers.yaml": """\
emmy:
  name: Emmy Noether
  affiliation: Universität Göttingen
  role: organizer
  bio: Schreibt über *Symmetrien*.
  links: {homepage: "https://example.org/emmy"}
kurt:
  name: Kurt Gödel
  role: member
david:
  name: David Hilbert
  role: alumni
""",
    "content/reading-lists/grundlagen.yaml": """\
title: Grundlagen
description: Was man vorher gelesen haben sollte.
sections:
  - title: Klassiker
    items:
      - id: lotterie
        title: "Die Lotterielos-Hypothese"
        authors: [Jonathan Frankle, Michael Carbin, Anna Beispiel, Bernd Muster, Clara Probe]
        year: 2019
        arxiv: "1803.03635"
        tldr: Dünne Teilnetze lernen gut aus ihrer Startbelegung.
        topics: [sparsamkeit]
  - title: Weiterführend
    items:
      - id: blog-adam
        title: "Adam verstehen"
        url: https://example.org/adam
        kind: post
        status: reading
""",
    "content/sessions/2026-11-14-symmetrie.md": """\
---
title: Symmetrie und Erhaltung
speakers: [emmy, kurt]
hosts: [david]
kind: vortrag
series: Grundlagen der Physik
topics: [sparsamkeit, optimierung]
papers: [lotterie]
tldr: Jede Symmetrie liefert eine Erhaltungsgröße.
resources:
  - {title: Folien als PDF, url: "https://example.org/folien.pdf", kind: slides}
  - {title: Mitschrift an der Tafel, kind: notes}
proposal: symmetrien
---
Wir haben den Satz von Noether gelesen: $\\partial_\\mu j^\\mu = 0$.[^1]

## Der Beweis

Zwei Zeilen.

[^1]: Aus dem Jahr 1918.
""",
    "content/sessions/2026-11-28-abgesagt.md": """\
---
title: Ein Spaziergang
status: cancelled
---
""",
    "content/sessions/2026-12-05-gradienten.md": """\
---
title: Gradientenabstieg verstehen
date: 2026-12-05 14:00
duration: 510
speakers: [kurt]
kind: lesung
papers: [lotterie, blog-adam]
register: https://example.org/anmeldung
abstract: |
  Wir lesen, warum der Gradientenabstieg auch ohne Konvexität funktioniert.
---
""",
    "content/sessions/2026-12-19-offen.md": """\
---
title: Vortragende folgt
status: tba
---
""",
    "content/sessions/2026-12-26-ferien.md": """\
---
title: Weihnachtsferien
status: break
---
""",
    "content/sessions/2027-01-09-spaeter.md": """\
---
title: Beweise ohne Worte
date: 2027-01-09
time: tba
draft: false
---
""",
    "content/proposals/symmetrien.md": """\
---
title: Symmetrien in neuronalen Netzen
proposed_by: [emmy]
date: 2026-10-01
status: presented
votes: 3
topics: [optimierung]
---
Ein Vorschlag.
""",
    "content/proposals/beweise.md": """\
---
title: Beweisassistenten
proposed_by: [kurt, emmy]
date: 2026-11-02
status: open
votes: 1
---
Noch offen.
""",
    "content/pages/about.md": "---\ntitle: Über den Kreis\n---\nWir treffen uns in Berlin.\n",
}


def build_german(root: Path, language: str = "de", **changes: str | None) -> Path:
    files = dict(GERMAN_SITE)
    files["content/site.yaml"] = files["content/site.yaml"].replace(
        "language: de", f"language: {language}"
    )
    write_site(root, files, changes)
    assert main(["build", str(root), "--now", NOW]) == 0
    return root / "_site"


_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.S)
_ATTRIBUTES = re.compile(r'\b(?:alt|aria-label|title|content)="([^"]*)"')
_TAGS = re.compile(r"<[^>]+>")


def page_text(source: str) -> str:
    """What a reader (or a screen reader) meets: the text, and the labels in attributes."""
    source = _HIDDEN.sub(" ", source)
    labels = " □ ".join(v for v in _ATTRIBUTES.findall(source) if "://" not in v)
    text = html.unescape(_TAGS.sub(" ", source) + " □ " + labels)  # □: nothing spans it
    return re.sub(r"\s+", " ", text)


def pages(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): page_text(p.read_text(encoding="utf-8"))
        for p in sorted(out.rglob("*.html"))
        if not p.relative_to(out).as_posix().startswith("pagefind")
    }


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def literal(message: str) -> str:
    """A message without its placeholders: what of it is the theme's own words."""
    return _PLACEHOLDER.sub("", message).strip(" ,.:;·–()")


def pattern(message: str) -> re.Pattern[str]:
    """A message as it shows on a page: each placeholder filled by some text, and the
    message not part of a longer word."""
    message = " ".join(message.split())
    parts = [re.escape(part) for part in _PLACEHOLDER.split(message)]
    body = "[^□]{1,120}?".join(parts)
    start = r"(?<!\w)" if re.match(r"\w", message) else ""
    end = r"(?!\w)" if re.search(r"\w$", message) else ""
    return re.compile(start + body + end)


def catalog(language: str) -> dict[str, tuple[str, str]]:
    """Each message of a shipped catalog: (English, translation), plural forms each."""
    with (LOCALES / f"{language}.po").open("rb") as source:
        found = read_po(source)
    pairs: dict[str, tuple[str, str]] = {}
    for message in found:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            pairs[message.id[0]] = (message.id[0], message.string[0])
            pairs[message.id[1]] = (message.id[1], message.string[-1])
        else:
            pairs[message.id] = (message.id, message.string)
    return pairs


def test_a_german_site_shows_no_english_theme_string(tmp_path: Path) -> None:
    german = pages(build_german(tmp_path / "de"))
    english = pages(build_german(tmp_path / "en", "en"))
    assert set(german) == set(english)
    checked = 0
    # Longer messages first: "session" is checked where it stands alone, not inside
    # "calendar of every session", which is a message of its own.
    messages = sorted(catalog("de").values(), key=lambda pair: len(literal(pair[0])), reverse=True)
    seen = dict(english)
    for source, translated in messages:
        if len(literal(source)) < 3 or literal(source) == literal(translated):
            continue  # "Code", "Video", "%(day)s, %(time)s": German writes them the same
        in_english, in_german = pattern(source), pattern(translated)
        for rel, text in german.items():
            shown = in_english.search(text)
            assert shown is None, (
                f"{rel} shows the English {shown.group(0)!r} (catalog message {source!r}), "
                f"not the German {translated!r}: …{text[shown.start() - 60 : shown.end() + 60]}…"
            )
            if in_english.search(seen[rel]):
                seen[rel] = in_english.sub("□", seen[rel])
                checked += 1
                assert in_german.search(text), (
                    f"{rel}: the English build shows {source!r}; the German one should show "
                    f"{translated!r}"
                )
    assert checked > 150, "the site shows most theme strings, so the comparison means something"


def test_a_german_site_writes_dates_and_times_as_german_does(tmp_path: Path) -> None:
    out = build_german(tmp_path)
    start = datetime(2026, 12, 5, 14, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    day = format_date(start, "full", locale="de")  # Samstag, 5. Dezember 2026
    session = (out / "sessions/2026-12-05-gradienten/index.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in session
    assert day == "Samstag, 5. Dezember 2026"
    assert f"{day}, 14:00–22:30 Uhr CET" in session  # the range, in the 24-hour clock
    assert "8 Std. 30 Min." in session and "510" not in page_text(session)
    home = (out / "index.html").read_text(encoding="utf-8")
    assert day in home and "14:00–22:30 Uhr CET" in home
    card_date = format_skeleton("yMMMd", date(2026, 11, 14), locale="de")  # 14. Nov. 2026
    assert card_date in (out / "sessions/index.html").read_text(encoding="utf-8")
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    assert 'xml:lang="de"' in feed and "Samstag, 14. November 2026, 14:00–15:30 Uhr CET" in feed
    assert "Vorschlag: Symmetrien in neuronalen Netzen" in feed
    calendar = (out / "calendar.ics").read_text(encoding="utf-8").replace("\n ", "")
    assert "Abgesagt: Ein Spaziergang" in calendar and "Moderation: David Hilbert" in calendar


def test_counts_take_the_plural_the_language_needs(tmp_path: Path) -> None:
    out = build_german(tmp_path)
    speakers = page_text((out / "speakers/index.html").read_text(encoding="utf-8"))
    assert "1 Sitzung" in speakers and "2 Sitzungen" in speakers
    assert "2 Vorschläge" in speakers or "1 Vorschlag" in speakers
    home = page_text((out / "index.html").read_text(encoding="utf-8"))
    assert "1 Stimme" in home


def test_every_shipped_catalog_translates_every_theme_string() -> None:
    """Extracts the strings of the templates and of the Python that writes pages, as
    ``python -m rgsite.i18n.extract`` does, and holds every catalog to them."""
    strings: dict[str, str] = {}
    for where, line, message in found_strings():
        for text in (message,) if isinstance(message, str) else message:
            if text:
                strings.setdefault(text, f"{where}:{line}")
    with TEMPLATE.open("rb") as source:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}
    singulars = {m if isinstance(m, str) else m[0] for _, _, m in found_strings()}
    stale = sorted(s for s in singulars if s and s not in template)
    assert not stale, (
        f"messages.pot lacks {stale}; run 'python -m rgsite.i18n.extract' and translate them"
    )
    for path in sorted(LOCALES.glob("*.po")):
        translated = catalog(path.stem)
        for text, where in strings.items():
            assert text in translated and translated[text][1], (
                f"{path.name} has no translation of {text!r} ({where}); run "
                f"'python -m rgsite.i18n.extract' and translate it in {path.name}"
            )
            placeholders = set(re.findall(r"%\(\w+\)[sd]", text))
            got = set(re.findall(r"%\(\w+\)[sd]", translated[text][1]))
            assert got == placeholders, (
                f"{path.name}: the translation of {text!r} has {sorted(got)}, "
                f"not the placeholders {sorted(placeholders)}"
            )
    assert {p.stem for p in LOCALES.glob("*.po")} >= {"de", "es", "fr", "pt"}


def test_each_shipped_language_builds_with_its_own_words(tmp_path: Path) -> None:
    expected = {
        "fr": ("Prochaine séance", "samedi 5 décembre 2026"),
        "es": ("Próxima sesión", "sábado, 5 de diciembre de 2026"),
        "pt": ("Próxima sessão", "sábado, 5 de dezembro de 2026"),
        "pt-BR": ("Próxima sessão", "sábado, 5 de dezembro de 2026"),
    }
    for language, (heading, day) in expected.items():
        out = build_german(tmp_path / language, language)
        home = page_text((out / "index.html").read_text(encoding="utf-8"))
        assert heading in home and day in home, language


def test_a_site_catalog_overrides_and_adds_to_the_theme(tmp_path: Path) -> None:
    catalog_text = """\
msgid ""
msgstr ""
"Language: de\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Next session"
msgstr "Nächstes Treffen"

msgid "Welcome, readers"
msgstr "Willkommen, Lesende"
"""
    template = (
        '{% extends "base.html" %}{% block main %}<h1>{{ _("Welcome, readers") }}</h1>'
        '<p>{{ _("Not in any catalog") }}</p>{% endblock %}'
    )
    out = build_german(tmp_path, **{"locales/de.po": catalog_text, "templates/page.html": template})
    home = page_text((out / "index.html").read_text(encoding="utf-8"))
    assert "Nächstes Treffen" in home and "Nächste Sitzung" not in home
    assert "Sitzungen" in home, "the theme's catalog still gives every other string"
    about = page_text((out / "about/index.html").read_text(encoding="utf-8"))
    assert "Willkommen, Lesende" in about
    assert "Not in any catalog" in about, "a string no catalog has shows in English"


def test_check_lists_the_strings_a_language_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = (
        '{% extends "base.html" %}{% block main %}{{ _("Not in any catalog") }}{% endblock %}'
    )
    write_site(tmp_path, GERMAN_SITE, {"templates/page.html": template})
    capsys.readouterr()
    assert main(["check", str(tmp_path), "--now", NOW]) == 0
    err = capsys.readouterr().err
    assert (
        'locales/de.po: warning: no de translation of "Not in any catalog" '
        "(used in templates/page.html:1)"
    ) in err
    assert err.count("no de translation") == 1, "the theme's own strings are all translated"
    # A language only the site has a catalog for: everything it lacks is listed.
    dutch = 'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\nmsgid "Sessions"\nmsgstr "Sessies"\n'
    site_yaml = GERMAN_SITE["content/site.yaml"].replace("language: de", "language: nl")
    write_site(tmp_path, GERMAN_SITE, {"content/site.yaml": site_yaml, "locales/nl.po": dutch})
    assert main(["check", str(tmp_path), "--now", NOW]) == 0
    err = capsys.readouterr().err
    assert 'locales/nl.po: warning: no nl translation of "Next session" (a theme string)' in err
    assert 'of "Sessions"' not in err
    out = tmp_path / "_site"
    assert main(["build", str(tmp_path), "--now", NOW]) == 0
    home = page_text((out / "index.html").read_text(encoding="utf-8"))
    assert "Sessies" in home and "Next session" in home  # English where nl has nothing
    assert "zaterdag 5 december 2026" in home  # Babel's Dutch dates


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("language: dee", "content/site.yaml:4: 'language' is 'dee' (did you mean 'de'?)"),
        ("language: xx", "for another language add its catalog as locales/xx.po"),
        ("language: de-QQ", "'language' is 'de-QQ', which has no date and time data"),
        ("time_format: 24", "'time_format' is '24' (did you mean '24h'?); use one of: 24h, 12h"),
    ],
)
def test_language_and_clock_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setting: str, expected: str
) -> None:
    site_yaml = GERMAN_SITE["content/site.yaml"]
    if setting.startswith("language"):
        site_yaml = site_yaml.replace("language: de", setting)
    else:
        site_yaml += setting + "\n"
    write_site(tmp_path, GERMAN_SITE, {"content/site.yaml": site_yaml})
    capsys.readouterr()
    assert main(["build", str(tmp_path), "--now", NOW]) == 1
    assert expected in capsys.readouterr().err


def test_time_format_12h_everywhere_a_time_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site_yaml = GERMAN_SITE["content/site.yaml"] + "time_format: 12h\n"
    out = build_german(tmp_path, **{"content/site.yaml": site_yaml})

    def shown(text: str) -> str:  # CLDR's narrow spaces, compared as spaces
        return text.replace("\u202f", " ").replace("\u2009", " ")

    session = shown(page_text((out / "sessions/2026-12-05-gradienten/index.html").read_text()))
    assert "2:00–10:30 PM" in session and "14:00" not in session
    home = shown((out / "index.html").read_text())
    assert "2:00–10:30 PM" in home, "the next session's card"
    assert 'data-hour12="true"' in home
    feed = shown((out / "feed.xml").read_text())
    assert "Samstag, 14. November 2026, 2:00–3:30 PM CET" in feed
    capsys.readouterr()
    assert main(["announce", "2026-12-05-gradienten", str(tmp_path), "--now", NOW]) == 0
    announcement = shown(capsys.readouterr().out)
    assert (
        "Wann:" in announcement and "Samstag, 5. Dezember 2026, 2:00–10:30 PM CET" in announcement
    )
    assert "Dauer:" in announcement and "8 Std. 30 Min." in announcement
    assert "Lesekreis Lerntheorie — nächste Sitzung" in announcement


def test_time_format_24h_overrides_the_languages_own_clock(tmp_path: Path) -> None:
    files = dict(GERMAN_SITE)
    files["content/site.yaml"] = files["content/site.yaml"].replace("language: de", "language: en")
    write_site(
        tmp_path, files, {"content/site.yaml": files["content/site.yaml"] + "time_format: 24h\n"}
    )
    assert main(["build", str(tmp_path), "--now", NOW]) == 0
    session = (tmp_path / "_site/sessions/2026-12-05-gradienten/index.html").read_text()
    assert "Saturday 5 December 2026, 14:00\u2009–\u200922:30 CET" in session
    assert "8 h 30 min" in session and 'data-hour12="false"' in session


@pytest.mark.browser
@pytest.mark.parametrize(
    ("clock", "shown", "not_shown"), [("", "08:00", "AM"), ("time_format: 12h\n", "AM", "08:00")]
)
def test_the_your_time_line_is_a_line_of_its_own_in_the_sites_language_and_clock(
    tmp_path: Path,
    browser: Browser,
    serve_dir: Callable[[Path], str],
    clock: str,
    shown: str,
    not_shown: str,
) -> None:
    site_yaml = GERMAN_SITE["content/site.yaml"] + clock
    write_site(tmp_path / "site", GERMAN_SITE, {"content/site.yaml": site_yaml})
    out = tmp_path / "www/lesekreis"  # served as the site's own subpath
    assert main(["build", str(tmp_path / "site"), "-o", str(out), "--now", NOW]) == 0
    base = serve_dir(tmp_path / "www")
    # An English-speaking reader in New York: the line follows the site, not the browser.
    context = browser.new_context(timezone_id="America/New_York", locale="en-US")
    try:
        page = context.new_page()
        page.clock.set_fixed_time(datetime.fromisoformat(NOW))
        page.goto(base + "lesekreis/sessions/2026-12-05-gradienten/")
        when = page.locator("dd time[data-local]")
        note = page.locator("dd .local-time")
        text = note.inner_text()
        assert text.startswith("Ihre Zeit: ") and "Dez" in text, text
        assert shown in text and not_shown not in text, text
        time_box, note_box = when.bounding_box(), note.bounding_box()
        assert time_box is not None and note_box is not None
        assert note_box["y"] >= time_box["y"] + time_box["height"] - 1, "a line of its own"
        assert note.evaluate("n => n === n.parentNode.lastElementChild"), "after the sentence"
        page.goto(base + "lesekreis/")
        feature = page.locator("[data-feature]:not([hidden]) .local-time")
        assert feature.inner_text().startswith("Ihre Zeit: ")
    finally:
        context.close()


@pytest.mark.browser
def test_the_embed_on_another_page_speaks_the_sites_language(
    tmp_path: Path, browser: Browser, serve_dir: Callable[[Path], str]
) -> None:
    write_site(tmp_path / "site", GERMAN_SITE)
    assert main(["build", str(tmp_path / "site"), "-o", str(tmp_path / "out"), "--now", NOW]) == 0
    group = serve_dir(tmp_path / "out")
    host = tmp_path / "host"
    host.mkdir()
    (host / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Institut</title>'
        f'</head><body><script src="{group}embed.js" data-count="2" async></script></body></html>'
    )
    context = browser.new_context(timezone_id="Europe/Berlin", locale="en-US")
    try:
        page = context.new_page()
        page.clock.set_fixed_time(datetime.fromisoformat(NOW))
        page.goto(serve_dir(host) + "index.html")
        section = page.get_by_role("region", name="Nächste Sitzungen von Lesekreis Lerntheorie")
        section.wait_for()
        first = page.locator(".rgsite-embed__item").first
        meta = first.locator(".rgsite-embed__meta").inner_text()
        assert "Dez." in meta and "14:00" in meta and "PM" not in meta, meta
        assert (
            "Wird noch bekannt gegeben" in page.locator(".rgsite-embed__item").nth(1).inner_text()
        )
        assert (
            page.get_by_role("link", name="Alle Sitzungen von Lesekreis Lerntheorie").count() == 1
        )
    finally:
        context.close()


def test_a_site_catalog_is_a_file_the_build_and_the_preview_watch() -> None:
    assert classify("locales/de.po") is FileKind.CATALOG
    assert classify("locales/notes.txt") is FileKind.UNKNOWN
    assert relevant("locales/de.po") and not relevant("locales/.de.po.swp")
    assert relevant("locales", is_directory=True), "a locales/ folder made while serving"


def test_a_site_catalog_that_cannot_be_filled_in_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog_text = (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
        'msgid "Proposed by %(names)s"\nmsgstr "Vorgeschlagen von %(name)s"\n'
    )
    write_site(tmp_path, GERMAN_SITE, {"locales/de.po": catalog_text})
    capsys.readouterr()
    assert main(["build", str(tmp_path), "--now", NOW]) == 1
    assert (
        'locales/de.po:5: the translation of "Proposed by %(names)s" uses %(name)s, which the '
        "message does not give; its placeholders are: %(names)s"
    ) in capsys.readouterr().err
