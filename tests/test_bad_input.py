"""Bad input: every mistake an organiser can make gives its exact place, and writes nothing.

Each failing case starts from a published build of the small site of ``sitekit`` (a copy
of one made once per module), breaks the site, runs the real CLI, and asserts:

* the exit code is 1 and the problems printed are exactly the expected ``path:line: message``
  lines (every problem, in the order the build reports them);
* the output folder is byte-for-byte what it was, and no stage folder is left beside it.

The cases that must build (line endings, BOM, unicode names, markup in titles, a 10 MB
recap, links that point back at their own page) assert what the pages show instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from rgsite.cli import main
from sitekit import MINIMAL, SITE_YAML, SPEAKERS_YAML, write_site

NOW = "2023-02-10T00:00-07:00"
S = "content/sessions/2023-03-04-x.md"
P = "content/proposals/more-tickets.md"
SUMMARY = "rgsite build: {n} error(s); nothing was written"


def session(front: str, body: str = "Recap.\n") -> dict[str, str | None]:
    return {S: f"---\n{front}---\n{body}"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def command(site: Path, out: Path, *extra: str) -> list[str]:
    return ["build", str(site), "-o", str(out), "--now", NOW, "--no-cache", "--jobs", "1", *extra]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small site built once: what every failing build must leave exactly as it was."""
    root = tmp_path_factory.mktemp("published")
    site = write_site(root / "site")
    assert main(command(site, root / "out", "-q")) == 0
    return root / "out"


@dataclass
class Case:
    """A broken site: text ``changes`` to the small site, raw ``data`` files, a ``setup``."""

    changes: dict[str, str | None] = field(default_factory=dict)
    expected: list[str] = field(default_factory=list)
    data: dict[str, bytes] = field(default_factory=dict)
    setup: Callable[[Path], object] | None = None


def fails(tmp_path: Path, published: Path, capsys: pytest.CaptureFixture[str], case: Case) -> None:
    site = write_site(tmp_path / "site", changes=case.changes)
    for rel, data in case.data.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    if case.setup is not None:
        case.setup(site)
    out = tmp_path / "out"
    shutil.copytree(published, out, symlinks=True)
    before = snapshot(out)
    capsys.readouterr()
    code = main(command(site, out))
    err = capsys.readouterr().err.splitlines()
    errors = sum(1 for line in case.expected if ": warning: " not in line)
    assert (code, err) == (1, [*case.expected, SUMMARY.format(n=errors)])
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]


def builds(
    tmp_path: Path, changes: dict[str, str | None], data: dict[str, bytes] | None = None
) -> Path:
    site = write_site(tmp_path / "site", changes=changes)
    for rel, raw in (data or {}).items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(raw)
    out = tmp_path / "out"
    assert main(command(site, out, "-q")) == 0
    return out


# -- reading files: front matter, YAML, encodings ----------------------------------------

PWNED = Path("/tmp/rgsite-test-bad-input-pwned")  # a YAML tag that ran code would create it
KNOWN_SESSION_KEYS = (
    "known keys: title, date, duration, speakers, topics, series, papers, resources, "
    "proposal, status, draft, tldr, location, join_url, aliases"
)

