"""The preview's patched builds (:mod:`rgsite.build.patch`): a save that changes only a
document's text, or only what a session's front matter says of it, is patched into the
last build, and anything else is read from scratch;
either way the output is what a clean build of the same files makes.

The builds run as ``rgsite serve`` runs them: one long-lived Builder, in place after its
first build, told which files changed.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rgsite.build.builder import Builder, Result, build
from rgsite.build.cache import FOLDER
from rgsite.errors import SiteError
from rgsite.options import Options
from sitekit import write_site

NOW = datetime(2023, 2, 1, tzinfo=UTC)
TICKETS = "content/sessions/2023-01-21-tickets.md"
ENGINES = "content/sessions/2023-02-04-engines.md"
PROPOSAL = "content/proposals/more-tickets.md"
ABOUT = "content/pages/about.md"
SPEAKERS = "content/speakers.yaml"

UNCOMPARED = ("pagefind/", ".rgsite-output")
"""The search index (the preview keeps its first one, and two indexings of the same pages
name their files differently) and the output folder's marker."""


def options(site: Path, out: Path) -> Options:
    # With the cache, as the preview runs; it also keeps Jinja's compiled templates
    # between builds, which is most of what a build of a tiny site costs.
    return Options(site=site, out=out, now=NOW, jobs=1)


