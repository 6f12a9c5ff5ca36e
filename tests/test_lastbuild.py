"""A build with nothing to do stops at once, and anything that could change a page means a
real build: an edited or touched file, a removed output file, another option, a session
that has since ended, a broken record."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from rgsite.build import lastbuild
from rgsite.cli import main
from sitekit import write_site

NOW = "2023-02-10T00:00-07:00"
SKIPPED = "nothing changed since the last build"


def build(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["build", str(root), *args]) == 0
    return capsys.readouterr().out


def stamps(root: Path) -> dict[str, int]:
    out = root / "_site"
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*")}


def test_an_unchanged_site_is_done_at_once_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(tmp_path)
    first = build(tmp_path, capsys, "--now", NOW)
    assert SKIPPED not in first
    before = stamps(tmp_path)
    again = build(tmp_path, capsys, "--now", NOW)
    assert SKIPPED in again
    pages = first.split(" pages ")[0]
    assert again.startswith(pages + " pages"), "the same summary as the build it stands for"
    assert stamps(tmp_path) == before


def test_warnings_of_the_last_build_are_shown_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proposal = "---\ntitle: Done\nstatus: presented\n---\nWe read it.\n"
    write_site(tmp_path, changes={"content/proposals/done.md": proposal})
    capsys.readouterr()
    assert main(["build", str(tmp_path), "--now", NOW]) == 0
    first = capsys.readouterr().err
    assert "content/proposals/done.md:3: warning: a presented proposal" in first
    assert main(["build", str(tmp_path), "--now", NOW]) == 0
    captured = capsys.readouterr()
    assert SKIPPED in captured.out and captured.err == first


def test_a_touched_edited_added_or_removed_file_means_a_real_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(tmp_path)
    build(tmp_path, capsys, "--now", NOW)
    about = tmp_path / "content/pages/about.md"
    info = about.stat()
    os.utime(about, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    touched = build(tmp_path, capsys, "--now", NOW)
    assert SKIPPED not in touched and " 0 written" in touched  # same bytes: nothing rewritten

    about.write_text("---\ntitle: About us\n---\nWe meet online.\n", encoding="utf-8")
    assert SKIPPED not in build(tmp_path, capsys, "--now", NOW)
    assert "About us" in (tmp_path / "_site/about/index.html").read_text(encoding="utf-8")

    write_site(tmp_path, {"content/pages/join.md": "---\ntitle: Join\n---\nWrite to us.\n"})
    assert SKIPPED not in build(tmp_path, capsys, "--now", NOW)
    assert (tmp_path / "_site/join/index.html").is_file()

    (tmp_path / "content/pages/join.md").unlink()
    assert SKIPPED not in build(tmp_path, capsys, "--now", NOW)
    assert not (tmp_path / "_site/join/index.html").exists()
    assert SKIPPED in build(tmp_path, capsys, "--now", NOW)


def test_an_output_file_removed_or_edited_by_hand_is_put_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(tmp_path)
    build(tmp_path, capsys, "--now", NOW)
    home = tmp_path / "_site/index.html"
    good = home.read_bytes()
    home.unlink()
    assert SKIPPED not in build(tmp_path, capsys, "--now", NOW)
    assert home.read_bytes() == good
    home.write_text("defaced", encoding="utf-8")
    assert SKIPPED not in build(tmp_path, capsys, "--now", NOW)
    assert home.read_bytes() == good


def test_other_options_or_no_cache_mean_a_real_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(tmp_path)
    build(tmp_path, capsys, "--now", NOW)
    assert SKIPPED not in build(tmp_path, capsys, "--now", NOW, "--drafts")
    assert SKIPPED not in build(tmp_path, capsys, "--now", "2023-03-01T00:00-07:00")
    assert SKIPPED not in build(tmp_path, capsys, "--now", NOW, "--base-url", "/x/")
    build(tmp_path, capsys, "--now", NOW)
    assert SKIPPED not in build(tmp_path, capsys, "--now", NOW, "--no-cache")
    assert SKIPPED in build(tmp_path, capsys, "--now", NOW)
    other = tmp_path / "elsewhere"
    assert SKIPPED not in build(tmp_path, capsys, "--now", NOW, "-o", str(other))
    assert (other / "index.html").is_file()


def test_the_record_lapses_when_the_next_session_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zone = ZoneInfo("America/Edmonton")  # the site's time zone
    start = datetime.now(zone).replace(microsecond=0, second=0) + timedelta(days=3)
    write_site(
        tmp_path,
        changes={
            f"content/sessions/{start:%Y-%m-%d}-soon.md": (
                f"---\ntitle: Soon\ndate: {start:%Y-%m-%d %H:%M}\n---\nSoon.\n"
            ),
        },
    )
    build(tmp_path, capsys)
    record_path = tmp_path / ".rgsite-cache" / lastbuild.NAME
    record = json.loads(record_path.read_text())
    end = datetime.fromtimestamp(record["valid_until"], UTC)
    assert end == start + timedelta(minutes=60), "until the upcoming session ends"
    assert SKIPPED in build(tmp_path, capsys)
    record["valid_until"] = datetime.now(UTC).timestamp() - 1  # as if that moment had come
    record_path.write_text(json.dumps(record))
    assert SKIPPED not in build(tmp_path, capsys)


@pytest.mark.parametrize("garbage", ["", "{", "[]", '{"format": 1}', '{"format": 1, "key": 3}'])
def test_a_broken_or_foreign_record_means_a_real_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], garbage: str
) -> None:
    write_site(tmp_path)
    build(tmp_path, capsys, "--now", NOW)
    (tmp_path / ".rgsite-cache" / lastbuild.NAME).write_text(garbage)
    assert SKIPPED not in build(tmp_path, capsys, "--now", NOW)
    assert SKIPPED in build(tmp_path, capsys, "--now", NOW)


def test_a_failed_build_leaves_no_record_to_trust(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(tmp_path)
    build(tmp_path, capsys, "--now", NOW)
    about = tmp_path / "content/pages/about.md"
    good = about.read_text()
    about.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    assert main(["build", str(tmp_path), "--now", NOW]) == 1
    about.write_text(good, encoding="utf-8")
    assert SKIPPED not in build(tmp_path, capsys, "--now", NOW)
