"""Fingerprints of what pages read (:mod:`rgsite.build.deps`): a key's digest changes
exactly when what it names changes, so a rebuild renders the pages that read it and
keeps the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rgsite.build.deps import (
    COMMON,
    UnknownInput,
    digest_bytes,
    fingerprints,
    model_print,
    models_print,
    signature,
)
from rgsite.errors import Problems
from rgsite.model import Site
from rgsite.options import Options
from rgsite.read.archive import read_site
from rgsite.routes import site_routes
from sitekit import MINIMAL, write_site

NOW = datetime(2023, 2, 1, tzinfo=UTC)
TICKETS = "content/sessions/2023-01-21-tickets.md"
ENGINES = "content/sessions/2023-02-04-engines.md"
KERNELS = "content/sessions/2023-02-18-kernels.md"

FILES = {
    **MINIMAL,
    KERNELS: "---\ntitle: Kernels\nspeakers: [ada]\ntldr: Kernel methods.\n---\nWe read.\n",
}


def read(root: Path, changes: dict[str, str | None] | None = None, now: datetime = NOW) -> Site:
    site = write_site(root, FILES, changes)
    problems = Problems()
    found = read_site(site, problems, Options(site=site, cache=False, now=now))
    assert not problems.errors, problems.errors
    return found


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return fingerprints(read(tmp_path_factory.mktemp("before")))


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def test_every_model_and_collection_has_a_key(before: dict[str, str]) -> None:
    slugs = ("2023-01-21-tickets", "2023-02-04-engines", "2023-02-18-kernels")
    expected = {f"session:{slug}" for slug in slugs} | {f"listed:{slug}" for slug in slugs}
    expected |= {f"scheduled:{slug}" for slug in slugs}
    expected |= {"speaker:ada", "speaker:alan", "paper:lottery-ticket", "paper:arxiv:2206.11124"}
    expected |= {"proposal:more-tickets", "list:foundations", "page:about"}
    expected |= {f"{kind}s:*" for kind in ("session", "speaker", "paper", "proposal", "list")}
    expected |= {"pages:*", "topics:*", "series:*", "schedule:*", "years:*", "indexes:*"}
    expected |= COMMON
    assert set(before) == expected


def test_the_same_files_give_the_same_fingerprints_wherever_the_site_is(
    before: dict[str, str], tmp_path: Path
) -> None:
    assert fingerprints(read(tmp_path / "elsewhere")) == before


def test_a_session_title_changes_that_session_and_the_lists_of_sessions_only(
    before: dict[str, str], tmp_path: Path
) -> None:
    text = FILES[ENGINES].replace("title: Engines", "title: Steam engines")
    after = fingerprints(read(tmp_path, {ENGINES: text}))
    assert changed(before, after) == {
        "session:2023-02-04-engines",
        "listed:2023-02-04-engines",
        "scheduled:2023-02-04-engines",
        "sessions:*",
        "schedule:*",
    }


def test_a_first_session_in_an_earlier_year_changes_which_years_have_pages(
    before: dict[str, str], tmp_path: Path
) -> None:
    old = {"content/sessions/2022-06-01-old.md": "---\ntitle: Old\n---\n"}
    after = fingerprints(read(tmp_path, old))
    assert "years:*" in changed(before, after)
    assert {key for key in after if key.startswith("session:")} >= {"session:2022-06-01-old"}


def test_a_recap_edit_past_its_summary_changes_the_session_but_not_its_listing(
    before: dict[str, str], tmp_path: Path
) -> None:
    # the listing shows the tldr, which the body does not change
    after = fingerprints(read(tmp_path, {KERNELS: FILES[KERNELS] + "\nAnd then some.\n"}))
    assert changed(before, after) == {"session:2023-02-18-kernels"}


def test_a_new_first_paragraph_changes_the_listing_that_shows_it_as_summary(
    before: dict[str, str], tmp_path: Path
) -> None:
    text = FILES[ENGINES].replace("Second session", "The second session")
    after = fingerprints(read(tmp_path, {ENGINES: text}))
    assert changed(before, after) == {
        "session:2023-02-04-engines",
        "listed:2023-02-04-engines",
        "scheduled:2023-02-04-engines",
        "sessions:*",
        "schedule:*",
    }


def test_a_speaker_edit_changes_that_speaker_and_the_list_of_speakers(
    before: dict[str, str], tmp_path: Path
) -> None:
    speakers = MINIMAL["content/speakers.yaml"].replace("Analytical", "Difference")
    after = fingerprints(read(tmp_path, {"content/speakers.yaml": speakers}))
    assert changed(before, after) == {"speaker:ada", "speakers:*"}


def test_a_page_title_changes_the_page_and_the_navigation(
    before: dict[str, str], tmp_path: Path
) -> None:
    about = MINIMAL["content/pages/about.md"].replace("title: About", "title: About us")
    after = fingerprints(read(tmp_path, {"content/pages/about.md": about}))
    assert changed(before, after) == {"page:about", "pages:*"}


def test_a_page_body_changes_the_page_but_not_the_navigation(
    before: dict[str, str], tmp_path: Path
) -> None:
    about = MINIMAL["content/pages/about.md"] + "\nAnd in person.\n"
    after = fingerprints(read(tmp_path, {"content/pages/about.md": about}))
    assert changed(before, after) == {"page:about"}


def test_a_paper_edit_changes_that_paper_and_the_papers(
    before: dict[str, str], tmp_path: Path
) -> None:
    listed = MINIMAL["content/reading-lists/foundations.yaml"].replace("year: 2019", "year: 2018")
    after = fingerprints(read(tmp_path, {"content/reading-lists/foundations.yaml": listed}))
    assert {"paper:lottery-ticket", "papers:*"} <= changed(before, after)
    assert "paper:arxiv:2206.11124" not in changed(before, after)
    assert not {k for k in changed(before, after) if k.startswith(("session", "listed"))}


def test_a_new_topic_changes_the_topics_and_the_session_that_has_it(
    before: dict[str, str], tmp_path: Path
) -> None:
    text = FILES[KERNELS].replace("speakers: [ada]", "speakers: [ada]\ntopics: [kernels]")
    after = fingerprints(read(tmp_path, {KERNELS: text}))
    assert changed(before, after) == {
        "session:2023-02-18-kernels",
        "listed:2023-02-18-kernels",
        "scheduled:2023-02-18-kernels",
        "sessions:*",
        "schedule:*",
        "topics:*",
        "indexes:*",  # the topics page counts it
    }


def test_the_site_settings_change_the_config_key(before: dict[str, str], tmp_path: Path) -> None:
    config = MINIMAL["content/site.yaml"].replace("Theory Club", "Theory Society")
    after = fingerprints(read(tmp_path, {"content/site.yaml": config}))
    assert changed(before, after) == {"config"}


def test_the_clock_changes_a_session_only_when_it_ends(
    before: dict[str, str], tmp_path: Path
) -> None:
    # an hour later nothing has ended: nothing changes
    assert fingerprints(read(tmp_path / "a", now=NOW + timedelta(hours=1))) == before
    # by February 5 the engines session is past, the kernels session still ahead
    after = fingerprints(read(tmp_path / "b", now=datetime(2023, 2, 5, tzinfo=UTC)))
    assert changed(before, after) == {
        "now",
        "session:2023-02-04-engines",
        "listed:2023-02-04-engines",
        "scheduled:2023-02-04-engines",
        "sessions:*",
        "schedule:*",
    }


# -- signatures ------------------------------------------------------------------------------

PRINTS = {key: key[0] for key in COMMON} | {"session:a": "1", "session:b": "2"}


def test_a_signature_changes_with_the_inputs_it_names_and_nothing_else() -> None:
    base = signature({"session:a"}, PRINTS, ["t1"])
    assert signature({"session:a"}, {**PRINTS}, ["t1"]) == base
    assert signature({"session:a"}, {**PRINTS, "session:a": "1b"}, ["t1"]) != base
    assert signature({"session:a"}, {**PRINTS, "session:b": "2b"}, ["t1"]) == base
    assert signature({"session:a", "session:b"}, PRINTS, ["t1"]) != base


@pytest.mark.parametrize("key", sorted(COMMON))
def test_every_signature_reads_the_keys_every_page_shows(key: str) -> None:
    base = signature(set(), PRINTS, [])
    assert signature(set(), {**PRINTS, key: "other"}, []) != base


def test_a_signature_changes_with_the_templates_and_not_their_order() -> None:
    base = signature({"session:a"}, PRINTS, ["t1", "t2"])
    assert signature({"session:a"}, PRINTS, ["t2", "t1"]) == base
    assert signature({"session:a"}, PRINTS, ["t1", "t2-edited"]) != base
    assert signature({"session:a"}, PRINTS, ["t1"]) != base


def test_a_signature_refuses_an_input_key_nothing_fingerprints() -> None:
    # A misspelt key would never change, and the page would never be rebuilt.
    with pytest.raises(UnknownInput, match="'sesion:a'"):
        signature({"sesion:a"}, PRINTS, [])


def test_a_signature_covers_the_extra_text() -> None:
    one = signature({"session:a"}, PRINTS, [], "sessions/a/|session.html")
    assert signature({"session:a"}, PRINTS, [], "sessions/b/|session.html") != one


def test_a_session_edit_changes_the_signatures_of_its_page_and_its_neighbours_only(
    tmp_path: Path,
) -> None:
    def signatures(site: Site) -> dict[str, str]:
        prints = fingerprints(site)
        return {r.url: signature(r.inputs, prints, [r.template]) for r in site_routes(site)}

    old = signatures(read(tmp_path / "a"))
    text = FILES[KERNELS].replace("title: Kernels", "title: Kernel methods")
    new = signatures(read(tmp_path / "b", {KERNELS: text}))
    differ = {url for url in old if old[url] != new[url]}
    assert "sessions/2023-02-18-kernels/" in differ
    assert "sessions/2023-02-04-engines/" in differ  # links to its next session by title
    assert "sessions/2023-01-21-tickets/" not in differ
    assert "speakers/ada/" in differ  # lists the session
    assert "speakers/alan/" not in differ
    assert {"about/", "404.html", "search/", "reading/"}.isdisjoint(differ)


# -- digests ---------------------------------------------------------------------------------


def test_digest_bytes_is_a_short_stable_hex_digest_of_the_bytes() -> None:
    digest = digest_bytes(b"<p>page</p>")
    assert digest == digest_bytes(b"<p>page</p>")
    assert len(digest) == 32 and int(digest, 16) >= 0
    assert digest_bytes(b"<p>page</p>\n") != digest


def test_equal_models_print_alike_and_a_collection_print_follows_order(
    before: dict[str, str], tmp_path: Path
) -> None:
    one, two = read(tmp_path / "one"), read(tmp_path / "two")
    assert model_print(one.speakers["ada"]) == model_print(two.speakers["ada"])
    assert model_print(one.speakers["ada"]) == before["speaker:ada"]
    assert model_print(one.speakers["ada"]) != model_print(one.speakers["alan"])
    speakers = list(one.speakers.values())
    assert models_print(speakers) == before["speakers:*"]
    assert models_print(reversed(speakers)) != models_print(speakers)
