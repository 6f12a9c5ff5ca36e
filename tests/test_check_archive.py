"""``rgsite check --archive``: what the archive still lacks, at the lines to edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from rgsite.cli import main
from sitekit import MINIMAL, write_site

SPEAKERS = """\
ada:
  name: Ada Lovelace
  affiliation: Analytical Engines
alan:
  name: Alan Turing
  affiliation: Bletchley Park
ada-l:
  name: "  ADA  Lóvelace "
  affiliation: Analytical Engines
grace:
  name: Grace Hopper
hedy:
  name: Hedy Lamarr
"""

ARCHIVE = {
    **MINIMAL,
    "content/speakers.yaml": SPEAKERS,
    # A past session with a recap and its recording: complete.
    "content/sessions/2023-01-21-tickets.md": "---\ntitle: Lottery tickets\nspeakers: [ada]\n"
    "resources:\n  - {title: Recording, kind: video, url: https://example.org/v}\n---\n"
    "We read the paper.\n",
    # Past, with slides but no recap.
    "content/sessions/2023-02-04-engines.md": "---\ntitle: Engines\nspeakers: [ada-l]\n"
    "resources:\n  - {title: Slides, kind: slides, url: https://example.org/s.pdf}\n---\n",
    # An open slot left behind, and one still to come.
    "content/sessions/2023-02-18-slot.md": "---\ntitle: To be confirmed\nstatus: tba\n---\n",
    "content/sessions/2023-06-03-later.md": "---\ntitle: Later\nspeakers: [grace]\n---\n",
    "content/sessions/2023-02-25-off.md": "---\ntitle: Off\nstatus: cancelled\n---\n",
}


def check(site: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(["check", str(site), "--now", "2023-03-01T00:00Z", *extra])
    captured = capsys.readouterr()
    return code, (captured.err + captured.out).splitlines()


def lines_at(out: list[str], place: str) -> list[str]:
    return [line for line in out if line.startswith(place + ": ")]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", ARCHIVE)


def test_the_gaps_are_warnings_at_the_lines_to_edit(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check(archive, capsys, "--archive")
    assert code == 0, out
    engines = lines_at(out, "content/sessions/2023-02-04-engines.md:1")
    assert len(engines) == 1 and "warning: this past session has no recap" in engines[0]
    slot = lines_at(out, "content/sessions/2023-02-18-slot.md:1")
    assert len(slot) == 1 and "still 'status: tba'" in slot[0]
    twins = lines_at(out, "content/speakers.yaml:7")
    assert len(twins) == 1
    assert "'ada-l' (ADA  Lóvelace) has the name of 'ada' (Ada Lovelace, " in twins[0]
    assert "content/speakers.yaml:1)" in twins[0]
    assert "keep one id" in twins[0]
    # Complete, cancelled or still to come: nothing asked of them.
    for done in ("2023-01-21-tickets", "2023-02-25-off", "2023-06-03-later"):
        assert lines_at(out, f"content/sessions/{done}.md:1") == []
    # Grace is to speak and has no affiliation; Hedy is on no session, so no one asks.
    assert lines_at(out, "content/speakers.yaml:10") == [
        "content/speakers.yaml:10: warning: speaker 'grace' has no affiliation; "
        "add 'affiliation:' to their entry"
    ]
    assert lines_at(out, "content/speakers.yaml:12") == []
    assert any("4 gap(s) in the archive" in line for line in out)


def test_a_past_session_without_slides_or_recording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        **ARCHIVE,
        "content/sessions/2023-06-03-later.md": "---\ntitle: Earlier\ndate: 2023-02-11 14:00\n"
        "speakers: [grace]\n---\nA recap.\n",
    }
    code, out = check(write_site(tmp_path / "site", files), capsys, "--archive")
    assert code == 0
    later = lines_at(out, "content/sessions/2023-06-03-later.md:1")
    assert len(later) == 1 and "no slides or recording" in later[0]


def test_strict_makes_the_gaps_errors(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(archive, capsys, "--archive", "--strict")
    assert code == 1
    assert lines_at(out, "content/sessions/2023-02-04-engines.md:1")[0].endswith(
        "this past session has no recap; write what was discussed below the front matter"
    )


def test_without_archive_the_gaps_are_not_listed(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check(archive, capsys, "--strict")
    assert code == 0
    assert not [line for line in out if "recap" in line or "named" in line]
