"""``rgsite announce``: one session's announcement as text, Markdown and HTML.

The site meets in America/Edmonton, whose clocks went forward on 12 March 2023: a
14:00 session is 21:00 UTC before (MST, UTC-07:00) and 20:00 UTC after (MDT, UTC-06:00).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rgsite.authoring.announce_formats import md_escape
from rgsite.cli import main
from rgsite.i18n.dates import Clock
from rgsite.i18n.translations import ENGLISH
from sitekit import write_site

SESSIONS = {
    "content/sessions/2023-03-04-before-dst.md": """\
---
title: Tickets before the clocks change
speakers: [ada]
papers: [lottery-ticket, arxiv:2206.11124]
tldr: Why sparse subnetworks train well from their original initialisation.
---
The notes' first paragraph, not used: there is a tldr.
""",
    "content/sessions/2023-03-18-after-dst.md": """\
---
title: "Attention <script>alert(1)</script> & *stars* _under_"
speakers: [ada, alan]
duration: 90
location: Room 101 & the Zoom
join_url: https://example.org/join?room=a&b=1
---
First paragraph with **bold** and $x^2$ math.

Second paragraph.
""",
    "content/sessions/2023-03-25-cancelled.md": """\
---
title: Cancelled meeting
status: cancelled
---
""",
    "content/sessions/2023-04-01-late.md": """\
---
title: A late one
date: 2023-04-01 23:30
---
""",
}

BEFORE = "2023-03-01T00:00-07:00"
AFTER = "2023-03-10T00:00-07:00"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path, changes=SESSIONS)


def announce(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> tuple[str, str]:
    capsys.readouterr()
    assert main(["announce", *args]) == code
    captured = capsys.readouterr()
    # CLDR sets a time's AM/PM and a range's dash apart with narrow spaces; compared as spaces.
    out = captured.out.replace("\u202f", " ").replace("\u2009", " ")
    return out, captured.err


def test_text_before_the_change_in_mst(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, err = announce(capsys, str(site), "--now", BEFORE)
    assert err == ""
    assert (
        out
        == """\
Theory Club — next session

Tickets before the clocks change

When:     Saturday 4 March 2023, 2:00 – 3:00 PM MST (UTC-07:00)
          Saturday 4 March 2023, 9:00 – 10:00 PM UTC
Duration: 1 h
Where:    Online
Join:     https://example.org/join
Speaker:  Ada Lovelace (Analytical Engines)

Why sparse subnetworks train well from their original initialisation.

Papers to read:
- The lottery ticket hypothesis — Jonathan Frankle and Michael Carbin, 2019
  https://arxiv.org/abs/1803.03635
- arXiv:2206.11124
  https://arxiv.org/abs/2206.11124

