"""Incremental rebuilds: the smallest set of pages, and always what a clean build makes.

One long-lived :class:`~rgsite.build.Builder` (as ``serve`` keeps) goes through random
sequences of edits; after every edit its output must be byte-identical to a fresh
Builder's clean build of the same files. A page whose route forgets an input it reads
shows up here as a stale page.
"""

from __future__ import annotations

import dataclasses
import filecmp
import random
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from rgsite.build.builder import Builder, Result, build
from rgsite.errors import Problems, SiteError
from rgsite.options import Options
from rgsite.read.discover import discover, theme_dir
from sitekit import SITE_YAML, write_site

NOW = datetime(2023, 2, 1, tzinfo=UTC)


def make_options(site: Path, out: Path, *, cache: bool = False, now: datetime = NOW) -> Options:
    return Options(site=site, out=out, drafts=True, now=now, jobs=1, cache=cache)


UNSTABLE = ("pagefind/",)
"""Outputs two clean builds of the same files do not make byte-identical (the search
index's file names and entry differ from run to run), so they cannot be compared here."""


def tree(folder: Path) -> dict[str, Path]:
    return {
        rel: p
        for p in folder.rglob("*")
        if p.is_file()
        and p.name != ".rgsite-output"
        and not (rel := p.relative_to(folder).as_posix()).startswith(UNSTABLE)
    }


def assert_same_output(incremental: Path, clean: Path, history: list[str]) -> None:
    a, b = tree(incremental), tree(clean)
    assert sorted(a) == sorted(b), f"files differ after {history}"
    assert "sessions.json" in b and "sessions.js" in b  # the schedule is compared too
    stale = [rel for rel in a if not filecmp.cmp(a[rel], b[rel], shallow=False)]
    assert not stale, f"stale pages {stale} after {history}"


# -- what re-renders ----------------------------------------------------------------------

FIVE = {
    **{
        f"content/sessions/2023-0{m}-0{d}-s{m}{d}.md": (
            f"---\ntitle: Session {m}{d}\nspeakers: [{'ada' if d == 1 else 'alan'}]\n"
            f"topics: [topic-{m}]\n---\nFirst paragraph of {m}{d}.\n\nMore text.\n"
        )
        for m, d in ((1, 1), (1, 7), (2, 1), (2, 7), (3, 1))
    },
}


@pytest.fixture
def builder(tmp_path: Path) -> tuple[Path, Builder]:
    site = write_site(tmp_path / "site", changes=FIVE)
    builder = Builder(make_options(site, tmp_path / "out"))
    first = builder.build()
    assert first.rendered == first.pages
    return site, builder


def edit(site: Path, rel: str, change: Callable[[str], str]) -> None:
    path = site / rel
    path.write_text(change(path.read_text()))


def test_nothing_changed_renders_nothing(builder: tuple[Path, Builder]) -> None:
    _, b = builder
    result = b.build()
    assert (result.rendered, result.changed) == (0, set())


def test_a_recap_edit_renders_its_page_and_neighbours_only(builder: tuple[Path, Builder]) -> None:
    site, b = builder
    edit(site, "content/sessions/2023-02-01-s21.md", lambda t: t + "\nA late addition.\n")
    result = b.build()
    assert "sessions/2023-02-01-s21/index.html" in result.changed
    others = [
        f"sessions/{slug}/index.html"
        for slug in ("2023-01-01-s11", "2023-03-01-s31", "2023-01-21-tickets")
    ]
    assert not set(others) & result.changed
    assert 1 <= result.rendered <= 4, result.rendered
    assert result.rendered < result.pages / 3


def test_a_summary_edit_renders_the_lists_that_show_it(builder: tuple[Path, Builder]) -> None:
    site, b = builder
    edit(site, "content/sessions/2023-02-01-s21.md", lambda t: t.replace("First", "Opening"))
    result = b.build()
    assert "sessions/2023-02-01-s21/index.html" in result.changed
    assert "sessions/2023-03-01-s31/index.html" not in result.changed
    session_pages = sum(1 for rel in result.changed if rel.startswith("sessions/2023-"))
    assert session_pages <= 3
    assert result.rendered < result.pages


def test_a_title_edit_renders_the_year_page_that_lists_it_not_the_others(
    tmp_path: Path,
) -> None:
    old = {
        f"content/sessions/{year}-05-0{d}-y{year}{d}.md": f"---\ntitle: Talk {year} {d}\n---\n"
        for year in (2021, 2022)
        for d in (1, 2)
    }
    site = write_site(tmp_path / "site", changes=FIVE | old)
    b = Builder(make_options(site, tmp_path / "out"))
    b.build()
    out = tmp_path / "out"
    assert "Talk 2021 1" in (out / "sessions/year/2021/index.html").read_text()
    assert "Talk 2021 1" not in (out / "sessions/index.html").read_text()
    edit(site, "content/sessions/2021-05-01-y20211.md", lambda t: t.replace("Talk", "Retitled"))
    result = b.build()
    assert "sessions/year/2021/index.html" in result.changed
    assert "Retitled 2021 1" in (out / "sessions/year/2021/index.html").read_text()
    assert not {"sessions/index.html", "sessions/year/2022/index.html"} & result.changed
    assert not {"sessions/year/2023/index.html"} & result.changed