FILES = {
    "unclosed front matter": Case(
        {S: "---\ntitle: X\n\nThe recap, but the fence was never closed.\n"},
        [
            f"{S}:1: front matter opened with '---' on line 1 is never closed; add a line "
            "'---' after the last field"
        ],
    ),
    "front matter without its opening fence": Case(
        {S: "title: X\n---\nRecap.\n"},
        [
            f"{S}:1: front matter must start with a line '---'; did you forget to add `---` "
            "above the first key?"
        ],
    ),
    "front matter is a list": Case(
        {S: "---\n- title\n- X\n---\n"},
        [f"{S}:2: front matter is a list; it must be fields like 'title: ...', one per line"],
    ),
    "front matter is a string": Case(
        {S: "---\njust a title\n---\n"},
        [
            f"{S}:2: front matter is a single value; it must be fields like 'title: ...', "
            "one per line"
        ],
    ),
    "tab indentation in front matter": Case(
        session("title: X\nresources:\n\t- {title: Slides}\n"),
        [f"{S}:4: YAML indentation must use spaces, not tabs; replace the tab with spaces"],
    ),
    "tab indentation in speakers.yaml": Case(
        # Only the real mistake: the ids speakers.yaml would define are not called unknown.
        {"content/speakers.yaml": "ada:\n  name: Ada\nalan:\n\tname: Alan\n"},
        [
            "content/speakers.yaml:4: YAML indentation must use spaces, not tabs; replace "
            "the tab with spaces"
        ],
    ),
    "duplicate key in front matter": Case(
        session("title: X\ndate: 2023-03-04\ntitle: Y\n"),
        [f"{S}:4: duplicate key 'title' (first given on line 2); keep one of them"],
    ),
    "a speaker described twice": Case(
        {"content/speakers.yaml": SPEAKERS_YAML + "ada:\n  name: Ada Again\n"},
        ["content/speakers.yaml:8: duplicate key 'ada' (first given on line 1); keep one of them"],
    ),
    "python/object/apply tag in front matter": Case(
        session(f"title: !!python/object/apply:os.system ['touch {PWNED}']\n"),
        [
            f"{S}:2: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
            "allowed; write plain values without '!!' tags"
        ],
    ),
    "python/object/new tag in site.yaml": Case(
        {
            "content/site.yaml": SITE_YAML
            + f"extra: !!python/object/new:builtins.open ['{PWNED}', 'w']\n"
        },
        [
            "content/site.yaml:12: YAML tag 'tag:yaml.org,2002:python/object/new:builtins.open' "
            "is not allowed; write plain values without '!!' tags"
        ],
    ),
    "python/name tag in a reading list": Case(
        # The list is unreadable, so the papers it would define are not called unknown.
        {"content/reading-lists/foundations.yaml": "title: !!python/name:os.system\n"},
        [
            "content/reading-lists/foundations.yaml:1: YAML tag "
            "'tag:yaml.org,2002:python/name:os.system' is not allowed; write plain values "
            "without '!!' tags"
        ],
    ),
    "a local tag": Case(
        session("title: !include other.yaml\n"),
        [f"{S}:2: YAML tag '!include' is not allowed; write plain values without '!!' tags"],
    ),
    "invalid UTF-8 in a recap": Case(
        {S: None},
        [f"{S}:6: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8 in your editor"],
        data={S: b"---\ntitle: X\n---\nRecap.\n\nCaf\xe9 au lait, in Latin-1.\n"},
    ),
    "invalid UTF-8 in site.yaml": Case(
        data={
            "content/site.yaml": SITE_YAML.replace("Theory Club", "Th\xe9orie").encode("latin-1")
        },
        expected=[
            "content/site.yaml:1: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8 "
            "in your editor"
        ],
    ),
    "a NUL byte": Case(
        {S: None},
        [f"{S}:4: the file contains a NUL byte; is it a text file?"],
        data={S: b"---\ntitle: X\n---\nRecap\x00 with a NUL.\n"},
    ),
    "a UTF-16 file": Case(
        {S: None},
        [f"{S}:1: the file contains a NUL byte; is it a text file?"],
        data={S: "---\ntitle: X\n---\nRecap.\n".encode("utf-16")},
    ),
    "a 40-digit number": Case(
        session("title: X\nduration: " + "9" * 40 + "\n"),
        [f"{S}:3: the number 999999999999... has 40 digits; no field takes a number that long"],
    ),
    "aliases that expand to millions of values": Case(
        session(
            "title: X\n"
            + "".join(
                f"{name}: &{name} [{', '.join([prev] * 9)}]\n"
                for name, prev in zip("abcdefgh", ["x", *(f"*{c}" for c in "abcdefg")], strict=True)
            )
        ),
        [
            f"{S}:3: this YAML holds more than 200000 values once its aliases (*name) are "
            "expanded; write the values out instead of repeating aliases"
        ],
    ),
    "YAML nested a thousand deep": Case(
        session("title: X\ntopics: " + "[" * 1000 + "]" * 1000 + "\n"),
        [f"{S}:3: this YAML is nested more than 50 levels deep; no field needs that"],
    ),
    "Markdown lists nested two hundred deep": Case(
        # Python-Markdown recurses per level: refused before it can hit the recursion limit.
        session("title: X\n", "".join("    " * i + "- a\n" for i in range(200))),
        [
            f"{S}:65: the Markdown nests lists or quotes more than 60 levels deep, too deep to "
            "render; flatten it"
        ],
    ),
}


# -- fields: dates, zones, titles, URLs, attachments -------------------------------------