Session page:    https://example.org/club/sessions/2023-03-04-before-dst/
Add to calendar: https://example.org/club/sessions/2023-03-04-before-dst/event.ics
"""
    )


def test_text_after_the_change_in_mdt(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = announce(capsys, str(site), "--now", AFTER, "--format", "text")
    assert "Attention <script>alert(1)</script> & *stars* _under_\n" in out  # plain text
    assert "When:     Saturday 18 March 2023, 2:00 – 3:30 PM MDT (UTC-06:00)\n" in out
    assert "          Saturday 18 March 2023, 8:00 – 9:30 PM UTC\n" in out
    assert "Duration: 1 h 30 min\n" in out
    assert "Where:    Room 101 & the Zoom\n" in out
    assert "Join:     https://example.org/join?room=a&b=1\n" in out
    assert "Speakers: Ada Lovelace (Analytical Engines), Alan Turing\n" in out
    assert "\n\nFirst paragraph with bold and x^2 math.\n\n" in out  # the notes' first
    assert "Second paragraph" not in out
    assert "Papers to read" not in out


def test_markdown_for_slack_and_discord(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before, _ = announce(capsys, str(site), "--now", BEFORE, "--format", "markdown")
    assert before.splitlines()[:8] == [
        "**Theory Club — next session: Tickets before the clocks change**",
        "",
        "**When:** Saturday 4 March 2023, 2:00 – 3:00 PM MST (UTC-07:00)",
        "**In UTC:** Saturday 4 March 2023, 9:00 – 10:00 PM UTC",
        "**Duration:** 1 h",
        "**Where:** Online",
        "**Join:** <https://example.org/join>",
        "**Speaker:** Ada Lovelace (Analytical Engines)",
    ]
    assert (
        "- The lottery ticket hypothesis — Jonathan Frankle and Michael Carbin, 2019 "
        "<https://arxiv.org/abs/1803.03635>\n"
    ) in before
    assert (
        "**Add to calendar:** <https://example.org/club/sessions/2023-03-04-before-dst/event.ics>\n"
        in before
    )

    after, _ = announce(capsys, str(site), "--now", AFTER, "--format", "markdown")
    assert after.startswith(
        "**Theory Club — next session: Attention \\<script\\>alert(1)\\</script\\> & "
        "\\*stars\\* \\_under\\_**\n"
    )
    assert "**When:** Saturday 18 March 2023, 2:00 – 3:30 PM MDT (UTC-06:00)\n" in after
    assert "**In UTC:** Saturday 18 March 2023, 8:00 – 9:30 PM UTC\n" in after
    assert "**Join:** <https://example.org/join?room=a&b=1>\n" in after


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_email_body_is_escaped(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = announce(capsys, str(site), "--now", AFTER, "--format", "html")
    assert out.startswith('<!DOCTYPE html>\n<html lang="en">\n')
    assert "<h1>Attention &lt;script&gt;alert(1)&lt;/script&gt; &amp; *stars* _under_</h1>" in out
    parsed = _Collect()
    parsed.feed(out)
    assert "script" not in parsed.tags
    assert parsed.hrefs == [
        "https://example.org/join?room=a&b=1",
        "https://example.org/club/sessions/2023-03-18-after-dst/",
        "https://example.org/club/sessions/2023-03-18-after-dst/event.ics",
    ]
    assert 'href="https://example.org/join?room=a&amp;b=1"' in out
    text = "".join(parsed.text)
    assert "Saturday 18 March 2023, 2:00 – 3:30 PM MDT (UTC-06:00)" in text
    assert "Saturday 18 March 2023, 8:00 – 9:30 PM UTC" in text
    assert "Room 101 & the Zoom" in text
    assert "Ada Lovelace (Analytical Engines), Alan Turing" in text

    before, _ = announce(capsys, "2023-03-04-before-dst", str(site), "-f", "html")
    assert "9:00 – 10:00 PM UTC" in before and "2:00 – 3:00 PM MST (UTC-07:00)" in before
    assert (
        '<li><a href="https://arxiv.org/abs/1803.03635">The lottery ticket hypothesis</a> — '
        "Jonathan Frankle and Michael Carbin, 2019</li>"
    ) in before


def test_sessions_named_by_id_path_or_date(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    by_id, _ = announce(capsys, "2023-03-18-after-dst", str(site), "--now", BEFORE)
    assert by_id.startswith("Theory Club — upcoming session\n")
    by_path, _ = announce(capsys, "content/sessions/2023-03-18-after-dst.md", str(site))
    by_date, _ = announce(capsys, "2023-03-18", str(site))
    assert by_path.splitlines()[2] == by_date.splitlines()[2] == by_id.splitlines()[2]
    past, _ = announce(capsys, "2023-01-21-tickets", str(site), "--now", AFTER)
    assert past.startswith("Theory Club — session\n")


def test_unknown_session_and_nothing_next(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, err = announce(capsys, "2023-03-18-after", str(site), code=1)
    assert "no session '2023-03-18-after' (did you mean '2023-03-18-after-dst'?)" in err
    _, err = announce(capsys, str(site), "--now", "2024-01-01T00:00Z", code=1)
    assert "no session after 2024-01-01 00:00 UTC; name one" in err


def test_cancelled_session(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = announce(capsys, "2023-03-25-cancelled", str(site))
    assert out.startswith("Theory Club — cancelled session\n\nCancelled meeting\n\n")
    assert "This session is cancelled." in out and "Join:" not in out
    # the next session skips it
    out, _ = announce(capsys, str(site), "--now", "2023-03-20T00:00-06:00")
    assert "A late one" in out


def test_a_session_across_midnight(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = announce(capsys, "2023-04-01-late", str(site))
    assert "When:     Saturday 1 April 2023, 11:30 PM – Sunday 2 April 2023, 12:30 AM MDT" in out
    assert "          Sunday 2 April 2023, 5:30 – 6:30 AM UTC\n" in out


def test_relative_base_url_is_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(
        tmp_path,
        changes={
            **SESSIONS,
            "content/site.yaml": "title: Club\nbase_url: /club/\ntimezone: UTC\n",
        },
    )
    out, err = announce(capsys, "2023-03-04-before-dst", str(site))
    assert "content/site.yaml: warning: base_url is not absolute" in err
    assert "When:     Saturday 4 March 2023, 6:00 – 7:00 PM UTC\n" in out  # no offset for UTC
    assert "Session page:    /club/sessions/2023-03-04-before-dst/\n" in out


def test_a_wrong_command_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["announce", "--format", "pdf", str(site)]) == 2
    assert main(["announce", "x", str(site / "nowhere")]) == 2


def test_small_parts() -> None:
    clock = Clock("en", "", ZoneInfo("UTC"), ENGLISH)
    assert [clock.duration(m) for m in (1, 45, 60, 90, 120, 150, 510)] == [
        "1 min",
        "45 min",
        "1 h",
        "1 h 30 min",
        "2 h",
        "2 h 30 min",
        "8 h 30 min",
    ]
    assert md_escape("# Not a heading") == "\\# Not a heading"
    assert md_escape("1. not a list [x](y)") == "1\\. not a list \\[x\\](y)"


# -- abstracts, links, registration, open slots and breaks -----------------------------------

ABSTRACT = (
    "Sparse networks are found by pruning a trained dense one; we ask whether [the "
    "paper](https://example.org/paper) holds at scale, with [[speaker:ada]], and what $x^2$ "
    "regularisation changes along the way, across three model sizes and two datasets, "
    "before anyone reads the appendix."
)
SCHEDULE = {
    "content/sessions/2023-04-15-abstract/index.md": f"""\