def test_a_reading_list_shows_the_new_title_of_a_session_that_discussed_its_papers(
    builder: tuple[Path, Builder], tmp_path: Path
) -> None:
    site, b = builder
    edit(site, "content/sessions/2023-01-21-tickets.md", lambda t: t.replace("Lottery", "Lucky"))
    assert "reading/foundations/index.html" in b.build().changed
    page = (tmp_path / "out/reading/foundations/index.html").read_text()
    assert "Lucky tickets" in page and "Lottery tickets" not in page


def test_the_preview_patches_a_text_edit_and_reads_the_site_for_anything_else(
    builder: tuple[Path, Builder], tmp_path: Path
) -> None:
    site, b = builder
    b.options = dataclasses.replace(b.options, search="reuse", in_place=True)
    rel = "content/sessions/2023-02-01-s21.md"
    edit(site, rel, lambda t: t.replace("First", "Opening") + "\nA late addition.\n")
    result = b.build(frozenset({rel}))
    assert result.patched
    assert "sessions/2023-02-01-s21/index.html" in result.changed
    assert "index.html" in result.changed  # the home page shows the new opening
    clean = Builder(make_options(site, tmp_path / "clean"))
    clean.build()
    clean.close()
    assert_same_output(tmp_path / "out", tmp_path / "clean", ["text edit"])

    edit(site, rel, lambda t: t.replace("title: Session 21", "title: Renamed"))
    assert b.build(frozenset({rel})).patched  # what the session says of itself
    edit(site, rel, lambda t: t.replace("speakers: [ada]", "speakers: [alan]"))
    assert not b.build(frozenset({rel})).patched  # which lists it is in: read again
    edit(site, rel, lambda t: t + "\nSee [[session:2023-01-01-s11]].\n")
    assert not b.build(frozenset({rel})).patched  # a new link
    edit(site, rel, lambda t: t + "\nMore.\n")
    assert not b.build(frozenset({rel, "content/speakers.yaml"})).patched
    edit(site, rel, lambda t: t + "\nAnd more.\n")
    assert b.build(frozenset({rel})).patched


def test_the_preview_sizes_pictures_in_a_patched_text_and_reads_the_site_for_a_new_one(
    tmp_path: Path,
) -> None:
    folder = "content/sessions/2023-02-11-board"
    rel = f"{folder}/index.md"
    text = "---\ntitle: Board\n---\n![Board](board.png) and [the sketch](sketch.png).\n"
    site = write_site(tmp_path / "site", changes={rel: text})
    Image.new("RGB", (1000, 400), "teal").save(site / folder / "board.png")
    Image.new("RGB", (900, 300), "olive").save(site / folder / "sketch.png")
    b = Builder(make_options(site, tmp_path / "out"))
    b.build()
    b.options = dataclasses.replace(b.options, search="reuse", in_place=True)

    def same_as_clean(history: list[str]) -> None:
        shutil.rmtree(tmp_path / "clean", ignore_errors=True)
        clean = Builder(make_options(site, tmp_path / "clean"))
        clean.build()
        clean.close()
        assert_same_output(tmp_path / "out", tmp_path / "clean", history)

    edit(site, rel, lambda t: t + "\nA late addition.\n")
    assert b.build(frozenset({rel})).patched
    page = (tmp_path / "out/sessions/2023-02-11-board/index.html").read_text()
    assert 'srcset="/club/sessions/2023-02-11-board/board-640x256.' in page
    same_as_clean(["text edit beside a picture"])
    edit(site, rel, lambda t: t.replace("[the sketch]", "![the sketch]"))
    assert not b.build(frozenset({rel})).patched  # a picture shown anew: its copies are made
    assert "sketch-640x213." in (tmp_path / "out/sessions/2023-02-11-board/index.html").read_text()
    same_as_clean(["text edit beside a picture", "a link turned into a picture"])


def test_a_walk_of_the_site_holds_until_a_file_comes_goes_or_turns_into_a_link(
    tmp_path: Path,
) -> None:
    site = write_site(tmp_path / "site", changes=FIVE)
    walk = discover(site, Problems())
    rel = "content/sessions/2023-02-01-s21.md"
    edit(site, rel, lambda t: t + "\nMore.\n")
    assert walk.unchanged_by({rel, "content/speakers.yaml"})
    (site / "content/sessions/2023-04-01-new.md").write_text("---\ntitle: New\n---\n")
    assert not walk.unchanged_by({"content/sessions/2023-04-01-new.md"})
    assert not walk.unchanged_by({"content/sessions"})  # a folder's event
    (site / rel).unlink()
    assert not walk.unchanged_by({rel})
    (site / rel).symlink_to(site / "content/sessions/2023-01-01-s11.md")
    assert not walk.unchanged_by({rel})


def test_every_build_reports_an_unchanged_files_warnings_and_follows_the_settings(
    builder: tuple[Path, Builder],
) -> None:
    site, b = builder
    rel = "content/sessions/2023-01-07-s17.md"
    edit(site, rel, lambda t: t.replace("title:", "date: 2023-01-08\ntitle:"))
    assert any(w.location.path == rel for w in b.build().warnings)
    edit(site, "content/sessions/2023-03-01-s31.md", lambda t: t + "\nMore.\n")
    again = b.build()
    assert any(w.location.path == rel and "file name" in w.message for w in again.warnings)
    edit(site, "content/site.yaml", lambda t: t.replace("America/Edmonton", "Asia/Tokyo"))
    b.build()
    page = (b.options.output / "sessions/2023-01-07-s17/index.html").read_text()
    assert 'datetime="2023-01-08T14:00:00+09:00"' in page  # the meeting time, in Tokyo