FIELDS = {
    "a date that does not exist": Case(
        session("title: X\ndate: 2023-02-30\n"),
        [f"{S}:3: 'date' is '2023-02-30', which is not a real date"],
    ),
    "a proposal date that does not exist": Case(
        {P: "---\ntitle: More tickets\ndate: 2023-02-30\n---\n"},
        [
            f"{P}:3: 'date' is '2023-02-30', which is not a real date (day is out of range "
            "for month)"
        ],
    ),
    "a session in the year 999": Case(
        {"content/sessions/0999-01-01-x.md": "---\ntitle: X\n---\n"},
        [
            "content/sessions/0999-01-01-x.md:2: the year 999 is out of range; a session's "
            "year is between 1000 and 9000"
        ],
    ),
    "an unknown time zone": Case(
        {"content/site.yaml": SITE_YAML.replace("America/Edmonton", "Mars/Olympus_Mons")},
        [
            "content/site.yaml:4: unknown time zone 'Mars/Olympus_Mons'; use an IANA name "
            "like 'Europe/London' or 'America/Edmonton'"
        ],
    ),
    "a misspelt time zone": Case(
        {"content/site.yaml": SITE_YAML.replace("America/Edmonton", "Europe/Londn")},
        [
            "content/site.yaml:4: unknown time zone 'Europe/Londn' (did you mean "
            "'Europe/London'?); use an IANA name like 'Europe/London' or 'America/Edmonton'"
        ],
    ),
    "a time in the daylight-saving gap": Case(
        {"content/sessions/2023-03-12-x.md": "---\ntitle: X\ndate: 2023-03-12 02:30\n---\n"},
        [
            "content/sessions/2023-03-12-x.md:3: 2023-03-12 02:30 does not exist in "
            "America/Edmonton: the clocks go forward then; pick a time outside the skipped hour"
        ],
    ),
    "an empty title": Case(session("title: ''\n"), [f"{S}:2: 'title' must not be empty"]),
    "a title of spaces": Case(session("title: '   '\n"), [f"{S}:2: 'title' must not be empty"]),
    "a title with no value": Case(session("title:\n"), [f"{S}:2: 'title' is required"]),
    "a session too long to be a session": Case(
        session("title: X\nduration: 20000\n"), [f"{S}:3: 'duration' must be at most 10080"]
    ),
    "javascript: URL in a resource": Case(
        session("title: X\nresources:\n  - {title: Slides, url: 'javascript:alert(1)'}\n"),
        [
            f"{S}:4: 'url' uses the scheme 'javascript:', which is not allowed; use http, "
            "https or mailto"
        ],
    ),
    "JavaScript: URL in mixed case": Case(
        session("title: X\nresources:\n  - {title: Slides, url: 'JaVaScRiPt:alert(1)'}\n"),
        [
            f"{S}:4: 'url' uses the scheme 'javascript:', which is not allowed; use http, "
            "https or mailto"
        ],
    ),
    "data: URL as the join link": Case(
        session("title: X\njoin_url: 'data:text/html,<script>alert(1)</script>'\n"),
        [
            f"{S}:3: 'join_url' uses the scheme 'data:', which is not allowed; use http, "
            "https or mailto"
        ],
    ),
    "javascript: URL in a speaker's links": Case(
        {
            "content/speakers.yaml": SPEAKERS_YAML.replace(
                "https://example.org/ada", "javascript:x()"
            )
        },
        [
            "content/speakers.yaml:5: 'homepage' uses the scheme 'javascript:', which is not "
            "allowed; use http, https or mailto"
        ],
    ),
    "a resource linking a missing attachment": Case(
        session("title: X\nresources:\n  - {title: Slides, url: slides.pdf, kind: slides}\n"),
        [
            f"{S}:4: 'slides.pdf' is not a file in this session's folder; put the file in "
            "content/sessions/2023-03-04-x/ beside index.md"
        ],
    ),
    "a misspelt attachment in a bundle": Case(
        {
            "content/sessions/2023-03-04-b/index.md": "---\ntitle: B\nresources:\n"
            "  - {title: Slides, url: slides.pdf}\n---\n",
            "content/sessions/2023-03-04-b/slide.pdf": "%PDF",
        },
        [
            "content/sessions/2023-03-04-b/index.md:4: 'slides.pdf' is not a file in this "
            "session's folder; check the file name; the bundle has: slide.pdf"
        ],
    ),
    "a Markdown image of a missing attachment": Case(
        {
            "content/sessions/2023-03-04-b/index.md": "---\ntitle: B\n---\nThe board:\n\n"
            "![board](board.png)\n"
        },
        [
            "content/sessions/2023-03-04-b/index.md:6: link to "
            "'content/sessions/2023-03-04-b/board.png', which does not exist or is not "
            "published; put the file in the session's folder or in static/"
        ],
    ),
    "an avatar that is not in static/": Case(
        {"content/speakers.yaml": SPEAKERS_YAML + "  avatar: speakers/alan.jpg\n"},
        [
            "content/speakers.yaml:8: 'avatar' is 'speakers/alan.jpg', which is not a file in "
            "static/; put the picture at static/speakers/<id>.jpg and write 'avatar: "
            "speakers/<id>.jpg'"
        ],
    ),
}