class PreviewBuilds:
    """A site, and a Builder that builds it as the preview does."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site = write_site(root / "site")
        self.out = root / "out"
        self.builder = Builder(options(self.site, self.out))
        self.builder.build()
        self.builder.options = dataclasses.replace(
            self.builder.options, search="reuse", in_place=True
        )
        self.clean_builds = 0

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.site / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def save(self, *changed: str) -> Result:
        """Build as the preview does after the watcher saw ``changed``."""
        return self.builder.build(frozenset(changed))

    def assert_as_clean(self) -> None:
        """The preview's output is, file for file, what a clean build makes now: a build
        of a copy of the site's files, without the cache the preview's builds kept."""
        self.clean_builds += 1
        clean = self.root / f"clean-{self.clean_builds}"
        shutil.copytree(self.site, clean / "site", ignore=shutil.ignore_patterns(FOLDER))
        now = self.builder.options.now
        build(dataclasses.replace(options(clean / "site", clean / "out"), now=now))
        ours, theirs = files(self.out), files(clean / "out")
        assert sorted(ours) == sorted(theirs)
        stale = [rel for rel in ours if ours[rel] != theirs[rel]]
        assert not stale, f"differ from a clean build: {stale}"


def files(folder: Path) -> dict[str, bytes]:
    return {
        rel: path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
        and not (rel := path.relative_to(folder).as_posix()).startswith(UNCOMPARED)
    }


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[PreviewBuilds]:
    made = PreviewBuilds(tmp_path)
    yield made
    made.builder.close()


def page(preview: PreviewBuilds, url: str) -> str:
    return (preview.out / url / "index.html").read_text(encoding="utf-8")


# -- patched -----------------------------------------------------------------------------------


def test_a_text_edit_of_a_session_is_patched_and_gives_a_clean_builds_output(
    preview: PreviewBuilds,
) -> None:
    preview.edit(ENGINES, "Second session,", "Second session, on steam,")
    result = preview.save(ENGINES)
    assert result.patched
    html = page(preview, "sessions/2023-02-04-engines")
    assert "on steam" in html
    assert "Lottery tickets</a>" in html  # its link still shows the target's title
    assert "sessions/2023-02-04-engines/index.html" in result.changed
    assert "index.html" in result.changed  # the home page shows its first paragraph
    assert "sessions/2023-01-21-tickets/index.html" not in result.changed
    assert "about/index.html" not in result.changed
    assert result.rendered < result.pages
    preview.assert_as_clean()


def test_a_later_paragraph_renders_the_session_page_and_not_the_lists(
    preview: PreviewBuilds,
) -> None:
    preview.edit(ENGINES, "tickets]].\n", "tickets]].\n\nA second paragraph.\n")
    result = preview.save(ENGINES)
    assert result.patched
    assert "sessions/2023-02-04-engines/index.html" in result.changed
    assert not {"index.html", "sessions/index.html", "speakers/alan/index.html"} & result.changed


@pytest.mark.parametrize(
    ("rel", "old", "new", "url"),
    [
        (PROPOSAL, "Let us read more.", "Let us read much more.", "proposals/more-tickets"),
        (ABOUT, "We meet online.", "We meet online and in person.", "about"),
    ],
)
def test_a_text_edit_of_a_proposal_or_page_is_patched(
    preview: PreviewBuilds, rel: str, old: str, new: str, url: str
) -> None:
    preview.edit(rel, old, new)
    result = preview.save(rel)
    assert result.patched
    assert new in page(preview, url)
    assert f"{url}/index.html" in result.changed
    preview.assert_as_clean()


def test_saves_patched_one_after_another_stay_as_clean(preview: PreviewBuilds) -> None:
    preview.edit(TICKETS, "We read", "Together we read")
    preview.edit(ABOUT, "We meet online.", "We meet on Saturdays.")
    together = preview.save(TICKETS, ABOUT)
    assert together.patched
    assert {"sessions/2023-01-21-tickets/index.html", "about/index.html"} <= together.changed
    for number in range(2):
        preview.edit(ENGINES, "Second session", f"Second session ({number})")
        assert preview.save(ENGINES).patched
    html = page(preview, "sessions/2023-01-21-tickets")
    assert "Alan Turing</a>" in html and "The lottery ticket hypothesis</a>" in html
    preview.assert_as_clean()


def test_saving_an_unchanged_file_writes_nothing(preview: PreviewBuilds) -> None:
    (preview.site / ENGINES).touch()
    result = preview.save(ENGINES)
    assert result.patched
    assert (result.rendered, result.changed) == (0, set())


# -- read again --------------------------------------------------------------------------------


def test_a_title_edit_is_patched_and_shows_wherever_the_session_is_listed(
    preview: PreviewBuilds,
) -> None:
    preview.edit(ENGINES, "title: Engines", "title: Steam engines")
    result = preview.save(ENGINES)
    assert result.patched
    # the title shows on pages that do not read the session's text
    assert "Steam engines" in page(preview, "speakers/alan")
    assert "Steam engines" in (preview.out / "sessions.json").read_text(encoding="utf-8")
    assert "Steam engines" in (preview.out / "calendar.ics").read_text(encoding="utf-8")
    assert "Steam engines</a>" in page(preview, "papers")  # where its paper was read
    assert "sessions/2023-01-21-tickets/index.html" in result.changed  # its next session
    assert "about/index.html" not in result.changed
    preview.assert_as_clean()
    preview.edit(ENGINES, "Second session,", "Second session, at last,")
    assert preview.save(ENGINES).patched
    preview.assert_as_clean()


def test_what_a_session_says_of_itself_is_patched_and_the_rest_read_again(
    preview: PreviewBuilds,
) -> None:
    place = "papers: [arxiv:2206.11124]\n"
    preview.edit(ENGINES, place, place + "tldr: Steam, then tickets.\nlocation: Room 4\n")
    result = preview.save(ENGINES)
    assert result.patched
    assert "Steam, then tickets." in page(preview, "")  # the home page's next session
    assert "Room 4" in page(preview, "sessions/2023-02-04-engines")
    preview.assert_as_clean()
    preview.edit(ENGINES, "topics: [sparsity, history]", "topics: [sparsity]")
    assert not preview.save(ENGINES).patched  # it leaves a list: read again
    assert not (preview.out / "topics/history").exists()  # it was its only session
    preview.assert_as_clean()
    preview.edit(ENGINES, "location: Room 4", "location: [Room 4]")
    with pytest.raises(SiteError):  # a value the loader refuses: read again, and reported
        preview.save(ENGINES)
    preview.edit(ENGINES, "location: [Room 4]", "location: Room 5")
    assert not preview.save(ENGINES).patched  # the build after a failed one starts over
    assert "Room 5" in page(preview, "sessions/2023-02-04-engines")
    preview.assert_as_clean()


def test_an_abstract_edit_is_patched_and_a_new_link_in_it_read_again(
    preview: PreviewBuilds,
) -> None:
    abstract = "title: Engines\nabstract: Steam *and* [[speaker:alan]].\n"
    preview.edit(ENGINES, "title: Engines\n", abstract)
    assert not preview.save(ENGINES).patched  # it links to someone: read again
    preview.edit(ENGINES, "Steam *and*", "Steam, then")
    result = preview.save(ENGINES)
    assert result.patched
    html = page(preview, "sessions/2023-02-04-engines")
    assert "Steam, then" in html and "Alan Turing</a>" in html
    preview.assert_as_clean()
    preview.edit(ENGINES, "[[speaker:alan]]", "[[speaker:ada]]")
    assert not preview.save(ENGINES).patched  # another link: read again
    preview.edit(ENGINES, "abstract: Steam, then [[speaker:ada]].\n", "")
    assert not preview.save(ENGINES).patched  # its link goes with it
    preview.assert_as_clean()


def test_a_session_retitled_while_a_text_links_to_it_is_read_again(
    preview: PreviewBuilds,
) -> None:
    # the engines recap links to the tickets session and shows its title
    preview.edit(TICKETS, "title: Lottery tickets", "title: Lucky tickets")
    result = preview.save(TICKETS)
    assert not result.patched
    assert "Lucky tickets</a>" in page(preview, "sessions/2023-02-04-engines")
    preview.assert_as_clean()


def test_the_old_address_of_a_retitled_session_names_the_new_title(
    preview: PreviewBuilds,
) -> None:
    preview.edit(ENGINES, "title: Engines\n", "title: Engines\naliases: [/old/engines/]\n")
    assert not preview.save(ENGINES).patched  # a new page at the old address
    preview.edit(ENGINES, "title: Engines", "title: Steam engines")
    result = preview.save(ENGINES)
    assert result.patched
    assert "old/engines/index.html" in result.changed
    assert "Steam engines</a>" in page(preview, "old/engines")
    preview.assert_as_clean()


def test_a_text_that_links_to_something_new_is_read_again(preview: PreviewBuilds) -> None:
    preview.edit(ENGINES, "Second session,", "Second session, with [[speaker:ada]],")
    result = preview.save(ENGINES)
    assert not result.patched
    assert "Ada Lovelace</a>" in page(preview, "sessions/2023-02-04-engines")
    assert result.site is not None
    assert ("speaker", "ada") in result.site.links_from[("session", "2023-02-04-engines")]
    preview.assert_as_clean()


def test_a_text_whose_link_points_elsewhere_is_read_again(preview: PreviewBuilds) -> None:
    preview.edit(TICKETS, "[[speaker:alan]]", "[[speaker:ada]]")
    assert not preview.save(TICKETS).patched
    assert "Ada Lovelace</a>" in page(preview, "sessions/2023-01-21-tickets")


def test_a_text_edit_that_adds_a_markdown_problem_is_read_again(preview: PreviewBuilds) -> None:
    preview.edit(ENGINES, "Second session,", "Second session, $\\frac{1}{$,")
    result = preview.save(ENGINES)
    assert not result.patched
    assert [w.location.path for w in result.warnings] == [ENGINES]
    preview.assert_as_clean()
    # and the save that mends it is read again too, so the warning goes
    preview.edit(ENGINES, " $\\frac{1}{$,", ",")
    mended = preview.save(ENGINES)
    assert not mended.patched
    assert mended.warnings == []


def test_a_save_with_speakers_yaml_is_read_again(preview: PreviewBuilds) -> None:
    preview.edit(TICKETS, "We read", "This time we read")
    preview.edit(SPEAKERS, "Alan Turing", "Alan M. Turing")
    result = preview.save(TICKETS, SPEAKERS)
    assert not result.patched
    # the session's text links to alan by name: patching its text alone would miss it
    assert "Alan M. Turing</a>" in page(preview, "sessions/2023-01-21-tickets")
    preview.assert_as_clean()


def test_a_reading_list_edit_or_a_new_session_is_read_again(preview: PreviewBuilds) -> None:
    listed = "content/reading-lists/foundations.yaml"
    preview.edit(listed, "train well", "train very well")
    assert not preview.save(listed).patched
    new = "content/sessions/2023-02-18-new.md"
    (preview.site / new).write_text("---\ntitle: New\n---\nNew.\n", encoding="utf-8")
    assert not preview.save(new).patched
    assert "New." in page(preview, "sessions/2023-02-18-new")
    preview.assert_as_clean()


def test_a_text_edit_after_a_session_ended_is_read_again(preview: PreviewBuilds) -> None:
    # the engines session ends at 16:00 in Edmonton on February 4: the pages that call it
    # upcoming change, which a text edit's patch would not see
    later = datetime(2023, 2, 5, tzinfo=UTC)
    preview.builder.options = dataclasses.replace(preview.builder.options, now=later)
    preview.edit(TICKETS, "We read", "This time we read")
    result = preview.save(TICKETS)
    assert not result.patched
    assert result.site is not None and result.site.next_session() is None
    preview.assert_as_clean()