def test_a_speaker_edit_renders_their_pages(builder: tuple[Path, Builder]) -> None:
    site, b = builder
    edit(
        site,
        "content/speakers.yaml",
        lambda t: t.replace("Analytical Engines", "Difference Engines"),
    )
    result = b.build()
    assert "speakers/ada/index.html" in result.changed
    assert "speakers/alan/index.html" not in result.changed
    assert 0 < result.rendered < result.pages


def test_a_template_edit_renders_the_pages_that_use_it(builder: tuple[Path, Builder]) -> None:
    site, b = builder
    source = (theme_dir() / "templates/session.html").read_text()
    (site / "templates").mkdir()
    (site / "templates/session.html").write_text(
        source.replace("{% block main %}", "{% block main %}<p>Edited template</p>", 1)
    )
    result = b.build()
    sessions = sum(1 for rel in result.changed if rel.startswith("sessions/2023-"))
    assert sessions == 7
    assert result.rendered == 7


def test_site_yaml_renders_everything(builder: tuple[Path, Builder]) -> None:
    site, b = builder
    edit(site, "content/site.yaml", lambda t: t.replace("Theory Club", "Theory Society"))
    result = b.build()
    assert result.rendered == result.pages


def test_new_deleted_and_renamed_files(builder: tuple[Path, Builder], tmp_path: Path) -> None:
    site, b = builder
    out = tmp_path / "out"
    (site / "content/sessions/2023-04-01-new.md").write_text("---\ntitle: New\n---\nNew.\n")
    b.build()
    assert (out / "sessions/2023-04-01-new/index.html").is_file()
    (site / "content/sessions/2023-04-01-new.md").rename(
        site / "content/sessions/2023-04-08-moved.md"
    )
    b.build()
    assert not (out / "sessions/2023-04-01-new").exists()
    assert (out / "sessions/2023-04-08-moved/index.html").is_file()
    (site / "content/sessions/2023-04-08-moved.md").unlink()
    b.build()
    assert not (out / "sessions/2023-04-08-moved").exists()


def test_a_failed_build_keeps_the_output_and_the_next_one_catches_up(
    builder: tuple[Path, Builder], tmp_path: Path
) -> None:
    site, b = builder
    out = tmp_path / "out"
    before = (out / "sessions/2023-02-01-s21/index.html").read_bytes()
    edit(
        site,
        "content/sessions/2023-02-01-s21.md",
        lambda t: t.replace("speakers: [ada]", "speakers: [nobody]"),
    )
    with pytest.raises(SiteError):
        b.build()
    assert (out / "sessions/2023-02-01-s21/index.html").read_bytes() == before
    edit(site, "content/sessions/2023-02-01-s21.md", lambda t: t.replace("[nobody]", "[alan]"))
    result = b.build()
    assert "sessions/2023-02-01-s21/index.html" in result.changed
    clean = Builder(make_options(site, tmp_path / "clean")).build()
    assert clean.pages == result.pages
    assert_same_output(out, tmp_path / "clean", ["failed build, then fixed"])


def test_a_slot_filled_then_over_and_a_kind_renamed_give_what_a_clean_build_gives(
    tmp_path: Path,
) -> None:
    site = write_site(
        tmp_path / "site",
        changes={
            "content/site.yaml": SITE_YAML + "kinds:\n  talk: {name: Talk}\n",
            "content/sessions/2023-02-11-slot.md": "---\ntitle: TBC\nstatus: tba\nkind: talk\n"
            "time: tba\n---\n",
            "content/sessions/2023-02-18-off.md": "---\ntitle: Off\nstatus: break\n---\n",
        },
    )
    slot, off = "content/sessions/2023-02-11-slot.md", "content/sessions/2023-02-18-off.md"
    later = datetime(2023, 2, 12, tzinfo=UTC)

    def change(rel: str, old: str, new: str) -> Callable[[], None]:
        return lambda: edit(site, rel, lambda text: text.replace(old, new))

    steps: list[tuple[str, Callable[[], None], datetime]] = [
        ("an open slot", lambda: None, NOW),
        ("filled", change(slot, "status: tba\n", "speakers: [ada]\n"), NOW),
        ("its time known", change(slot, "time: tba\n", ""), NOW),
        ("over", lambda: None, later),
        ("a kind renamed", change("content/site.yaml", "Talk}", "Seminar}"), later),
        ("a break made an open slot", change(off, "break", "tba"), later),
        ("and over", lambda: None, datetime(2023, 2, 20, tzinfo=UTC)),
    ]
    live = Builder(make_options(site, tmp_path / "live"))
    history: list[str] = []
    for name, step, now in steps:
        step()
        history.append(name)
        live.options = dataclasses.replace(live.options, now=now)
        live.build()
        shutil.rmtree(tmp_path / "clean", ignore_errors=True)
        clean = Builder(make_options(site, tmp_path / "clean", now=now))
        clean.build()
        clean.close()
        assert_same_output(tmp_path / "live", tmp_path / "clean", history)
    talks = (tmp_path / "live/kinds/talk/index.html").read_text()
    assert "Seminar" in talks and "TBC" in talks
    live.close()


# -- the property: any edits, then the same output as a clean build -----------------------

