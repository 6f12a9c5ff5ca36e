"""The terminal: colour and progress bars only on a terminal, never with NO_COLOR; quiet
and verbose; per-stage timings; no traceback for a user's mistake."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rgsite.build.builder import build
from rgsite.cli import main
from rgsite.console import Console
from rgsite.errors import Location, Problem
from rgsite.options import Options
from rgsite.progress import Progress
from sitekit import write_site


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def plain_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


PROBLEM = Problem(Location("content/x.md", 3), "unknown speaker 'harsh'")


def test_colour_on_a_terminal_only() -> None:
    err = Terminal()
    Console(err=err, out=Terminal()).problems([PROBLEM])
    assert err.getvalue() == "\033[31mcontent/x.md:3: unknown speaker 'harsh'\033[0m\n"
    plain = io.StringIO()
    Console(err=plain, out=io.StringIO()).problems([PROBLEM])
    assert plain.getvalue() == "content/x.md:3: unknown speaker 'harsh'\n"


@pytest.mark.parametrize(("name", "value"), [("NO_COLOR", "1"), ("NO_COLOR", ""), ("TERM", "dumb")])
def test_never_colour_with_no_color_or_a_dumb_terminal(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    err, out = Terminal(), Terminal()
    console = Console(err=err, out=out, verbose=True)
    console.problems([PROBLEM])
    console.detail("detail")
    assert "\033[" not in err.getvalue() + out.getvalue()


def test_quiet_prints_only_problems_and_verbose_prints_detail() -> None:
    out, err = io.StringIO(), io.StringIO()
    quiet = Console(quiet=True, out=out, err=err)
    quiet.info("built")
    quiet.detail("detail")
    quiet.timings({"read": 0.1})
    quiet.problems([PROBLEM])
    assert out.getvalue() == "" and "unknown speaker" in err.getvalue()
    out = io.StringIO()
    loud = Console(verbose=True, out=out, err=io.StringIO())
    loud.info("built")
    loud.timings({"read": 0.125, "render": 1.5})
    assert out.getvalue() == "built\n  read         0.12 s\n  render       1.50 s\n"


def test_a_progress_bar_on_a_terminal_and_nothing_elsewhere() -> None:
    err = Terminal()
    with Console(err=err, out=io.StringIO()).progress("checking links", 3) as bar:
        for _ in range(3):
            bar.advance()
    drawn = err.getvalue()
    assert "\rchecking links [" in drawn and " 3/3 " in drawn
    assert drawn.endswith("\r\033[K")  # the line is cleared when the work is done

    for console in (
        Console(err=io.StringIO(), out=io.StringIO()),
        Console(err=Terminal(), out=io.StringIO(), quiet=True),
    ):
        with console.progress("checking links", 3) as bar:
            bar.advance(3)
        assert isinstance(console.err, io.StringIO) and console.err.getvalue() == ""


def test_the_bar_fits_the_width() -> None:
    bar = Progress(io.StringIO(), "rendering pages", 200, enabled=False)
    bar.advance(50)
    line = bar.line(60)
    assert len(line) <= 60 and line.startswith("rendering pages [")
    assert " 50/200 " in line
    filled = line.split("[", 1)[1].split("]", 1)[0]
    assert filled.count("#") == len(filled) // 4
    assert len(bar.line(20)) < 20  # too narrow for a bar: just the count


def test_build_verbose_prints_stage_timings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(tmp_path / "site")
    assert main(["build", str(site), "-v", "--now", "2023-01-01T00:00Z"]) == 0
    out = capsys.readouterr().out
    assert "built " in out
    for stage in ("read", "render", "write"):
        assert f"  {stage} " in out
    assert main(["build", str(site), "-q", "--now", "2023-01-01T00:00Z"]) == 0
    assert capsys.readouterr().out == ""


def test_a_build_draws_its_progress_on_a_terminal(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site")
    err = Terminal()
    console = Console(err=err, out=io.StringIO())
    now = datetime(2023, 1, 1, tzinfo=UTC)
    result = build(Options(site=site, now=now, cache=False), console.progress)
    drawn = err.getvalue()
    assert f" {result.pages}/{result.pages} " in drawn and "rendering pages [" in drawn
    assert drawn.endswith("\r\033[K")


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "no-such-folder"],
        ["build", "no-such-folder"],
        ["new", "session", "X", "--site", "no-such-folder"],
        ["new", "speaker", "Bad Id"],
        ["init", "."],  # the test's own non-empty working folder
        ["check", ".", "--timeout", "0"],
    ],
)
def test_no_traceback_for_a_users_mistake(
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "something").write_text("x")
    monkeypatch.chdir(tmp_path)
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith(f"rgsite {argv[0]}: ") and "Traceback" not in err