---
title: Tickets at scale
speakers: [ada]
location: Room 4.02
register: https://example.org/rsvp?a=1&b=2
papers: [lottery-ticket]
resources:
  - {{title: Deck, url: deck.pdf, kind: slides}}
  - {{title: Recording, url: "https://example.org/video", kind: video}}
  - {{title: Whiteboard photos, kind: notes}}
abstract: |
  {ABSTRACT}

  - a list item
  - and its last sentence.
---
The notes, which the announcement leaves to the page.
""",
    "content/sessions/2023-04-15-abstract/deck.pdf": "%PDF-1.4\n",
    "content/sessions/2023-04-22-open.md": "---\nstatus: tba\ntime: tba\n---\n",
    "content/sessions/2023-04-29-off.md": "---\ntitle: Spring break\nstatus: break\n---\n",
}
SPRING = "2023-04-10T00:00-06:00"


@pytest.fixture
def spring(tmp_path: Path) -> Path:
    return write_site(tmp_path, changes={**SESSIONS, **SCHEDULE})


def test_the_abstract_is_printed_whole_with_its_links(
    spring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, _ = announce(capsys, str(spring), "--now", SPRING)
    assert "Theory Club — next session\n\nTickets at scale\n" in text
    assert (
        "\n\nSparse networks are found by pruning a trained dense one; we ask whether the paper "
        "(https://example.org/paper) holds at scale, with Ada Lovelace "
        "(https://example.org/club/speakers/ada/), and what x^2 regularisation changes along "
        "the way, across three model sizes and two datasets, before anyone reads the "
        "appendix.\n\n- a list item\n- and its last sentence.\n\n"
    ) in text
    assert "The notes" not in text
    markdown, _ = announce(capsys, str(spring), "--now", SPRING, "-f", "markdown")
    assert (
        "we ask whether the paper <https://example.org/paper> holds at scale, with Ada Lovelace "
        "<https://example.org/club/speakers/ada/>, and what `x^2` regularisation"
    ) in markdown
    assert "before anyone reads the appendix.\n\n- a list item\n- and its last sentence.\n" in (
        markdown
    )
    html, _ = announce(capsys, str(spring), "--now", SPRING, "-f", "html")
    assert '<a href="https://example.org/paper">the paper</a>' in html
    assert "<ul>\n<li>a list item</li>\n<li>and its last sentence.</li>\n</ul>" in html


def test_every_link_keeps_its_address_in_every_format(
    spring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, _ = announce(capsys, str(spring), "--now", SPRING)
    assert "Where:    Room 4.02\n" in text
    assert "Register: https://example.org/rsvp?a=1&b=2\n" in text
    assert (
        "Slides, recordings and links:\n"
        "- Slides: Deck\n  https://example.org/club/sessions/2023-04-15-abstract/deck.pdf\n"
        "- Video: Recording\n  https://example.org/video\n"
    ) in text
    assert "Whiteboard photos" not in text, "a resource with no address is left to the page"
    assert "- The lottery ticket hypothesis — Jonathan Frankle and Michael Carbin, 2019\n" in text

    markdown, _ = announce(capsys, str(spring), "--now", SPRING, "-f", "markdown")
    assert "**Register:** <https://example.org/rsvp?a=1&b=2>\n" in markdown
    assert (
        "- Slides: Deck <https://example.org/club/sessions/2023-04-15-abstract/deck.pdf>\n"
        "- Video: Recording <https://example.org/video>\n"
    ) in markdown
    assert "<https://arxiv.org/abs/1803.03635>" in markdown

    html, _ = announce(capsys, str(spring), "--now", SPRING, "-f", "html")
    parsed = _Collect()
    parsed.feed(html)
    assert parsed.hrefs == [
        "https://example.org/join",
        "https://example.org/rsvp?a=1&b=2",
        "https://example.org/paper",
        "https://example.org/club/speakers/ada/",
        "https://arxiv.org/abs/1803.03635",
        "https://example.org/club/sessions/2023-04-15-abstract/deck.pdf",
        "https://example.org/video",
        "https://example.org/club/sessions/2023-04-15-abstract/",
        "https://example.org/club/sessions/2023-04-15-abstract/event.ics",
    ]
    assert "<strong>Where:</strong> Room 4.02" in html


def test_an_open_slot_whose_time_is_not_known(
    spring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = announce(capsys, "2023-04-22-open", str(spring), "--now", SPRING)
    assert out.startswith(
        "Theory Club — upcoming session\n\nOpen slot\n\n"
        "The details of this session are still to be announced.\n\n"
        "When:  Saturday 22 April 2023, time to be announced\n"
        "Where: Online\n"
        "Join:  https://example.org/join\n"
    )
    assert "UTC" not in out and "Duration" not in out
    assert "Add to calendar: https://example.org/club/sessions/2023-04-22-open/event.ics" in out
    markdown, _ = announce(capsys, "2023-04-22-open", str(spring), "-f", "markdown")
    assert "**When:** Saturday 22 April 2023, time to be announced\n" in markdown
    assert "In UTC" not in markdown


def test_a_break_is_announced_as_no_meeting_and_never_picked_as_next(
    spring: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = announce(capsys, "2023-04-29-off", str(spring))
    assert out == (
        "Theory Club — no meeting\n\nSpring break\n\nThere is no meeting on this day.\n\n"
        "When: Saturday 29 April 2023\n"
    )
    html, _ = announce(capsys, "2023-04-29-off", str(spring), "-f", "html")
    assert "<a " not in html
    _, err = announce(capsys, str(spring), "--now", "2023-04-23T00:00-06:00", code=1)
    assert "no session after 2023-04-23" in err