SPEAKERS = ("ada", "alan", "grace", "kurt")
TOPICS = ("sparsity", "history", "kernels", "privacy")
STATES = ("", "", "", "tba", "break", "cancelled")
"""A session's status, drawn: most are plain sessions."""


class Archive:
    """A small site and the edits a property test may make to it, seeded by ``rng``."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.rng = root, rng
        self.count = 0
        self.now = NOW
        """The builds' clock: an edit may move it on, and sessions become past."""
        write_site(root)
        self.edit_kinds()
        # The site owns a copy of the theme, so that an edit of the theme made while the
        # test runs cannot make two builds of one sequence differ.
        for top in ("templates", "static"):
            shutil.copytree(theme_dir() / top, root / top)
        self.theme = {
            rel: (root / rel).read_text()
            for rel in (
                "templates/session.html",
                "templates/base.html",
                "templates/macros.html",
                "static/css/site.css",
            )
        }
        # a session nothing else links to, so deleting or renaming it never breaks a link
        for day in (11, 18, 25):
            self.add_session(f"2023-03-{day:02d}")
        # a session in a folder with a picture, and a photo a speaker may use as avatar
        self.board = root / "content/sessions/2023-03-04-board"
        self.board.mkdir()
        (self.board / "index.md").write_text(
            "---\ntitle: At the board\nspeakers: [ada]\n---\nWe drew it.\n\n![Board](board.png)\n"
        )
        self.picture(self.board / "board.png")
        self.picture(root / "static/speakers/ada.jpg")
        speakers = root / "content/speakers.yaml"
        ada = "  name: Ada Lovelace\n"
        speakers.write_text(speakers.read_text().replace(ada, ada + "  avatar: speakers/ada.jpg\n"))

    def sessions(self) -> list[Path]:
        files = sorted((self.root / "content/sessions").glob("*.md"))
        return [p for p in files if "tickets" not in p.name]

    def pick(self) -> Path | None:
        files = self.sessions()
        return self.rng.choice(files) if files else None

    def front(self) -> str:
        rng = self.rng
        speakers = rng.sample(SPEAKERS[:2], rng.randint(0, 2))
        topics = rng.sample(TOPICS, rng.randint(0, 3))
        lines = [f"title: Session number {self.count}"]
        if speakers:
            lines.append(f"speakers: [{', '.join(speakers)}]")
        if rng.random() < 0.3:  # a chair, who may speak as well
            lines.append(f"hosts: [{rng.choice(SPEAKERS[:2])}]")
        if topics:
            lines.append(f"topics: [{', '.join(topics)}]")
        papers = ["lottery-ticket"] if rng.random() < 0.3 else []
        if rng.random() < 0.2:  # a paper known by its address alone
            papers.append(f"'https://example.org/paper/{rng.randint(0, 2)}'")
        if papers:
            lines.append(f"papers: [{', '.join(papers)}]")
        if rng.random() < 0.2:
            lines.append("series: Foundations")
        if rng.random() < 0.15:  # the session that takes up the proposal, shown on its page
            lines.append("proposal: more-tickets")
        if rng.random() < 0.15:
            lines.append("draft: true")
        state = rng.choice(STATES)
        if state:
            lines.append(f"status: {state}")
        if rng.random() < 0.4:
            lines.append(f"kind: {rng.choice(['talk', 'coffee'])}")
        if rng.random() < 0.2:
            lines.append("register: https://example.org/rsvp")
        if rng.random() < 0.2:
            lines.append("time: tba")
        if rng.random() < 0.2:
            lines.append(f"abstract: Before the talk, {rng.randint(0, 99)}, with [[speaker:alan]].")
        if rng.random() < 0.2:  # old addresses; in time, two sessions may claim one
            lines.append(f"aliases: [/old/{self.count % 6}/]")
        return "---\n" + "\n".join(lines) + "\n---\n"

    def day(self) -> str:
        """A day in 2023 mostly, or in 2022: past sessions of two years, two year pages."""
        year = 2022 if self.rng.random() < 0.3 else 2023
        return f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def add_session(self, day: str | None = None) -> str:
        self.count += 1
        day = day or self.day()
        name = f"{day}-n{self.count}.md"
        body = f"Recap {self.count} with [[speaker:ada]].\n\nSecond paragraph.\n"
        if self.rng.random() < 0.5:  # math that a site macro may define
            body += "\nOver $\\R^n$.\n"
        (self.root / "content/sessions" / name).write_text(self.front() + body)
        return f"add {name}"

    def edit_body(self) -> str:
        path = self.pick()
        if path is None:
            return self.add_session()
        text = path.read_text()
        if self.rng.random() < 0.5:
            text += f"\nMore words {self.rng.randint(0, 999)}.\n"
        else:  # the first paragraph: the summary lists show
            head, _, body = text.partition("---\n")[2].partition("---\n")
            text = f"---\n{head}---\nNew opening {self.rng.randint(0, 999)}.\n\n{body}"
        path.write_text(text)
        return f"edit body of {path.name}"

    def edit_title(self) -> str:
        path = self.pick()
        if path is None:
            return self.add_session()
        lines = path.read_text().splitlines(keepends=True)
        lines = [
            f"title: Retitled {self.rng.randint(0, 999)}\n" if ln.startswith("title:") else ln
            for ln in lines
        ]
        path.write_text("".join(lines))
        return f"retitle {path.name}"

    def edit_shown(self) -> str:
        """What a session says of itself (its title, TL;DR, place or links), which the
        preview patches in place: also of the session a page links to by its title, and of
        the one in a folder."""
        files = [*sorted((self.root / "content/sessions").glob("*.md")), self.board / "index.md"]
        path = self.rng.choice([p for p in files if p.exists()])
        number = self.rng.randint(0, 999)
        key, value = self.rng.choice(
            [
                ("title", f"Called {number}"),
                ("tldr", f"In short, {number}."),
                ("location", f"Room {number}"),
                ("join_url", f"https://example.org/join/{number}"),
                ("register", f"https://example.org/rsvp/{number}"),
            ]
        )
        self._set(path, key, value if key == "title" or self.rng.random() < 0.7 else None)
        return f"{key} of {path.name}: {value}"

    def edit_front(self) -> str:
        """Speakers, topics, papers, series, draft and status, drawn again."""
        path = self.pick()
        if path is None:
            return self.add_session()
        body = path.read_text().split("---\n", 2)[2]
        title = next(ln for ln in path.read_text().splitlines() if ln.startswith("title:"))
        front = self.front().replace(f"title: Session number {self.count}", title)
        path.write_text(front + body)
        return f"front matter of {path.name}"

    def speaker_reference(self) -> str:
        path = self.pick()
        if path is None:
            return self.add_session()
        text = path.read_text()
        if "[[speaker:" in text:
            text = text.replace("[[speaker:ada]]", "someone").replace("[[speaker:alan]]", "someone")
        else:
            text += f"\nThanks to [[speaker:{self.rng.choice(SPEAKERS[:2])}]].\n"
        path.write_text(text)
        return f"speaker reference in {path.name}"

    def delete_session(self) -> str:
        path = self.pick()
        if path is None:
            return self.add_session()
        path.unlink()
        return f"delete {path.name}"

    def rename_session(self) -> str:
        path = self.pick()
        if path is None:
            return self.add_session()
        day = self.day()
        self.count += 1
        target = path.with_name(f"{day}-r{self.count}.md")
        path.rename(target)
        return f"rename {path.name} to {target.name}"

    def picture(self, path: Path) -> str:
        """A new picture at ``path``: of a random size, transparent or not, or damaged."""
        rng = self.rng
        path.parent.mkdir(parents=True, exist_ok=True)
        if rng.random() < 0.15:
            path.write_bytes(b"\x89PNG\r\n\x1a\n damaged")
            return f"damage {path.name}"
        size = (rng.randint(30, 1400), rng.randint(30, 200))
        alpha = path.suffix == ".png" and rng.random() < 0.5
        colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        image = Image.new("RGBA" if alpha else "RGB", size, (*colour, 128) if alpha else colour)
        image.save(path)
        return f"{path.name} at {size[0]}x{size[1]}"

    def edit_picture(self) -> str:
        if self.rng.random() < 0.5:
            return self.picture(self.board / "board.png")
        return self.picture(self.root / "static/speakers/ada.jpg")

    def show_picture(self) -> str:
        """A text-only edit of the folder's recap: shows the picture, or only links it."""
        path = self.board / "index.md"
        text = path.read_text()
        if self.rng.random() < 0.5:
            text = (
                text.replace("![Board]", "[Board]")
                if "![Board]" in text
                else text.replace("[Board]", "![Board]")
            )
        else:
            text += f"\nMore about the board, {self.rng.randint(0, 999)}.\n"
        path.write_text(text)
        return f"board recap: {'shown' if '![Board]' in text else 'linked'}"

    def edit_speakers(self) -> str:
        rng = self.rng
        people = []
        for ident in SPEAKERS[: rng.randint(2, 4)]:
            entry = f"{ident}:\n  name: {ident.title()} {rng.choice(['A.', 'B.', 'C.'])}\n"
            if ident == "ada" and rng.random() < 0.6:
                entry += "  avatar: speakers/ada.jpg\n"
            if rng.random() < 0.5:
                entry += f"  affiliation: Lab {rng.randint(1, 3)}\n"
            if rng.random() < 0.3:
                entry += f"  bio: Works on *{rng.choice(TOPICS)}*.\n"
            if rng.random() < 0.3:  # the People page comes and goes with its members
                entry += f"  role: {rng.choice(['organizer', 'member', 'alumni', 'guest'])}\n"
            if rng.random() < 0.3:
                entry += f"  position: {rng.choice(['PhD student', 'Postdoc'])}\n"
            people.append(entry)
        (self.root / "content/speakers.yaml").write_text("".join(people))
        return "speakers.yaml"

    def edit_template(self) -> str:
        rng = self.rng
        name = rng.choice(["session.html", "base.html", "macros.html"])
        target = self.root / "templates" / name
        source = self.theme[f"templates/{name}"]
        if rng.random() < 0.3:
            target.write_text(source)
            return f"restore templates/{name}"
        mark = f"<!-- v{rng.randint(0, 999)} -->"
        anchor = {"session.html": "{% block main %}", "base.html": "</footer>", "macros.html": ""}[
            name
        ]
        text = source.replace(anchor, anchor + mark, 1) if anchor else source + mark
        target.parent.mkdir(exist_ok=True)
        target.write_text(text)
        return f"templates/{name} {mark}"

    def edit_css(self) -> str:
        target = self.root / "static/css/site.css"
        base = self.theme["static/css/site.css"]
        if self.rng.random() < 0.3:
            target.write_text(base)
            return "restore static/css/site.css"
        target.write_text(base + f"\n.x{self.rng.randint(0, 999)} {{ color: red }}\n")
        return "static/css/site.css"

    def edit_proposal(self) -> str:
        path = self.root / "content/proposals/more-tickets.md"
        path.parent.mkdir(exist_ok=True)
        linked = self.pick()
        session = f"session: {linked.stem}\n" if linked and self.rng.random() < 0.5 else ""
        status = "scheduled" if session else "open"
        path.write_text(
            f"---\ntitle: Tickets {self.rng.randint(0, 99)}\nproposed_by: [ada]\ndate: 2023-01-10\n"
            f"status: {status}\n{session}topics: [sparsity]\n---\nLet us read more.\n"
        )
        return f"proposal ({session.strip() or 'no session'})"

    def edit_list(self) -> str:
        path = self.root / "content/reading-lists/foundations.yaml"
        text = path.read_text()
        tldr = f"tldr: Variant {self.rng.randint(0, 999)}."
        if self.rng.random() < 0.5:
            title = f'title: "Tickets, take {self.rng.randint(0, 999)}"'
            text = "".join(
                f"        {title}\n" if ln.strip().startswith('title: "') else ln
                for ln in text.splitlines(keepends=True)
            )
        lines = [
            f"        {tldr}\n" if ln.strip().startswith("tldr:") else ln
            for ln in text.splitlines(keepends=True)
            if not ln.strip().startswith("status:")
        ]
        status = self.rng.choice(["", "queued", "reading", "read"])
        if status:  # where the group stands with the item, else what its sessions say
            lines.insert(lines.index(f"        {tldr}\n"), f"        status: {status}\n")
        lines = [ln for ln in lines if not ln.strip().startswith("topics:")]
        topics = self.rng.sample(["sparsity", "pruning", "history"], self.rng.randint(0, 2))
        if topics:  # the papers page's filter by topic: its pages come and go
            tagged = f"        topics: [{', '.join(topics)}]\n"
            lines.insert(lines.index(f"        {tldr}\n"), tagged)
        untitled = '      - arxiv: "1706.03762"\n'
        if untitled in lines:
            lines.remove(untitled)
        elif self.rng.random() < 0.5:  # an item known by its identifier alone
            lines.append(untitled)
        path.write_text("".join(lines))
        return "reading list tldr"

    def edit_terms(self) -> str:
        """Terms added, moved or taken away: the archive's groups and the term pages."""
        path = self.root / "content/site.yaml"
        base = path.read_text().split("terms:\n")[0]
        terms = []
        for number, (month, last) in enumerate(((1, 3), (4, 6), (9, 12))):
            if self.rng.random() < 0.6:
                start = f"2023-{month:02d}-{self.rng.randint(1, 20):02d}"
                end = f"2023-{last:02d}-28"
                terms.append(f"  - {{name: Term {number}, start: {start}, end: {end}}}")
        path.write_text(base + ("terms:\n" + "\n".join(terms) + "\n" if terms else ""))
        return f"{len(terms)} terms"

    def toggle_proposals(self) -> str:
        """The only proposal deleted or written again: the Proposals section empties and fills."""
        path = self.root / "content/proposals/more-tickets.md"
        if path.exists():
            path.unlink()
            return "no proposals"
        return self.edit_proposal()

    def edit_text(self) -> str:
        """Only the Markdown of a proposal or page: what the preview patches in place."""
        path = self.root / self.rng.choice(
            ("content/proposals/more-tickets.md", "content/pages/about.md")
        )
        if not path.exists():  # the proposal was deleted
            path = self.root / "content/pages/about.md"
        front, _, body = path.read_text().partition("---\n")[2].partition("---\n")
        if self.rng.random() < 0.5:
            body += f"\nAnother thought, number {self.rng.randint(0, 999)}.\n"
        else:
            body = f"A new opening, {self.rng.randint(0, 999)}.\n\n{body}"
        path.write_text(f"---\n{front}---\n{body}")
        return f"text of {path.name}"

    def _set(self, path: Path, key: str, value: str | None) -> None:
        """``key: value`` in the front matter of ``path``, replaced, added or (None) removed."""
        front, _, body = path.read_text().partition("---\n")[2].partition("---\n")
        lines = [ln for ln in front.splitlines() if not ln.startswith(f"{key}:")]
        if value is not None:
            lines.append(f"{key}: {value}")
        path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body)

    def edit_status(self) -> str:
        """An open slot filled, a week made a break, a session cancelled, or back."""
        path = self.pick()
        if path is None:
            return self.add_session()
        state = self.rng.choice(STATES) or None
        self._set(path, "status", state)
        return f"status of {path.name}: {state or 'scheduled'}"

    def toggle_time(self) -> str:
        path = self.pick()
        if path is None:
            return self.add_session()
        known = "time: tba" in path.read_text()
        self._set(path, "time", None if known else "tba")
        return f"time of {path.name}: {'known' if known else 'tba'}"

    def toggle_date_approximate(self) -> str:
        """A session's day marked as inferred, or confirmed: every list shows the note."""
        path = self.pick()
        if path is None:
            return self.add_session()
        approximate = "date_approximate: true" in path.read_text()
        self._set(path, "date_approximate", None if approximate else "true")
        return f"date of {path.name}: {'certain' if approximate else 'approximate'}"

    def edit_abstract(self) -> str:
        path = self.pick()
        if path is None:
            return self.add_session()
        number = self.rng.randint(0, 999)
        text = None if self.rng.random() < 0.3 else f"|\n  Abstract {number}, $x^{number % 9}$."
        self._set(path, "abstract", text)
        return f"abstract of {path.name}: {number if text else 'none'}"

    def edit_resources(self) -> str:
        """Slides or a recording added after the talk, or taken away (sessions.json shows
        them; lists do not)."""
        path = self.pick()
        if path is None:
            return self.add_session()
        number = self.rng.randint(0, 99)
        kind = self.rng.choice(["slides", "video"])
        value = None if self.rng.random() < 0.3 else f"[{{title: R{number}, kind: {kind}}}]"
        self._set(path, "resources", value)
        return f"resources of {path.name}: {value}"

    def edit_kind(self) -> str:
        """One session's kind of event, alone."""
        path = self.pick()
        if path is None:
            return self.add_session()
        kind = self.rng.choice(["talk", "coffee", None])
        self._set(path, "kind", kind)
        return f"kind of {path.name}: {kind}"

    def edit_kinds(self) -> str:
        """kinds: in site.yaml renamed, given icons, or taken away."""
        path = self.root / "content/site.yaml"
        text = path.read_text().split("kinds:")[0]
        if self.rng.random() < 0.15:
            path.write_text(text)
            return "no kinds"
        icon = self.rng.choice(["", ', icon: "☕"'])
        talk = self.rng.choice(["Talk", "Seminar", f"Talk {self.rng.randint(0, 99)}"])
        path.write_text(
            f"{text}kinds:\n  talk: {{name: {talk}}}\n  coffee: {{name: Coffee{icon}}}\n"
        )
        return f"kinds: talk is {talk}{icon}"

    def advance_clock(self) -> str:
        """Time passes: upcoming sessions and open slots become past."""
        self.now += timedelta(days=self.rng.randint(1, 60), hours=self.rng.randint(0, 23))
        return f"now {self.now:%Y-%m-%d %H:00}"

    def edit_page(self) -> str:
        path = self.root / "content/pages/about.md"
        number = self.rng.randint(0, 99)
        aliases = f"aliases: [/about-{number % 3}/]\n" if self.rng.random() < 0.5 else ""
        path.write_text(
            f"---\ntitle: About {number}\n{aliases}---\n"
            "We meet online, [[session:2023-01-21-tickets]].\n"
        )
        return f"pages/about.md title {number} {aliases.strip()}"

    def edit_macros(self) -> str:
        """``math.macros`` in site.yaml: gone, or \\R defined one way or another."""
        body = self.rng.choice([None, "\\\\mathbb{R}", "\\\\mathbf{R}"])
        math = f'math:\n  macros:\n    R: "{body}"\n' if body else ""
        (self.root / "content/site.yaml").write_text(SITE_YAML + math)
        return f"macro R: {body}"

    def edit_language(self) -> str:
        """``language`` and ``time_format`` in site.yaml: every string, date and time."""
        path = self.root / "content/site.yaml"
        lines = [
            line
            for line in path.read_text().splitlines(keepends=True)
            if not line.startswith(("language:", "time_format:"))
        ]
        language = self.rng.choice(["en", "de", "fr", "pt-BR"])
        clock = self.rng.choice(["", "12h", "24h"])
        lines.insert(1, f"language: {language}\n" + (f"time_format: {clock}\n" if clock else ""))
        path.write_text("".join(lines))
        return f"language {language} {clock}"

    def edit_catalog(self) -> str:
        """The site's own German catalog: written, changed, or taken away."""
        path = self.root / "locales/de.po"
        if path.exists() and self.rng.random() < 0.3:
            path.unlink()
            return "no site catalog"
        word = self.rng.choice(["Treffen", "Runde", "Sitzung"])
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
            f'msgid "Next session"\nmsgstr "Nächste {word}"\n\n'
            f'msgid "Sessions"\nmsgstr "{word}en"\n'
        )
        return f"site catalog: {word}"

    EDITS = (
        "edit_language",
        "edit_catalog",
        "edit_macros",
        "edit_page",
        "edit_body",
        "edit_body",
        "edit_text",
        "edit_title",
        "edit_shown",
        "edit_shown",
        "edit_front",
        "speaker_reference",
        "add_session",
        "delete_session",
        "rename_session",
        "edit_speakers",
        "edit_template",
        "edit_css",
        "edit_proposal",
        "edit_list",
        "edit_terms",
        "toggle_proposals",
        "edit_status",
        "toggle_time",
        "toggle_date_approximate",
        "edit_abstract",
        "edit_resources",
        "edit_kind",
        "edit_kinds",
        "advance_clock",
        "edit_picture",
        "edit_picture",
        "show_picture",
    )


