"""``rgsite init``: a commented skeleton that builds and checks clean at once, and never
overwrites anything."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from rgsite.authoring.init import default_title, skeleton
from rgsite.build.builder import build
from rgsite.cli import main
from rgsite.options import Options
from rgsite.read.decode import load_yaml

NOW = "2024-04-30T12:00Z"  # a Tuesday; the skeleton meets on Thursdays


def init(dest: Path, *extra: str) -> int:
    return main(["init", str(dest), "--timezone", "Europe/London", "--now", NOW, *extra])


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_init_writes_a_site_that_builds_and_checks_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "ml-theory"
    assert init(dest) == 0
    out = capsys.readouterr().out
    assert "created a new site" in out and "rgsite serve" in out
    written = set(files_of(dest))
    assert written == {
        ".gitignore",
        "README.md",
        "content/site.yaml",
        "content/speakers.yaml",
        "content/sessions/2024-05-02-first-meeting.md",
        "content/proposals/transformers-from-scratch.md",
        "content/reading-lists/getting-started.yaml",
        "content/pages/about.md",
    }
    config = load_yaml("site.yaml", (dest / "content/site.yaml").read_text()).data
    assert config["title"] == "Ml Theory reading group"
    assert config["timezone"] == "Europe/London"
    assert config["meeting"] == {
        "weekday": "thursday",
        "time": "16:00",
        "duration": 60,
        "every_weeks": 2,
        "location": "Online",
    }
    gitignore = (dest / ".gitignore").read_text().split()
    assert "_site/" in gitignore and ".rgsite-cache/" in gitignore

    result = build(Options(site=dest, now=datetime(2024, 4, 30, 12, tzinfo=UTC)))
    assert result.warnings == []
    assert result.site is not None
    site = result.site
    assert [s.slug for s in site.upcoming()] == ["2024-05-02-first-meeting"]
    assert set(site.speakers) == {"ada-lovelace"}
    assert set(site.proposals) == {"transformers-from-scratch"}
    assert set(site.lists) == {"getting-started"}
    assert set(site.pages) == {"about"}
    for page in (
        "index.html",
        "sessions/2024-05-02-first-meeting/index.html",
        "proposals/transformers-from-scratch/index.html",
        "reading/getting-started/index.html",
        "speakers/ada-lovelace/index.html",
        "about/index.html",
    ):
        assert (dest / "_site" / page).is_file(), page
    home = (dest / "_site/index.html").read_text()
    assert "First meeting: introductions and what to read" in home
    assert "<math" in (dest / "_site/sessions/2024-05-02-first-meeting/index.html").read_text()

    assert main(["check", str(dest), "--now", NOW]) == 0
    assert "all good" in capsys.readouterr().out


def test_init_builds_under_a_subpath(tmp_path: Path) -> None:
    dest = tmp_path / "group"
    assert init(dest, "--title", "Theory Club") == 0
    base = ["--base-url", "https://example.org/theory/club/", "--now", NOW]
    assert main(["check", str(dest), *base]) == 0
    assert main(["build", str(dest), *base]) == 0
    home = (dest / "_site/index.html").read_text()
    assert 'href="/theory/club/sessions/2024-05-02-first-meeting/"' in home


def test_the_first_session_is_the_next_meeting_from_today(tmp_path: Path) -> None:
    dest = tmp_path / "later"
    # Thursday 2 May 2024 at 17:00 in London: that day's 16:00 meeting has begun.
    assert (
        main(["init", str(dest), "--timezone", "Europe/London", "--now", "2024-05-02T16:00Z"]) == 0
    )
    names = [p.name for p in (dest / "content/sessions").iterdir()]
    assert names == ["2024-05-16-first-meeting.md"]


def test_init_refuses_a_non_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "busy"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    assert init(dest) == 2
    err = capsys.readouterr().err
    assert "is not empty (notes.txt)" in err and "--force" in err
    assert files_of(dest) == {"notes.txt": b"mine"}


def test_a_git_checkout_counts_as_empty(tmp_path: Path) -> None:
    dest = tmp_path / "repo"
    (dest / ".git").mkdir(parents=True)
    assert init(dest) == 0
    assert (dest / "content/site.yaml").is_file()


def test_init_force_keeps_every_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "existing"
    (dest / "content").mkdir(parents=True)
    mine = "title: My own group\ntimezone: UTC\n"
    (dest / "content/site.yaml").write_text(mine)
    (dest / "README.md").write_text("my readme\n")
    assert init(dest, "--force") == 0
    out = capsys.readouterr().out
    assert "kept content/site.yaml" in out and "kept README.md" in out
    assert (dest / "content/site.yaml").read_text() == mine
    assert (dest / "README.md").read_text() == "my readme\n"
    assert (dest / "content/speakers.yaml").is_file()
    # Running it again changes nothing at all.
    before = files_of(dest)
    assert init(dest, "--force") == 0
    assert files_of(dest) == before


def test_init_refuses_a_file_and_a_bad_time_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("x")
    assert init(tmp_path / "file") == 2
    assert "is a file" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "tz"), "--timezone", "Europe/Lodon"]) == 2
    assert "did you mean 'Europe/London'?" in capsys.readouterr().err
    assert not (tmp_path / "tz").exists()


def test_a_title_with_quotes_stays_a_title(tmp_path: Path) -> None:
    dest = tmp_path / "q"
    title = 'The "Deep": a # reading group'
    assert init(dest, "--title", title) == 0
    assert load_yaml("s.yaml", (dest / "content/site.yaml").read_text()).data["title"] == title
    result = build(Options(site=dest, now=datetime(2024, 4, 30, tzinfo=UTC)))
    assert result.site is not None and result.site.config.title == title


def test_the_skeleton_is_commented_for_a_newcomer() -> None:
    site_yaml = (skeleton() / "content" / "site.yaml").read_text()
    for key in ("base_url", "timezone", "every_weeks", "weekday"):
        line = next(line for line in site_yaml.splitlines() if line.lstrip().startswith(key))
        assert "#" in line or "#" in site_yaml.split(line)[0].splitlines()[-1], key
    session = next(
        p for p in (skeleton() / "content" / "sessions").iterdir() if p.name.endswith(".md")
    )
    assert "# ids from content/speakers.yaml" in session.read_text()


@pytest.mark.parametrize(
    ("name", "title"),
    [("ml-theory", "Ml Theory reading group"), ("mygroup", "Mygroup"), ("x", "X reading group")],
)
def test_default_title(name: str, title: str) -> None:
    assert default_title(name) == title


def test_date_tokens_never_leak(tmp_path: Path) -> None:
    dest = tmp_path / "t"
    assert init(dest) == 0
    for rel, data in files_of(dest).items():
        assert b"__" not in data.replace(b"__init__", b""), rel
    assert date.fromisoformat("2024-05-02")