# -- references: every field that names another thing ------------------------------------

REFERENCES = {
    "session speakers: misspelt and unknown": Case(
        session("title: X\nspeakers:\n  - adaa\n  - grace\n"),
        [
            f"{S}:4: unknown speaker 'adaa' (did you mean 'ada'?)",
            f"{S}:5: unknown speaker 'grace'; add them to content/speakers.yaml",
        ],
    ),
    "session papers: misspelt and unknown": Case(
        session("title: X\npapers: [lotery-ticket, attention-is-all]\n"),
        [
            f"{S}:3: unknown paper 'attention-is-all'; describe it in a reading list, or cite "
            "it as arxiv:ID or doi:ID",
            f"{S}:3: unknown paper 'lotery-ticket' (did you mean 'lottery-ticket'?)",
        ],
    ),
    "session proposal: misspelt": Case(
        session("title: X\nproposal: more-ticket\n"),
        [f"{S}:3: unknown proposal 'more-ticket' (did you mean 'more-tickets'?)"],
    ),
    "session proposal: unknown": Case(
        session("title: X\nproposal: adam\n"),
        [
            f"{S}:3: unknown proposal 'adam'; proposal ids are file names in content/proposals/ "
            "without .md"
        ],
    ),
    "session proposal: a list of two": Case(
        session("title: X\nproposal: [more-tickets, adam]\n"),
        [
            f"{S}:3: 'proposal' names the one proposal this session came from, not a list; "
            "keep one",
            f"{S}:3: unknown proposal 'adam'; proposal ids are file names in content/proposals/ "
            "without .md",
        ],
    ),
    "proposal proposed_by: misspelt and unknown": Case(
        {P: "---\ntitle: More tickets\nproposed_by: [alann, linus]\n---\n"},
        [
            f"{P}:3: unknown speaker 'alann' (did you mean 'alan'?)",
            f"{P}:3: unknown speaker 'linus'; add them to content/speakers.yaml",
        ],
    ),
    "proposal session: misspelt": Case(
        {P: "---\ntitle: More tickets\nstatus: scheduled\nsession: 2023-01-21-ticket\n---\n"},
        [f"{P}:4: unknown session '2023-01-21-ticket' (did you mean '2023-01-21-tickets'?)"],
    ),
    "proposal session: unknown": Case(
        {P: "---\ntitle: More tickets\nsession: 2024-05-01-future\n---\n"},
        [
            f"{P}:3: unknown session '2024-05-01-future'; session ids are file names without "
            ".md, e.g. 2023-01-21-topic"
        ],
    ),
    "reading-list item: misspelt and unknown": Case(
        {
            "content/reading-lists/more.yaml": "title: More\nsections:\n  - title: S\n    items:\n"
            "      - lotery-ticket\n      - grokking\n"
        },
        [
            "content/reading-lists/more.yaml:5: unknown paper 'lotery-ticket' (did you mean "
            "'lottery-ticket'?)",
            "content/reading-lists/more.yaml:6: unknown paper 'grokking'; describe it in a "
            "reading list, or cite it as arxiv:ID or doi:ID",
        ],
    ),
    "[[speaker:]] misspelt": Case(
        session("title: X\n", "With [[speaker:alna]].\n"),
        [f"{S}:4: unknown speaker 'alna' (did you mean 'alan'?)"],
    ),
    "[[session:]] misspelt": Case(
        session("title: X\n", "After\n[[session:2023-01-21-ticket]].\n"),
        [f"{S}:5: unknown session '2023-01-21-ticket' (did you mean '2023-01-21-tickets'?)"],
    ),
    "[[paper:]] unknown": Case(
        session("title: X\n", "Read [[paper:bert]].\n"),
        [
            f"{S}:4: unknown paper 'bert'; describe it in a reading list, or cite it as "
            "arxiv:ID or doi:ID"
        ],
    ),
    "[[proposal:]] misspelt": Case(
        session("title: X\n", "From [[proposal:more-tickts]].\n"),
        [f"{S}:4: unknown proposal 'more-tickts' (did you mean 'more-tickets'?)"],
    ),
    "[[list:]] misspelt": Case(
        session("title: X\n", "See [[list:foundation]].\n"),
        [f"{S}:4: unknown list 'foundation' (did you mean 'foundations'?)"],
    ),
    "[[page:]] misspelt": Case(
        session("title: X\n", "See [[page:abuot]].\n"),
        [f"{S}:4: unknown page 'abuot' (did you mean 'about'?)"],
    ),
    "[[kind:id]] of an unknown kind": Case(
        session("title: X\n", "With [[spaker:ada]].\n"),
        [
            f"{S}:4: unknown link kind 'spaker' in [[spaker:ada]] (use speaker, session, paper, "
            "proposal, list or page)"
        ],
    ),
    "[[speaker:]] in a speaker's bio": Case(
        {
            "content/speakers.yaml": SPEAKERS_YAML.replace(
                "Writes *notes*", "Works with [[speaker:alan-t]], writes *notes*"
            )
        },
        ["content/speakers.yaml:4: unknown speaker 'alan-t' (did you mean 'alan'?)"],
    ),
    "relative .md link to a missing page": Case(
        session("title: X\n", "See [about us](../pages/abuot.md).\n"),
        [
            f"{S}:4: link to 'content/pages/abuot.md', which is not a session, proposal or "
            "page of this site"
        ],
    ),
    "a session and a proposal that disagree": Case(
        # The reference cycle rgsite cares about: session S says it came from proposal P
        # while P names another session T as its session. Each page would contradict the
        # other, so each side that disagrees is reported. (A session and a proposal that
        # name each other, and pages that link to themselves, are fine: see below.)
        {
            P: "---\ntitle: More tickets\nstatus: presented\nsession: 2023-01-21-tickets\n---\n",
            **session("title: X\nproposal: more-tickets\n"),
        },
        [
            f"{S}:3: this session says it came from proposal 'more-tickets', but that proposal "
            "names session '2023-01-21-tickets'; make the two agree"
        ],
    ),
}