def build_or_problems(builder: Builder, changes: frozenset[str] | None = None) -> Result | str:
    try:
        return builder.build(changes)
    except SiteError as exc:
        return "\n".join(str(p) for p in exc.problems if p.severity == "error")


def stamps(site: Path) -> dict[str, tuple[int, int, int]]:
    """Every file of ``site`` with its mtime, size and inode: what a watcher would see."""
    found = {}
    for path in site.rglob("*"):
        if path.is_file() and ".rgsite-cache" not in path.parts:
            info = path.stat()
            found[path.relative_to(site).as_posix()] = (info.st_mtime_ns, info.st_size, info.st_ino)
    return found


def run_sequence(
    seed: int, steps: int, *, cache: bool, preview: bool = False, edits: tuple[str, ...] = ()
) -> None:
    """``preview``: build as ``rgsite serve`` does, in place and told what changed;
    ``edits``: the edits to draw from (all of :attr:`Archive.EDITS` if none)."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        archive = Archive(root / "site", rng)
        live = Builder(make_options(archive.root, root / "live", cache=cache))
        assert not isinstance(build_or_problems(live), str)
        if preview:
            live.options = dataclasses.replace(live.options, search="reuse", in_place=True)
        history: list[str] = []
        for _ in range(steps):
            before = stamps(archive.root)
            history.append(getattr(archive, rng.choice(edits or Archive.EDITS))())
            after = stamps(archive.root)
            changes = {
                rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)
            }
            live.options = dataclasses.replace(live.options, now=archive.now)
            incremental = build_or_problems(live, frozenset(changes) if preview else None)
            shutil.rmtree(root / "clean", ignore_errors=True)
            fresh = Builder(make_options(archive.root, root / "clean", now=archive.now))
            clean = build_or_problems(fresh)
            fresh.close()
            if isinstance(clean, str):
                assert incremental == clean, f"after {history}"
                continue
            assert not isinstance(incremental, str), f"{incremental} after {history}"
            assert_same_output(root / "live", root / "clean", history)
        live.close()


@pytest.mark.slow
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_any_edits_give_the_same_output_as_a_clean_build(seed: int) -> None:
    run_sequence(seed, 8, cache=False)


@pytest.mark.slow
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_previews_patched_builds_give_the_same_output_as_a_clean_build(seed: int) -> None:
    run_sequence(seed, 8, cache=False, preview=True)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3))
def test_the_previews_patched_front_matter_edits_give_the_same_output_as_a_clean_build(
    seed: int,
) -> None:
    # Mostly what the preview patches in place, between edits that move sessions between
    # lists and the clock passing their ends.
    edits = ("edit_shown",) * 4 + ("edit_abstract", "edit_abstract", "edit_body", "edit_front")
    edits += ("edit_status", "advance_clock")
    run_sequence(2000 + seed, 12, cache=False, preview=True, edits=edits)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3))
def test_long_sequences_with_the_persistent_cache(seed: int) -> None:
    run_sequence(1000 + seed, 15, cache=True)


def test_a_recap_edit_makes_again_only_the_feeds_that_carry_it(
    builder: tuple[Path, Builder], tmp_path: Path
) -> None:
    site, b = builder
    out = tmp_path / "out"
    files = [
        f"{folder}/{name}"
        for folder in ("topics/topic-1", "topics/topic-2", "speakers/ada", "speakers/alan")
        for name in ("calendar.ics", "feed.xml")
    ]
    before = {rel: (out / rel).stat().st_mtime_ns for rel in files}
    edit(site, "content/sessions/2023-01-01-s11.md", lambda t: t + "\nA late addition.\n")
    result = b.build()
    made = {rel for rel in files if (out / rel).stat().st_mtime_ns != before[rel]}
    assert made == {"topics/topic-1/feed.xml", "speakers/ada/feed.xml"}
    assert made <= result.changed
    edit(site, "content/sessions/2023-01-01-s11.md", lambda t: t.replace("Session 11", "Renamed"))
    result = b.build()
    assert {"topics/topic-1/calendar.ics", "speakers/ada/calendar.ics"} <= result.changed
    assert not {"topics/topic-2/calendar.ics", "speakers/alan/calendar.ics"} & result.changed


def test_each_build_of_its_own_shows_bio_edits_and_new_math_macros(tmp_path: Path) -> None:
    """``rgsite build`` run again and again, with its cache: a speaker's bio comes from
    the cache while it is unchanged, and never once it was edited or the macros changed."""
    speakers = "ada:\n  name: Ada Lovelace\n  bio: Works on $\\R$ and *notes*.\n"
    speakers += "alan:\n  name: Alan Turing\n"
    site = write_site(
        tmp_path / "site",
        changes={
            "content/speakers.yaml": speakers,
            "content/site.yaml": SITE_YAML + 'math:\n  macros:\n    R: "\\\\mathbb{R}"\n',
        },
    )
    edits: list[tuple[str, Callable[[str], str]]] = [
        ("nothing", lambda text: text),
        ("content/speakers.yaml", lambda text: text.replace("notes", "engines")),
        ("content/site.yaml", lambda text: text.replace("mathbb", "mathbf")),
        ("content/speakers.yaml", lambda text: text.replace("engines", "notes")),
    ]
    history: list[str] = []
    for rel, edit in edits:
        if rel != "nothing":
            path = site / rel
            path.write_text(edit(path.read_text()))
        history.append(rel)
        build(make_options(site, tmp_path / "out", cache=True))
        shutil.rmtree(tmp_path / "clean", ignore_errors=True)
        build(make_options(site, tmp_path / "clean"))
        assert_same_output(tmp_path / "out", tmp_path / "clean", history)
    bio = (tmp_path / "out/speakers/ada/index.html").read_text()
    assert "<mi>\U0001d411</mi></mrow></math> and <em>notes</em>" in bio  # a bold R
