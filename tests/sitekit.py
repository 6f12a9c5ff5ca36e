"""Tiny sites written inline by tests: a few files, visible in the test that uses them."""

from __future__ import annotations

from pathlib import Path

SITE_YAML = """\
title: Theory Club
description: Fortnightly papers on learning theory.
base_url: https://example.org/club/
timezone: America/Edmonton
meeting:
  weekday: saturday
  time: "14:00"
  duration: 60
  every_weeks: 2
  location: Online
  join_url: https://example.org/join
"""

SPEAKERS_YAML = """\
ada:
  name: Ada Lovelace
  affiliation: Analytical Engines
  bio: Writes *notes* on engines.
  links: {homepage: "https://example.org/ada"}
alan:
  name: Alan Turing
"""

LIST_YAML = """\
title: Foundations
sections:
  - title: Papers
    items:
      - id: lottery-ticket
        title: "The lottery ticket hypothesis"
        authors: [Jonathan Frankle, Michael Carbin]
        year: 2019
        arxiv: "1803.03635"
        tldr: Sparse subnetworks train well from their original init.
"""

MINIMAL: dict[str, str] = {
    "content/site.yaml": SITE_YAML,
    "content/speakers.yaml": SPEAKERS_YAML,
    "content/reading-lists/foundations.yaml": LIST_YAML,
    "content/sessions/2023-01-21-tickets.md": """\
---
title: Lottery tickets
speakers: [ada]
topics: [sparsity]
papers: [lottery-ticket]
---
We read [[paper:lottery-ticket]] with [[speaker:alan]].
""",
    "content/sessions/2023-02-04-engines.md": """\
---
title: Engines
date: 2023-02-04 15:00
speakers: [alan]
topics: [sparsity, history]
papers: [arxiv:2206.11124]
---
Second session, after [[session:2023-01-21-tickets]].
""",
    "content/proposals/more-tickets.md": """\
---
title: More tickets
proposed_by: [ada]
date: 2023-01-10
status: open
topics: [sparsity]
---
Let us read more.
""",
    "content/pages/about.md": "---\ntitle: About\n---\nWe meet online.\n",
}


def write_site(
    root: Path, files: dict[str, str] | None = None, changes: dict[str, str | None] | None = None
) -> Path:
    """Write ``files`` (default: MINIMAL) with ``changes``; a change of None drops a file."""
    merged: dict[str, str | None] = dict(MINIMAL if files is None else files)
    merged.update(changes or {})
    for rel, text in merged.items():
        if text is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