# -- files on disk: names, collisions, links, permissions ----------------------------------


def _symlink(target: str, link: str) -> Callable[[Path], None]:
    """A setup making the link ``link`` -> ``target`` ({outside}: a folder beside the case)."""

    def make(site: Path) -> None:
        outside = site.parent.parent / "outside"
        if not outside.exists():
            outside.mkdir()
            (outside / "secret.md").write_text("---\ntitle: Secret\n---\nNot for the site.\n")
        (site / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target.format(outside=outside), site / link)

    return make


DISK = {
    "two sessions differing only in case": Case(
        {
            "content/sessions/2023-01-21-A.md": "---\ntitle: Upper\n---\n",
            "content/sessions/2023-01-21-a.md": "---\ntitle: Lower\n---\n",
        },
        [
            "content/sessions/2023-01-21-A.md:1: 2 pages would be published at "
            "/sessions/2023-01-21-A/index.html: content/sessions/2023-01-21-A.md:1; "
            "content/sessions/2023-01-21-a.md:1; rename all but one",
            "content/sessions/2023-01-21-a.md:1: 2 pages would be published at "
            "/sessions/2023-01-21-a/index.html: content/sessions/2023-01-21-A.md:1; "
            "content/sessions/2023-01-21-a.md:1; rename all but one",
        ],
    ),
    "a session file and a bundle of one slug": Case(
        {"content/sessions/2023-01-21-tickets/index.md": "---\ntitle: Again\n---\n"},
        [
            "content/sessions/2023-01-21-tickets/index.md: session '2023-01-21-tickets' is "
            "also defined by content/sessions/2023-01-21-tickets.md; keep the file or the folder"
        ],
    ),
    "a page on the URL of a built-in section": Case(
        {"content/pages/sessions.md": "---\ntitle: Our sessions\n---\n"},
        [
            "content/pages/sessions.md:1: 2 pages would be published at /sessions/index.html: "
            "the built-in page sessions.html; content/pages/sessions.md:1; rename all but one"
        ],
    ),
    "a file name with spaces": Case(
        {"content/sessions/2023-03-04-my talk.md": "---\ntitle: My talk\n---\n"},
        [
            "content/sessions/2023-03-04-my talk.md: the name '2023-03-04-my talk' becomes the "
            "page's URL and its id, and a space does not work in a URL; rename the file to "
            "2023-03-04-my-talk.md"
        ],
    ),
    "a bundle folder name with a '#'": Case(
        {"content/sessions/2023-03-04-c#/index.md": "---\ntitle: C sharp\n---\n"},
        [
            "content/sessions/2023-03-04-c#/index.md: the name '2023-03-04-c#' becomes the "
            "page's URL and its id, and '#' does not work in a URL; rename the folder to "
            "2023-03-04-c"
        ],
    ),
    "a session file name without a date": Case(
        {"content/sessions/tickets.md": "---\ntitle: T\n---\n"},
        [
            "content/sessions/tickets.md: a session file is named YYYY-MM-DD-slug (e.g. "
            "2023-01-21-tickets); rename it",
            "content/sessions/tickets.md:2: 'date' is required when the file name does not "
            "start with a date",
        ],
    ),
    "a symlink to a file outside the site": Case(
        setup=_symlink("{outside}/secret.md", "content/pages/secret.md"),
        expected=[
            "content/pages/secret.md: this is a symbolic link to a file outside the site; copy "
            "the file in instead"
        ],
    ),
    "a symlink to a folder outside the site": Case(
        setup=_symlink("{outside}", "static/borrowed"),
        expected=[
            "static/borrowed: this is a symbolic link to a folder outside the site; copy the "
            "files in instead"
        ],
    ),
    "a symlink loop of folders": Case(
        setup=_symlink("..", "static/up"),
        expected=["static/up: this folder is a symbolic link loop; remove the link"],
    ),
    "a symlink loop of files": Case(
        setup=lambda site: (
            _symlink("b.md", "content/pages/a.md")(site),
            _symlink("a.md", "content/pages/b.md")(site),
        ),
        expected=[
            "content/pages/a.md: this symbolic link is broken or loops; fix or remove it",
            "content/pages/b.md: this symbolic link is broken or loops; fix or remove it",
        ],
    ),
    "a named pipe where a page would be": Case(
        # Reading a FIFO blocks forever: it must be refused before anything opens it.
        setup=lambda site: os.mkfifo(site / "content/pages/pipe.md"),
        expected=[
            "content/pages/pipe.md: this is not a regular file (a named pipe, socket or "
            "device); remove it"
        ],
    ),
    "a folder where speakers.yaml should be": Case(
        {"content/speakers.yaml": None},
        setup=lambda site: (site / "content/speakers.yaml").mkdir(),
        expected=[
            "content/proposals/more-tickets.md:3: unknown speaker 'ada'; add them to "
            "content/speakers.yaml",
            "content/sessions/2023-01-21-tickets.md:3: unknown speaker 'ada'; add them to "
            "content/speakers.yaml",
            "content/sessions/2023-01-21-tickets.md:7: unknown speaker 'alan'; add them to "
            "content/speakers.yaml",
            "content/sessions/2023-02-04-engines.md:4: unknown speaker 'alan'; add them to "
            "content/speakers.yaml",
            "content/speakers.yaml: this is a folder, but rgsite reads a file of this name; "
            "remove or rename the folder",
        ],
    ),
    "a Markdown file inside static/": Case(
        {"static/notes.md": "# Notes\n"},
        [
            "static/notes.md: a Markdown file in static/ would be published as raw text; move "
            "it to content/pages/ to make it a page"
        ],
    ),
    "bundle files without index.md": Case(
        {"content/sessions/2023-03-04-b/slides.pdf": "%PDF"},
        [
            "content/sessions/2023-03-04-b/slides.pdf: content/sessions/2023-03-04-b/ has "
            "files but no index.md; add index.md with the session's front matter"
        ],
    ),
}


