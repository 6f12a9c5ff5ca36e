"""A reading-list item's ``status`` (queued, reading, read) and the last session that
discussed it, on the reading list's page and the papers page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rgsite.cli import main
from sitekit import LIST_YAML, MINIMAL, write_site

LIST = "content/reading-lists/foundations.yaml"
ITEMS = (
    LIST_YAML
    + """\
      - id: engines-notes
        title: Notes on the analytical engine
        url: https://example.org/notes
      - id: kernels
        title: Kernel methods
        url: https://example.org/kernels
      - id: later
        title: Read next month
        url: https://example.org/later
"""
)
LATER = """\
---
title: Next month
date: 2023-04-01 14:00
papers: [later]
---
"""


def build(tmp_path: Path, items: str = ITEMS, now: str = "2023-03-01T00:00-07:00") -> Path:
    tickets = MINIMAL["content/sessions/2023-02-04-engines.md"].replace(
        "papers: [arxiv:2206.11124]", "papers: [lottery-ticket, engines-notes]"
    )
    site = write_site(
        tmp_path / "site",
        changes={
            LIST: items,
            "content/sessions/2023-02-04-engines.md": tickets,
            "content/sessions/2023-04-01-later.md": LATER,
        },
    )
    out = tmp_path / "out"
    assert main(["build", str(site), "-o", str(out), "--now", now]) == 0
    return out


def statuses(page: Path) -> dict[str, str]:
    """Each paper's anchor -> its status line as text."""
    html = page.read_text()
    found = {}
    for anchor, body in re.findall(
        r'<article class="paper" id="([^"]+)">(.*?)</article>', html, re.S
    ):
        line = re.search(r'<p class="meta paper-status">(.*?)</p>', body, re.S)
        assert line, anchor
        found[anchor] = " ".join(re.sub(r"<[^>]+>", "", line[1]).split())
    return found


def test_status_follows_the_sessions_and_names_the_last_one(tmp_path: Path) -> None:
    out = build(tmp_path)
    for page in (out / "reading/foundations/index.html", out / "papers/index.html"):
        found = statuses(page)
        # discussed twice: the later session is the last
        assert found["paper-lottery-ticket"] == "Read Last discussed: Engines, 4 Feb 2023"
        assert found["paper-engines-notes"] == "Read Last discussed: Engines, 4 Feb 2023"
        assert found["paper-kernels"] == "Queued"
        assert found["paper-later"] == "Reading"
    html = (out / "reading/foundations/index.html").read_text()
    assert '<a href="/club/sessions/2023-02-04-engines/">Engines</a>' in html


def test_a_written_status_wins(tmp_path: Path) -> None:
    items = ITEMS.replace(
        "        url: https://example.org/kernels\n",
        "        url: https://example.org/kernels\n        status: reading\n",
    ).replace(
        '        arxiv: "1803.03635"\n', '        arxiv: "1803.03635"\n        status: queued\n'
    )
    found = statuses(build(tmp_path, items) / "reading/foundations/index.html")
    assert found["paper-kernels"] == "Reading"
    assert found["paper-lottery-ticket"] == "Queued Last discussed: Engines, 4 Feb 2023"


def test_the_status_moves_on_with_time(tmp_path: Path) -> None:
    out = build(tmp_path, now="2023-05-01T00:00-07:00")
    found = statuses(out / "papers/index.html")
    assert found["paper-later"] == "Read Last discussed: Next month, 1 Apr 2023"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("raed", "'status' is 'raed' (did you mean 'read'?); use one of: queued, reading, read"),
        ("done", "'status' is 'done'; use one of: queued, reading, read"),
    ],
)
def test_an_unknown_status_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    items = ITEMS.replace(
        "        url: https://example.org/kernels\n",
        f"        url: https://example.org/kernels\n        status: {value}\n",
    )
    site = write_site(tmp_path / "site", changes={LIST: items})
    capsys.readouterr()
    assert main(["check", str(site)]) == 1
    line = items.splitlines().index(f"        status: {value}") + 1
    assert f"{LIST}:{line}: {message}" in capsys.readouterr().err
