"""The archive the benchmarks time (benchmarks/generate.py) is a clean, complete site, and
the peers' converters (benchmarks/peer_sites/) turn it into sites those peers build.

A benchmark means something only when rgsite builds the archive as it would a group's own:
no warnings, every link resolved, and the same bytes from the same arguments, so that two
machines time one archive. The peers are built only where they are installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from benchmarks.generate import generate
from benchmarks.peer_sites import hugo, mkdocs, pelican
from benchmarks.peer_sites.archive import read_archive

from rgsite.cli import main

NOW = "2026-01-01T00:00Z"


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_the_archive_builds_and_checks_with_no_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = generate(tmp_path / "site", 40)
    capsys.readouterr()
    assert main(["build", str(site), "-o", str(tmp_path / "out"), "--now", NOW]) == 0
    assert main(["check", str(site), "--now", NOW]) == 0
    captured = capsys.readouterr()
    assert "warning" not in (captured.out + captured.err).lower()
    out = tmp_path / "out"
    assert len(list((out / "sessions").glob("*/index.html"))) == 40
    assert len(list((out / "proposals").glob("*/index.html"))) == 100
    assert len(list((out / "reading").glob("*/index.html"))) == 5
    # Every speaker has a profile page, whether or not they spoke in 40 sessions.
    assert len(list((out / "speakers").glob("*/index.html"))) == 200


def test_the_archive_has_the_recipe_of_issue_16(tmp_path: Path) -> None:
    site = generate(tmp_path / "site", 120)
    content = site / "content"
    sessions = [p.read_text() for p in (content / "sessions").glob("*.md")]
    average = sum(len(text.encode()) for text in sessions) / len(sessions)
    assert 2200 < average < 2800
    assert sum("```python" in text for text in sessions) == 40
    assert sum("$$" in text for text in sessions) == 30
    assert len(yaml.safe_load((content / "speakers.yaml").read_text())) == 200
    lists = [yaml.safe_load(p.read_text()) for p in (content / "reading-lists").glob("*.yaml")]
    assert [sum(len(s["items"]) for s in r["sections"]) for r in lists] == [50] * 5
    topics = {t for text in sessions for t in yaml.safe_load(text.split("---")[1])["topics"]}
    assert len(topics) == 40


def test_the_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    one = files(generate(tmp_path / "one", 30))
    assert one == files(generate(tmp_path / "two", 30))
    assert one != files(generate(tmp_path / "three", 30, seed=1))


PEERS = {
    "hugo": (hugo, shutil.which("hugo")),
    "pelican": (pelican, shutil.which("pelican")),
    "mkdocs": (mkdocs, shutil.which("mkdocs")),
}


@pytest.mark.parametrize("name", sorted(PEERS))
def test_each_peer_builds_a_page_for_every_session(name: str, tmp_path: Path) -> None:
    module, executable = PEERS[name]
    if executable is None:
        pytest.skip(f"{name} is not installed")
    archive = read_archive(generate(tmp_path / "site", 12))
    root = module.convert(archive, tmp_path / name)
    done = subprocess.run(
        module.command(executable, root), cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for session in archive.sessions:
        page = module.session_page(root, session.id).read_text()
        assert session.title in page
        # [[speaker:…]] became the speaker's name, looked up by the peer or its converter.
        assert archive.speaker_name(session.names("speakers")[0]) in page
        assert 'class="highlight"' in page or "```" not in session.body