@pytest.mark.parametrize("case", list(FILES.values()), ids=list(FILES))
def test_reading_files(
    tmp_path: Path, published: Path, capsys: pytest.CaptureFixture[str], case: Case
) -> None:
    PWNED.unlink(missing_ok=True)
    fails(tmp_path, published, capsys, case)
    assert not PWNED.exists(), "a YAML tag ran code"


@pytest.mark.parametrize("case", list(FIELDS.values()), ids=list(FIELDS))
def test_fields(
    tmp_path: Path, published: Path, capsys: pytest.CaptureFixture[str], case: Case
) -> None:
    fails(tmp_path, published, capsys, case)


@pytest.mark.parametrize("case", list(REFERENCES.values()), ids=list(REFERENCES))
def test_references(
    tmp_path: Path, published: Path, capsys: pytest.CaptureFixture[str], case: Case
) -> None:
    fails(tmp_path, published, capsys, case)


@pytest.mark.parametrize("case", list(DISK.values()), ids=list(DISK))
def test_files_on_disk(
    tmp_path: Path, published: Path, capsys: pytest.CaptureFixture[str], case: Case
) -> None:
    root = tmp_path / "case"  # symlink cases put their "outside" folder beside it
    root.mkdir()
    fails(root, published, capsys, case)


def test_the_cases_are_many_and_distinct() -> None:
    names = [*FILES, *FIELDS, *REFERENCES, *DISK]
    assert len(names) == len(set(names)) >= 40


# -- an unreadable file: permissions are checked even for root ------------------------------


def without_root_powers() -> list[str]:
    """A command prefix under which file permissions apply, also when running as root.

    As root, chmod 000 is no obstacle; ``setpriv`` drops the two capabilities that bypass
    permission checks (from the bounding set, so the new process never regains them).
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv, so permissions cannot be enforced")
    probe = subprocess.run(
        [setpriv, "--bounding-set=-dac_override,-dac_read_search", "true"], check=False
    )
    if probe.returncode != 0:
        pytest.skip("setpriv cannot drop capabilities here (no CAP_SETPCAP?)")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def test_an_unreadable_file(tmp_path: Path, published: Path) -> None:
    prefix = without_root_powers()
    site = write_site(tmp_path / "site")
    (site / "content/pages/about.md").chmod(0)
    out = tmp_path / "out"
    shutil.copytree(published, out, symlinks=True)
    before = snapshot(out)
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "rgsite", *command(site, out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr.splitlines()) == (
        1,
        [
            "content/pages/about.md: cannot read this file: Permission denied; check its "
            "permissions",
            SUMMARY.format(n=1),
        ],
    )
    assert snapshot(out) == before


# -- what must build -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("CRLF", lambda text: text.replace("\n", "\r\n").encode()),
        ("CR", lambda text: text.replace("\n", "\r").encode()),
        ("BOM", lambda text: b"\xef\xbb\xbf" + text.encode()),
        ("BOM and CRLF", lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()),
    ],
)
def test_line_endings_and_bom_build_and_keep_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, encode: Callable[[str], bytes]
) -> None:
    text = (
        "---\ntitle: Windows notes\nspeakers: [ada]\n---\nFirst paragraph.\n\n## Part two\n\n"
        "See [[paper:lottery-ticket]].\n"
    )
    out = builds(tmp_path / "good", {}, {S: encode(text)})
    html = (out / "sessions/2023-03-04-x/index.html").read_text()
    assert "<h1" in html and "Windows notes" in html
    assert "\r" not in html and "\ufeff" not in html
    assert 'id="part-two"' in html and "The lottery ticket hypothesis</a>" in html
    # The same file with a mistake on line 9 still says line 9.
    site = write_site(tmp_path / "bad")
    (site / S).write_bytes(encode(text.replace("paper:lottery-ticket", "paper:lotery")))
    capsys.readouterr()
    assert main(command(site, tmp_path / "bad-out")) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{S}:9: unknown paper 'lotery' (did you mean 'lottery-ticket'?)"
    )


def test_unicode_file_names_build(tmp_path: Path) -> None:
    out = builds(
        tmp_path,
        {
            "content/pages/café.md": "---\ntitle: Café\n---\nCroissants.\n",
            "content/sessions/2023-03-04-über-kernel.md": "---\ntitle: Über kernels\n---\n"
            "After [[page:café]].\n",
        },
    )
    html = (out / "sessions/2023-03-04-über-kernel/index.html").read_text()
    assert '<a href="/club/café/">Café</a>' in html
    assert (out / "café/index.html").is_file()


HOSTILE = {
    "session title": "<script>alert('session')</script>",
    "session tldr": "<img src=x onerror=alert('tldr')>",
    "speaker name": "<script>alert('speaker')</script>",
    "affiliation": "<iframe src=javascript:alert('aff')>",
    "paper title": "<script>alert('paper')</script>",
    "paper tldr": "<svg onload=alert('ptldr')>",
    "proposal title": "<script>alert('proposal')</script>",
    "page title": '"><script>alert("page")</script>',
}


def test_html_in_titles_names_and_tldrs_is_shown_escaped(tmp_path: Path) -> None:
    q = {key: value.replace("'", "''") for key, value in HOSTILE.items()}
    out = builds(
        tmp_path,
        {
            S: f"---\ntitle: '{q['session title']}'\ntldr: '{q['session tldr']}'\n"
            "speakers: [ada]\npapers: [lottery-ticket]\n---\nRecap.\n",
            "content/speakers.yaml": f"ada:\n  name: '{q['speaker name']}'\n"
            f"  affiliation: '{q['affiliation']}'\nalan:\n  name: Alan Turing\n",
            "content/reading-lists/foundations.yaml": MINIMAL[
                "content/reading-lists/foundations.yaml"
            ]
            .replace('"The lottery ticket hypothesis"', f"'{q['paper title']}'")
            .replace(
                "Sparse subnetworks train well from their original init.", f"'{q['paper tldr']}'"
            ),
            P: f"---\ntitle: '{q['proposal title']}'\nproposed_by: [ada]\n---\n",
            "content/pages/about.md": f"---\ntitle: '{q['page title']}'\n---\nAbout.\n",
            "content/sessions/2023-01-21-tickets.md": "---\ntitle: Tickets\n---\nRecap.\n",
        },
    )
    pages = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*.html")}
    for what, payload in HOSTILE.items():
        for rel, html in pages.items():
            assert payload not in html, f"the {what} is raw HTML in {rel}"
    session_page = pages["sessions/2023-03-04-x/index.html"]
    assert "&lt;script&gt;alert(&#39;session&#39;)&lt;/script&gt;" in session_page
    assert "&lt;img src=x onerror=alert(&#39;tldr&#39;)&gt;" in session_page
    assert "&lt;script&gt;alert(&#39;speaker&#39;)&lt;/script&gt;" in session_page
    assert "&lt;script&gt;alert(&#39;paper&#39;)&lt;/script&gt;" in session_page
    assert "&lt;svg onload=alert(&#39;ptldr&#39;)&gt;" in session_page
    assert "&lt;iframe" in pages["speakers/ada/index.html"]
    assert (
        "&lt;script&gt;alert(&#39;proposal&#39;)&lt;/script&gt;"
        in pages["proposals/more-tickets/index.html"]
    )
    assert "&#34;&gt;&lt;script&gt;" in pages["about/index.html"] or (
        "&quot;&gt;&lt;script&gt;" in pages["about/index.html"]
    )


def test_javascript_links_in_markdown_never_reach_an_href(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (
        "[a](javascript:alert(1)) and [b](JAVASCRIPT:void) and ![c](javascript:x)\n\n"
        '<a href="javascript:alert(2)">d</a>\n'
    )
    out = builds(tmp_path, session("title: X\n", body))
    for page in out.rglob("*.html"):
        assert not re.search(r"(?i)(href|src)\s*=\s*[\"']?\s*javascript:", page.read_text()), page


def test_links_back_to_the_same_page_and_a_mutual_session_proposal_build(tmp_path: Path) -> None:
    """Cycles that are fine: a page linking itself, a session and proposal naming each other."""
    out = builds(
        tmp_path,
        {
            P: "---\ntitle: More tickets\nstatus: presented\nsession: 2023-03-04-x\n---\n"
            "Presented at [[session:2023-03-04-x]]; see [[proposal:more-tickets]].\n",
            **session(
                "title: X\nproposal: more-tickets\n",
                "This page: [[session:2023-03-04-x]]. From [[proposal:more-tickets]].\n",
            ),
        },
    )
    html = (out / "sessions/2023-03-04-x/index.html").read_text()
    assert '<a href="/club/sessions/2023-03-04-x/">X</a>' in html
    assert '<a href="/club/proposals/more-tickets/">More tickets</a>' in html


@pytest.mark.slow
def test_a_10_mb_recap_builds_within_memory(tmp_path: Path) -> None:
    """10 MB of Markdown in one file builds, in well under 1 GB (peak RSS of the process)."""
    site = write_site(tmp_path / "site")
    paragraph = "A long recap paragraph, typed by hand, about *one* idea and `some` code.\n\n"
    count = 10_000_000 // (40 * len(paragraph)) + 1
    body = "".join(f"## Part {i}\n\n" + paragraph * 40 for i in range(count))
    (site / S).write_text(f"---\ntitle: Long\n---\n{body}", encoding="utf-8")
    assert (site / S).stat().st_size >= 10_000_000
    out = tmp_path / "out"
    script = textwrap.dedent(
        f"""
        import resource, sys
        from rgsite.cli import main
        code = main({command(site, out, "-q")!r})
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        sys.exit(code)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=600
    )
    assert done.returncode == 0, done.stderr
    peak_mib = int(done.stdout.split()[-1]) / 1024
    assert peak_mib < 768, f"peak RSS {peak_mib:.0f} MiB"
    html = (out / "sessions/2023-03-04-x/index.html").read_text()
    assert 'id="part-0"' in html and f'id="part-{count - 1}"' in html
